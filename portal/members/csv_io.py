"""CSV import and export of members with their organizations and working groups.

Format (documented on the import page): a header row with the columns
name, email, organization, sector, function, phone, groups — in any order; name and email
are required, absent columns are left alone. UTF-8 with or without BOM; ';' (German Excel)
or ',' as separator, recognised from the header row. `groups` lists group names separated
by '|'; a person is added as active member of each listed group (the import never removes
anyone from a group). The export writes BOM, ';' and CRLF, so that German Excel opens it.

Cells that a spreadsheet would run as a formula (starting with = + - @) are exported with a
leading apostrophe (portal.csv_files), which the import removes again: export → import
changes nothing.

The import is all-or-nothing: read() checks every row and plans the changes without writing;
apply() carries out a plan without errors, in the caller's transaction.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Callable, Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from portal.csv_files import excel_csv, unguarded
from portal.extensions import db
from portal.groups.membership import add_member
from portal.groups.models import OPEN_MEMBERSHIP_STATUSES, Membership, WorkingGroup
from portal.labels import label
from portal.members.accounts import AccountError, checked_email, create_person
from portal.members.directory import visible_groups
from portal.members.models import SECTORS, Organization, Person, Role
from portal.members.organizations import create_organization, update_organization
from portal.members.profile import check_phone, update_person

COLUMNS = ("name", "email", "organization", "sector", "function", "phone", "groups")
REQUIRED = ("name", "email")
GROUP_SEPARATOR = "|"
MAX_BYTES = 350_000  # the preview carries the file in a form field (Flask allows 500 kB)
MAX_ROWS = 5000
_LIMITS = {"name": 200, "organization": 200, "function": 200}
CHANGE_LABELS = {"name": _l("Name"), "organization": _l("Organisation"), "function": _l("Funktion"),
                 "phone": _l("Telefon")}


@dataclass
class RowError:
    line: int
    message: str


@dataclass
class PersonRow:
    line: int
    name: str
    email: str
    values: dict[str, str]  # function/phone as given (only the columns present)
    org_key: str | None = None  # lower-cased organization name, None: no organization
    person: Person | None = None  # None: to be created
    changes: dict[str, tuple] = field(default_factory=dict)
    groups: list[WorkingGroup] = field(default_factory=list)  # groups to join


@dataclass
class OrganizationPlan:
    name: str
    sector: str
    organization: Organization | None = None  # None: to be created
    line: int = 0


@dataclass
class ImportPlan:
    errors: list[RowError] = field(default_factory=list)
    creates: list[PersonRow] = field(default_factory=list)
    updates: list[PersonRow] = field(default_factory=list)
    unchanged: list[PersonRow] = field(default_factory=list)
    new_organizations: dict[str, OrganizationPlan] = field(default_factory=dict)
    organization_updates: dict[str, OrganizationPlan] = field(default_factory=dict)
    existing_organizations: dict[str, Organization] = field(default_factory=dict)
    has_organization_column: bool = False
    sectors_given: dict[str, tuple[str, int]] = field(default_factory=dict)  # first (sector, line)

    @property
    def memberships(self) -> list[tuple[PersonRow, WorkingGroup]]:
        return [(row, group) for row in self.creates + self.updates for group in row.groups]

    @property
    def has_changes(self) -> bool:
        return bool(self.creates or self.updates or self.new_organizations or self.organization_updates)

    def fail(self, line: int, message: str) -> ImportPlan:
        self.errors.append(RowError(line, message))
        return self


# --- reading ---------------------------------------------------------------------------

def _decode(data: bytes, plan: ImportPlan) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        plan.fail(line, _("Die Datei ist nicht UTF-8-kodiert. Speichern Sie sie in Excel als "
                          "„CSV UTF-8 (durch Trennzeichen getrennt)“."))
        return None


def _separator(text: str) -> str:
    header = text.split("\n", 1)[0]
    return "," if header.count(",") > header.count(";") else ";"


def _records(text: str, separator: str) -> Iterable[tuple[int, list[str]]]:
    """(first line number, cells) of every record; raises csv.Error with the line number."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise csv.Error(reader.line_num, str(error)) from error
        yield previous + 1, cells
        previous = reader.line_num


def _read_header(cells: list[str], plan: ImportPlan) -> list[str] | None:
    header = [c.strip().lower() for c in cells]
    problems = []
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        problems.append(_("unbekannte Spalte(n): %(names)s", names=", ".join(unknown) or _("(leer)")))
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled:
        problems.append(_("doppelte Spalte(n): %(names)s", names=", ".join(doubled)))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        problems.append(_("es fehlt die Spalte %(names)s", names=", ".join(missing)))
    if "sector" in header and "organization" not in header:
        problems.append(_("die Spalte sector braucht die Spalte organization"))
    if problems:
        plan.fail(1, _("Kopfzeile: %(problems)s. Erlaubt sind: %(columns)s.",
                       problems="; ".join(problems), columns=", ".join(COLUMNS)))
        return None
    return header


