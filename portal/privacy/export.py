"""A person's own data as a ZIP (Art. 15 and 20 GDPR): JSON and CSV per kind, and a README.

Each kind of data has one exporter, a function of the person that returns a list of plain rows
(dicts of str/int/bool/None). Areas add theirs with one registration:

    from portal.privacy.export import exporter

    @exporter("survey_answers")
    def survey_answers(person): return [...]

Only the person's own rows: an exporter never adds another person's email or phone, and names
other people only where the record needs it (who decided a membership is left out).
"""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from portal.actions.models import ActionItem, ActionItemEvent, EventKind
from portal.audit.models import AuditEvent
from portal.circulars.models import Circular, CircularRecipient
from portal.csv_files import excel_csv
from portal.extensions import db
from portal.groups.models import Membership
from portal.jobs.queue import Failure, enqueue
from portal.meetings.models import Meeting, Participation
from portal.members.models import Person
from portal.minutes.models import MinutesComment
from portal.privacy.models import DataExport, ExportStatus
from portal.privacy_notice.models import NoticeAcceptance
from portal.types import utcnow

JOB_KIND = "data_export"
# a download of no more rows than this (invitations, audit events, action item events) is built in
# the request; a larger one by the job worker (`flask --app wsgi jobs work`) while the page waits
INLINE_ROWS = 2000
OTHER_PERSON = "(eine andere Person)"
NO_ROWS = "(keine Einträge)"
Row = dict[str, object]
EXPORTERS: dict[str, Callable[[Person], list[Row]]] = {}
LABELS: dict[str, str] = {}  # kind -> what the member reads on the page and in the README (lazy)


def exporter(kind: str, label: str | None = None):
    """Register `function(person) -> list of rows` as the exporter of `kind` (file `<kind>.json/.csv`)."""
    def register(function: Callable[[Person], list[Row]]):
        EXPORTERS[kind] = function
        LABELS[kind] = label or kind
        return function
    return register


def kinds() -> list[tuple[str, str]]:
    """(kind, label) of every registered exporter, in registration order."""
    return [(kind, str(LABELS[kind])) for kind in EXPORTERS]


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "value"):  # StrEnum
        return str(value.value)
    return value


def _row(obj, *fields: str, **extra) -> Row:
    return {**{f: _plain(getattr(obj, f)) for f in fields}, **{k: _plain(v) for k, v in extra.items()}}


@exporter("profile", _l("Profil"))
def _profile(person: Person) -> list[Row]:
    return [_row(person, "id", "name", "email", "function", "phone", "role", "active", "locale",
                 "joined_at", "left_at", "last_login_at", "invited_at", "privacy_accepted_at", "created_at")]


@exporter("organization", _l("Organisation"))
def _organization(person: Person) -> list[Row]:
    org = person.organization
    return [_row(org, "id", "name", "sector", "address", "website")] if org else []


@exporter("consents", _l("Einwilligungen"))
def _consents(person: Person) -> list[Row]:
    return [_row(person, "show_email", "show_phone", "receives_circulars", "consent_changed_at",
                 "privacy_accepted_at")]


@exporter("privacy_notice", _l("Kenntnisnahme der Datenschutzhinweise"))
def _notice_acceptances(person: Person) -> list[Row]:
    rows = db.session.scalars(select(NoticeAcceptance).where(NoticeAcceptance.person_id == person.id)
                              .order_by(NoticeAcceptance.version)).all()
    return [_row(a, "version", "accepted_at") for a in rows]


@exporter("circulars", _l("Erhaltene Rundschreiben"))
def _circulars(person: Person) -> list[Row]:
    rows = db.session.scalars(select(Circular).join(CircularRecipient, CircularRecipient.circular_id == Circular.id)
                              .where(CircularRecipient.person_id == person.id).order_by(Circular.sent_at)).all()
    return [_row(c, "id", "subject", "body", "sent_at") for c in rows]


@exporter("memberships", _l("Mitgliedschaften in Reallaboren mit Verlauf"))
def _memberships(person: Person) -> list[Row]:
    rows = db.session.scalars(select(Membership).where(Membership.person_id == person.id)
                              .order_by(Membership.requested_at)).all()
    return [_row(m, "id", "role", "status", "message", "requested_at", "joined_at", "left_at", "decided_at",
                 group=m.group.name) for m in rows]


def _participations(person: Person) -> list[tuple[Participation, Meeting]]:
    return db.session.execute(
        select(Participation, Meeting).join(Meeting, Participation.meeting_id == Meeting.id)
        .where(Participation.person_id == person.id).order_by(Meeting.starts_at)).all()


@exporter("invitations", _l("Einladungen und Zusagen/Absagen"))
def _invitations(person: Person) -> list[Row]:
    return [_row(p, "invited_at", "rsvp", "rsvp_at", meeting_id=m.id, meeting=m.title, starts_at=m.starts_at)
            for p, m in _participations(person)]


@exporter("attendance", _l("Anwesenheit"))
def _attendance(person: Person) -> list[Row]:
    return [_row(p, "attendance", meeting_id=m.id, meeting=m.title, starts_at=m.starts_at)
            for p, m in _participations(person)]


@exporter("action_items", _l("Aufgaben"))
def _action_items(person: Person) -> list[Row]:
    items = db.session.scalars(select(ActionItem).where(ActionItem.owner_id == person.id)
                               .order_by(ActionItem.id)).all()
    return [_row(i, "id", "title", "description", "due_on", "status", "completed_at", "cancel_reason",
                 "created_at") for i in items]


