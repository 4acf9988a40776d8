"""Where organizations stand on the themes of the experience exchange, and who can help whom."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.audit.record import record, record_deletion
from portal.errors import RuleError
from portal.exchange.models import OrganizationTheme, Theme, ThemeStatus
from portal.extensions import db
from portal.links import external_url
from portal.members.models import Organization, Person
from portal.notifications import notify
from portal.types import utcnow


def set_status(actor, org: Organization, theme: Theme, status: ThemeStatus | str | None, *, shares: bool = False,
               contact: Person | None = None) -> OrganizationTheme | None:
    """Set (or with status None remove) the organization's status on the theme."""
    row = db.session.scalar(select(OrganizationTheme).where(
        OrganizationTheme.organization_id == org.id, OrganizationTheme.theme_id == theme.id))
    if status in (None, ""):
        if row is not None:
            record_deletion(actor, "exchange.status_remove", row)
            db.session.delete(row)
        return None
    if contact is not None and contact.organization_id != org.id:
        raise RuleError(_("Die Kontaktperson muss zur Organisation gehören."), "contact")
    if row is None:
        row = OrganizationTheme(organization_id=org.id, theme_id=theme.id)
        db.session.add(row)
    before = (row.status, row.shares, row.contact_id)
    row.status = ThemeStatus(status)
    row.shares = shares
    row.contact_id = contact.id if contact is not None else (row.contact_id if shares else None)
    row.updated_at = utcnow()
    db.session.flush()
    record(actor, "exchange.status", row, {name: (old, new) for name, old, new in zip(
        ("status", "shares", "contact_id"), before, (row.status, row.shares, row.contact_id), strict=True)
        if old != new})
    return row


def create_theme(actor, name: str, description: str = "") -> Theme:
    name = name.strip()
    if not name:
        raise RuleError(_("Der Name fehlt."), "name")
    if db.session.scalar(select(Theme.id).where(Theme.name.ilike(name))) is not None:
        raise RuleError(_("Ein Thema mit diesem Namen gibt es bereits."), "name")
    theme = Theme(name=name, description=description)
    db.session.add(theme)
    db.session.flush()
    record(actor, "exchange.theme_create", theme, {"name": (None, name)})
    return theme


def of_theme(theme: Theme) -> list[OrganizationTheme]:
    return list(db.session.scalars(
        select(OrganizationTheme).join(OrganizationTheme.organization)
        .where(OrganizationTheme.theme_id == theme.id)
        .options(joinedload(OrganizationTheme.organization), joinedload(OrganizationTheme.contact))
        .order_by(Organization.name)))


def of_organization(org: Organization) -> list[OrganizationTheme]:
    return list(db.session.scalars(
        select(OrganizationTheme).join(OrganizationTheme.theme)
        .where(OrganizationTheme.organization_id == org.id)
        .options(joinedload(OrganizationTheme.theme), joinedload(OrganizationTheme.contact))
        .order_by(Theme.name)))


@dataclass
class ThemeRow:
    theme: Theme
    practised: int
    planned: int
    interested: int


def overview() -> list[ThemeRow]:
    themes = list(db.session.scalars(select(Theme).order_by(Theme.name)))
    counts: dict[tuple[int, str], int] = {}
    for theme_id, status in db.session.execute(select(OrganizationTheme.theme_id, OrganizationTheme.status)):
        counts[(theme_id, status)] = counts.get((theme_id, status), 0) + 1
    return [ThemeRow(t, counts.get((t.id, ThemeStatus.PRACTISED), 0), counts.get((t.id, ThemeStatus.PLANNED), 0),
                     counts.get((t.id, ThemeStatus.INTERESTED), 0)) for t in themes]


def helpers_for(rows: list[OrganizationTheme], org_id: int | None) -> list[OrganizationTheme]:
    """For a member whose organization plans (or is interested in) the theme: the organizations that
    practise it, share their experience and have a contact person. Empty for everyone else."""
    own = next((r for r in rows if r.organization_id == org_id), None)
    if own is None or own.status.is_practised:
        return []
    return [r for r in rows if r.status.is_practised and r.shares and r.contact is not None
            and r.contact.active and r.organization_id != org_id]


def request_contact(actor: Person, theme: Theme, helper: OrganizationTheme, message: str) -> Person:
    """Mail the helper's contact person that `actor` asks for contact; the contact decides whether to answer.
    The mail carries the asker's address so that the contact can answer."""
    rows = of_theme(theme)
    if helper not in helpers_for(rows, actor.organization_id):
        raise RuleError(_("Kontakt anfragen können Mitglieder, deren Organisation das Thema plant, "
                          "bei Organisationen, die ihre Erfahrung teilen."))
    if len(message) > 2000:
        raise RuleError(_("Höchstens %(max)s Zeichen (eingegeben: %(count)s).", max=2000, count=len(message)),
                        "message")
    record(actor, "exchange.contact_request", helper, {"contact_id": (None, helper.contact_id)})
    notify(helper.contact, "exchange_contact_request", theme=theme, asker=actor,
           asker_organization=actor.organization.name if actor.organization else "", message=message.strip(),
           url=external_url("exchange.show", theme_id=theme.id))
    return helper.contact


def start_group(actor, theme: Theme, *, name: str, moderator: Person | None, description: str = ""):
    """A working group started from the theme (the groups area's own creation and first moderator),
    linked to it; the organizations that practise or plan the theme are invited to join by mail.
    Returns the group."""
    from portal.groups.operations import create_group

    if theme.group_id is not None:
        raise RuleError(_("Aus diesem Thema ist schon ein Reallabor entstanden."))
    group = create_group(actor, moderator=moderator, name=name, description=description,
                         join_policy="open")
    theme.group_id = group.id
    db.session.flush()
    record(actor, "exchange.group_start", theme, {"group_id": (None, group.id)})
    wanted = (ThemeStatus.PRACTISED, ThemeStatus.PLANNED)
    org_ids = [r.organization_id for r in of_theme(theme) if r.status in wanted]
    people = db.session.scalars(select(Person).where(
        Person.organization_id.in_(org_ids), Person.active, Person.role == "member",
        Person.id != moderator.id).order_by(Person.name)) if org_ids else []
    url = external_url("groups.show", group_id=group.id)
    for person in people:
        notify(person, "exchange_group_invitation", theme=theme, group=group, url=url)
    return group


def theme_of_group(group) -> Theme | None:
    return db.session.scalar(select(Theme).where(Theme.group_id == group.id).options(joinedload(Theme.survey)))