def read(data: bytes) -> ImportPlan:
    """Check the file and plan what the import would change, without writing anything."""
    plan = ImportPlan()
    if len(data) > MAX_BYTES:
        return plan.fail(1, _("Die Datei ist zu groß (höchstens 350 kB)."))
    text = _decode(data, plan)
    if text is None:
        return plan
    if not text.strip():
        return plan.fail(1, _("Die Datei ist leer."))
    rows: list[tuple[int, dict[str, str]]] = []
    header = None
    try:
        for line, cells in _records(text, _separator(text)):
            if header is None:
                header = _read_header(cells, plan)
                if header is None:
                    return plan
                continue
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                plan.fail(line, _("%(found)s Felder statt %(expected)s – enthält ein Wert das "
                                  "Trennzeichen ohne Anführungszeichen?",
                                  found=len(cells), expected=len(header)))
                continue
            cells = cells + [""] * (len(header) - len(cells))
            rows.append((line, {name: unguarded(value.strip()) for name, value in zip(header, cells, strict=False)}))
    except csv.Error as error:
        line, message = error.args
        return plan.fail(line, _("Die Zeile lässt sich nicht lesen (%(message)s).", message=message))
    if len(rows) > MAX_ROWS:
        return plan.fail(1, _("Zu viele Zeilen (höchstens %(n)s).", n=MAX_ROWS))
    plan.has_organization_column = "organization" in header
    _plan_rows(rows, plan)
    return plan


def _lookups(rows: list[tuple[int, dict[str, str]]]):
    emails = {_email_or_none(values["email"]) for _line, values in rows} - {None}
    people = {p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(emails)))}
    org_names = {values.get("organization", "").lower() for _line, values in rows} - {""}
    organizations = {o.name.lower(): o for o in db.session.scalars(
        select(Organization).where(func.lower(Organization.name).in_(org_names)))}
    groups: dict[str, WorkingGroup] = {}
    for group in db.session.scalars(select(WorkingGroup)):
        for key in (group.short_name, group.name):
            if key:
                groups[key.lower()] = group
    memberships = {
        (m.person_id, m.group_id): m for m in db.session.scalars(
            select(Membership).where(Membership.person_id.in_([p.id for p in people.values()]),
                                     Membership.status.in_(OPEN_MEMBERSHIP_STATUSES)))
    }
    return people, organizations, groups, memberships


def _email_or_none(value: str) -> str | None:
    try:
        return checked_email(value)
    except AccountError:
        return None


def _plan_rows(rows: list[tuple[int, dict[str, str]]], plan: ImportPlan) -> None:
    people, organizations, groups, memberships = _lookups(rows)
    plan.existing_organizations = organizations
    seen_emails: dict[str, int] = {}
    sectors = {s.lower(): s for s in SECTORS}
    for line, values in rows:
        problems: list[str] = []
        for name, limit in _LIMITS.items():
            if len(values.get(name, "")) > limit:
                problems.append(_("%(column)s ist länger als %(n)s Zeichen", column=name, n=limit))
        if not values["name"]:
            problems.append(_("der Name fehlt"))
        try:
            email = checked_email(values["email"]) if values["email"] else ""
        except AccountError:
            email = ""
            problems.append(_("ungültige E-Mail-Adresse „%(email)s“", email=values["email"]))
        if not values["email"]:
            problems.append(_("die E-Mail-Adresse fehlt"))
        if email and email in seen_emails:
            problems.append(_("die E-Mail-Adresse %(email)s steht schon in Zeile %(line)s",
                              email=email, line=seen_emails[email]))
        elif email:
            seen_emails[email] = line
        if "phone" in values:
            try:
                values["phone"] = check_phone(values["phone"])
            except AccountError:
                problems.append(_("ungültige Telefonnummer „%(phone)s“", phone=values["phone"]))
        sector = values.get("sector", "")
        if sector and sector.lower() not in sectors:
            problems.append(_("unbekannte Branche „%(sector)s“ (erlaubt: %(sectors)s)",
                              sector=sector, sectors=", ".join(SECTORS)))
            sector = ""
        elif sector:
            sector = sectors[sector.lower()]
        org_name = values.get("organization", "")
        if sector and not org_name:
            problems.append(_("eine Branche ohne Organisation"))
        if org_name:
            problem = _plan_organization(plan, org_name, sector, line)
            if problem:
                problems.append(problem)
        wanted: list[WorkingGroup] = []
        for group_name in _group_names(values.get("groups", "")):
            group = groups.get(group_name.lower())
            if group is None:
                problems.append(_("unbekanntes Reallabor „%(name)s“", name=group_name))
            elif group.is_archived:
                problems.append(_("das Reallabor „%(name)s“ ist archiviert", name=group_name))
            elif group not in wanted:
                wanted.append(group)
        if problems:
            text = "; ".join(problems)
            plan.fail(line, text[:1].upper() + text[1:] + ".")
            continue
        row = PersonRow(line=line, name=values["name"], email=email,
                        values={k: values[k] for k in ("function", "phone") if k in values},
                        org_key=org_name.lower() or None, person=people.get(email))
        _plan_person(plan, row, values, wanted, memberships)