@exporter("action_item_events", _l("Verlauf der Aufgaben"))
def _action_item_events(person: Person) -> list[Row]:
    events = db.session.scalars(
        select(ActionItemEvent).join(ActionItem, ActionItemEvent.action_item_id == ActionItem.id)
        .where(or_(ActionItem.owner_id == person.id, ActionItemEvent.actor_id == person.id))
        .order_by(ActionItemEvent.id)).all()
    return [_row(e, "action_item_id", "kind", "comment", "created_at", by_you=e.actor_id == person.id,
                 old_value=_own_value(e, e.old_value, person), new_value=_own_value(e, e.new_value, person))
            for e in events]


def _own_value(event: ActionItemEvent, value: str, person: Person) -> str:
    """An owner change names the owners: another person's name is not the person's data."""
    if event.kind == EventKind.OWNER and value and value != person.name:
        return OTHER_PERSON
    return value


@exporter("comments", _l("Kommentare zu Protokollen"))
def _comments(person: Person) -> list[Row]:
    comments = db.session.scalars(select(MinutesComment).where(MinutesComment.author_id == person.id)
                                  .order_by(MinutesComment.id)).all()
    return [_row(c, "meeting_id", "text", "status", "reply", "created_at", "replied_at") for c in comments]


@exporter("audit_events", _l("Änderungsprotokoll über Sie"))
def _audit_events(person: Person) -> list[Row]:
    membership_ids = select(Membership.id).where(Membership.person_id == person.id)
    events = db.session.scalars(select(AuditEvent).where(or_(
        (AuditEvent.entity_type == "people") & (AuditEvent.entity_id == person.id),
        (AuditEvent.entity_type == "memberships") & AuditEvent.entity_id.in_(membership_ids),
    )).order_by(AuditEvent.id)).all()
    return [_row(e, "created_at", "action", "entity_type", "entity_id",
                 by_you=e.actor_id == person.id, changes=json.dumps(e.changes, ensure_ascii=False))
            for e in events]


def collect(person: Person) -> dict[str, list[Row]]:
    return {kind: function(person) for kind, function in EXPORTERS.items()}


def build_zip(person: Person) -> bytes:
    """The ZIP: README.txt, data.json (everything) and per kind <kind>.json and <kind>.csv."""
    data = collect(person)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LIESMICH.txt", render_template(
            "privacy/export_readme.txt", person=person, kinds=kinds(), created=utcnow(),
            days=current_app.config["PRIVACY_EXPORT_DAYS"], guest_months=current_app.config["PRIVACY_GUEST_MONTHS"],
            audit_years=current_app.config["PRIVACY_AUDIT_YEARS"]))
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        for kind, rows in data.items():
            archive.writestr(f"{kind}.json", json.dumps(rows, ensure_ascii=False, indent=2))
            header = list(rows[0]) if rows else [NO_ROWS]  # an empty file would look broken
            archive.writestr(f"{kind}.csv", excel_csv(header, ([r[h] for h in header] for r in rows)))
    return buffer.getvalue()


def _rows(person: Person) -> int:
    """The size of the person's data, counted where it grows: invitations, audit events, action
    item events (one query)."""
    return db.session.scalar(select(
        select(func.count()).select_from(Participation).where(Participation.person_id == person.id)
        .scalar_subquery()
        + select(func.count()).select_from(AuditEvent)
        .where(AuditEvent.entity_type == "people", AuditEvent.entity_id == person.id).scalar_subquery()
        + select(func.count()).select_from(ActionItemEvent).where(ActionItemEvent.actor_id == person.id)
        .scalar_subquery()))


def request_export(actor, person: Person) -> DataExport:
    """A new download for `person` (asked by themselves or by the office): built at once when it
    is small (INLINE_ROWS), else by the job queue. Earlier downloads of the person go: only the
    newest is kept."""
    for old in db.session.scalars(select(DataExport).where(DataExport.person_id == person.id)):
        db.session.delete(old)
    export = DataExport(person=person, requested_by_id=getattr(actor, "id", None), status=ExportStatus.WAITING)
    db.session.add(export)
    db.session.flush()
    if _rows(person) <= INLINE_ROWS:
        build(export)
    else:
        enqueue(JOB_KIND, json.dumps({"export_id": export.id}).encode())
    return export


def latest_export(person: Person) -> DataExport | None:
    return db.session.scalars(select(DataExport).where(DataExport.person_id == person.id)
                              .order_by(DataExport.id.desc()).limit(1)).first()


def build(export: DataExport, now: datetime | None = None) -> None:
    now = now or utcnow()
    export.content = build_zip(export.person)
    export.status = ExportStatus.READY
    export.ready_at = now
    export.expires_at = now + timedelta(days=current_app.config["PRIVACY_EXPORT_DAYS"])


def work(payloads: list[bytes], config) -> list[Failure | None]:
    """The job handler: build each requested ZIP and keep it (one commit per export)."""
    results: list[Failure | None] = []
    for payload in payloads:
        export = db.session.get(DataExport, json.loads(payload)["export_id"])
        if export is not None:  # a newer request replaced it meanwhile: nothing to do
            build(export)
            db.session.commit()
        results.append(None)
    return results


# materials (Unterlagen) the person uploaded: every version, with its file name and SHA-256 --------
@exporter("materials", _l("Hochgeladene Unterlagen"))
def _materials(person: Person) -> list[Row]:
    from portal.materials.models import Material, MaterialVersion
    rows = db.session.execute(select(MaterialVersion, Material).join(Material)
                              .where(MaterialVersion.uploaded_by_id == person.id)
                              .order_by(MaterialVersion.uploaded_at, MaterialVersion.id))
    return [{"title": material.title, "meeting_id": material.meeting_id,
             "action_item_id": material.action_item_id, "version": version.number,
             "filename": version.filename, "size": version.size, "sha256": version.sha256,
             "uploaded_at": _plain(version.uploaded_at), "removed": material.deleted_at is not None}
            for version, material in rows]