def _group_names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split(GROUP_SEPARATOR) if name.strip()]


def _plan_organization(plan: ImportPlan, name: str, sector: str, line: int) -> str | None:
    """Note a new organization or a changed sector; a problem text if rows disagree on it."""
    key = name.lower()
    if sector:
        first = plan.sectors_given.setdefault(key, (sector, line))
        if first[0] != sector:
            return _("für „%(name)s“ steht in Zeile %(line)s die Branche %(sector)s",
                     name=name, line=first[1], sector=first[0])
    existing = plan.existing_organizations.get(key)
    if existing is None:
        planned = plan.new_organizations.setdefault(key, OrganizationPlan(name, "Sonstige", line=line))
        if sector:
            planned.sector = sector
    elif sector and sector != existing.sector:
        plan.organization_updates[key] = OrganizationPlan(existing.name, sector, existing, line)
    return None


def _plan_person(plan: ImportPlan, row: PersonRow, values: dict, wanted: list[WorkingGroup],
                 memberships: dict) -> None:
    person = row.person
    if person is None:
        row.groups = wanted
        plan.creates.append(row)
        return
    if person.name != row.name:
        row.changes["name"] = (person.name, row.name)
    for name, value in row.values.items():
        if getattr(person, name) != value:
            row.changes[name] = (getattr(person, name), value)
    if plan.has_organization_column:
        before = person.organization.name if person.organization else None
        if (before or "").lower() != (row.org_key or ""):
            row.changes["organization"] = (before, values["organization"] or None)
    row.groups = [g for g in wanted
                  if not getattr(memberships.get((person.id, g.id)), "is_active", False)]
    if row.groups and (person.role != Role.MEMBER or not person.active):
        plan.fail(row.line, _("Nur aktive Mitglieder können einem Reallabor beitreten (%(email)s hat die "
                              "Rolle %(role)s%(inactive)s).", email=person.email, role=label("role", person.role),
                              inactive="" if person.active else _(", deaktiviert")))
        return
    (plan.updates if row.changes or row.groups else plan.unchanged).append(row)


# --- writing ---------------------------------------------------------------------------

def apply(actor, plan: ImportPlan) -> None:
    """Carry out a plan without errors; the caller commits (or rolls back) once."""
    if plan.errors:
        raise AccountError(_("Die Datei enthält Fehler; es wurde nichts importiert."))
    organizations = dict(plan.existing_organizations)
    for key, planned in plan.new_organizations.items():
        organizations[key] = create_organization(actor, planned.name, planned.sector)
    for planned in plan.organization_updates.values():
        update_organization(actor, planned.organization, sector=planned.sector)
    for row in plan.creates:
        row.person = create_person(row.name, row.email, "member", actor=actor,
                                   organization=organizations.get(row.org_key), **row.values)
    for row in plan.updates:
        fields = {"name": row.name, **row.values}
        if plan.has_organization_column:
            fields["organization"] = organizations.get(row.org_key)
        update_person(actor, row.person, **fields)
    _join_groups(actor, plan)


def _join_groups(actor, plan: ImportPlan) -> None:
    for row, group in plan.memberships:
        add_member(actor, row.person, group)  # accepts a pending request, or adds an active membership


def export(people: Iterable[Person], shows: Callable[[Person, str], bool]) -> bytes:
    """The people as CSV for German Excel; shows(person, "email"|"phone") decides whether
    the viewer may see that contact field."""
    return excel_csv(COLUMNS, ((
        person.name,
        person.email if shows(person, "email") else "",
        person.organization.name if person.organization else "",
        person.organization.sector if person.organization else "",
        person.function,
        person.phone if shows(person, "phone") else "",
        GROUP_SEPARATOR.join(m.group.name for m in visible_groups(person)),
    ) for person in people))
