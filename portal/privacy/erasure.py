"""Erasure that keeps the record (Art. 17 GDPR): the person's row stays, so that minutes,
registers, decisions, action items and reports still point at it, but what identifies the person
goes: the name becomes a stable pseudonym ("ehemaliges Mitglied 17"), email, phone, function,
password, tokens, consents and sessions are removed, memberships end, signing in is impossible.

Copies go too: values in the audit trail, mails in the outbox (the job table and the outbox
folder), names the portal copied into stored texts (action item history, minutes revisions).
Areas that keep copies of their own (the search index) add a function to ERASURE_HOOKS.

Archived minutes PDFs stay as published: they are the alliance's record (Art. 17(3)(b) and (e));
the confirmation page says so. Each erasure is recorded by id (ErasureRecord), so that a restored
backup can be erased again by `reapply_erasures`.

On SQLite, `forget_free_pages` rewrites the file and empties the WAL, so that the old values
vanish from the bytes on disk too (the connections run with secure_delete on). The job worker runs
it after the erasure's commit (FORGET_JOB), retried while other connections keep the file busy.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine

from portal.actions.models import ActionItemEvent
from portal.audit.models import AuditEvent
from portal.audit.record import record
from portal.auth.models import AuthAttempt, LoginSession
from portal.errors import RuleError
from portal.extensions import db
from portal.groups.models import Membership
from portal.jobs.models import Job, JobStatus
from portal.jobs.queue import Failure, enqueue
from portal.mail import parse
from portal.members.models import Person, new_calendar_token
from portal.members.profile import leave_all_groups
from portal.minutes.models import MinutesRevision
from portal.privacy.models import DataExport, ErasureRecord
from portal.types import utcnow

log = logging.getLogger(__name__)
FORGET_JOB = "privacy_forget_pages"  # the job that rewrites the file after an erasure

REMOVED = "[gelöscht]"


@dataclass(frozen=True)
class Erased:
    """What identified the person before the erasure: the values the copies are searched for."""
    person_id: int
    pseudonym: str
    name: str
    email: str
    phone: str
    function: str
    replacements: dict[str, str] = field(default_factory=dict)

    def scrub(self, value: str) -> str:
        for old, new in self.replacements.items():
            value = value.replace(old, new)
        return value

    def mentioned_in(self, value: str) -> bool:
        return any(old in value for old in self.replacements)


# functions(erased) called in the erasing transaction: other areas drop or rewrite their copies
ERASURE_HOOKS: list[Callable[[Erased], None]] = []


def pseudonym(person_id: int) -> str:
    return f"ehemaliges Mitglied {person_id}"


def erased_email(person_id: int) -> str:
    return f"geloescht-{person_id}@invalid"


def is_erased(person: Person) -> bool:
    return person.email == erased_email(person.id)


def erase(actor, person: Person) -> Erased:
    """Erase `person` in place (see the module's text); the caller commits. The job worker then
    rewrites the file (FORGET_JOB): VACUUM must wait until no other connection is busy with it,
    which a request should not do."""
    if getattr(actor, "id", None) == person.id:
        raise RuleError(_("Sie können Ihr eigenes Konto nicht löschen."))
    if is_erased(person):
        raise RuleError(_("Diese Person ist bereits gelöscht."))
    try:
        leave_all_groups(actor, person)
    except RuleError as error:
        raise RuleError(str(error)) from error
    erased = _erase_row(person)
    _scrub_copies(erased)
    db.session.add(ErasureRecord(person_id=person.id, erased_by_id=getattr(actor, "id", None),
                                 pseudonym=erased.pseudonym))
    record(actor, "person.erased", person)
    enqueue(FORGET_JOB, b"")
    return erased


def _erase_row(person: Person) -> Erased:
    old = {"name": person.name, "email": person.email, "phone": person.phone, "function": person.function}
    name = pseudonym(person.id)
    replacements = {value: REMOVED for value in (old["email"], old["phone"]) if value}
    if old["name"] and old["name"] != name:
        replacements[old["name"]] = name
    person.name = name
    person.email = erased_email(person.id)
    person.phone = ""
    person.function = ""
    person.organization = None
    person.password_hash = None
    person.invitation_nonce = None
    person.calendar_token = new_calendar_token()
    person.show_email = person.show_phone = False
    person.consent_changed_at = None
    person.privacy_accepted_at = None
    person.locale = None
    person.active = False
    person.left_at = person.left_at or utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.person_id == person.id))
    db.session.execute(delete(DataExport).where(DataExport.person_id == person.id))
    if old["email"]:
        db.session.execute(delete(AuthAttempt).where(AuthAttempt.key.contains(old["email"])))
    for membership in db.session.scalars(select(Membership).where(Membership.person_id == person.id)):
        membership.message = ""
    db.session.flush()
    return Erased(person.id, name, old["name"], old["email"], old["phone"], old["function"], replacements)


def _scrub_copies(erased: Erased) -> None:
    _scrub_audit(erased)
    _scrub_action_history(erased)
    _scrub_minutes_revisions(erased)
    _scrub_mail_jobs(erased)
    _scrub_outbox_folder(erased)
    for hook in ERASURE_HOOKS:
        hook(erased)


def _scrub_json(value, erased: Erased):
    if isinstance(value, str):
        return erased.scrub(value)
    if isinstance(value, list):
        return [_scrub_json(v, erased) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_json(v, erased) for k, v in value.items()}
    return value


def _scrub_audit(erased: Erased) -> None:
    """The person's own events lose every value they recorded; other events lose the person's
    values wherever they mention them."""
    for event in db.session.scalars(select(AuditEvent).execution_options(yield_per=500)):
        own = event.entity_type == "people" and event.entity_id == erased.person_id
        if own and event.changes:
            event.changes = {k: [REMOVED if a not in (None, "", True, False) else a
                                 for a in pair] if isinstance(pair, list) else REMOVED
                             for k, pair in event.changes.items()}
        elif event.changes:
            scrubbed = _scrub_json(event.changes, erased)
            if scrubbed != event.changes:
                event.changes = scrubbed


def _scrub_action_history(erased: Erased) -> None:
    """Owner changes are written with the owners' names as they were."""
    for event in db.session.scalars(select(ActionItemEvent)):
        for column in ("old_value", "new_value", "comment"):
            value = getattr(event, column)
            if value and erased.mentioned_in(value):
                setattr(event, column, erased.scrub(value))


def _scrub_minutes_revisions(erased: Erased) -> None:
    for revision in db.session.scalars(select(MinutesRevision)):
        scrubbed = _scrub_json(revision.content, erased)
        if scrubbed != revision.content:
            revision.content = scrubbed


def _message_text(message: EmailMessage) -> str:
    parts = [str(message["To"] or ""), str(message["Subject"] or "")]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(part.get_content())
            except (LookupError, ValueError):
                continue
    return "\n".join(parts)


def _scrub_mail_jobs(erased: Erased) -> None:
    """Mails to the person, and sent mails that mention them, go; a waiting mail to somebody
    else that mentions them goes out with the pseudonym instead."""
    for job in db.session.scalars(select(Job).where(Job.kind == "mail")):
        message = parse(job.payload)
        if not erased.mentioned_in(_message_text(message)):
            continue
        if erased.email in str(message["To"] or "") or job.status == JobStatus.DONE:
            db.session.delete(job)
            continue
        for part in message.walk():
            if part.get_content_maintype() == "text" and not part.is_multipart():
                part.set_content(erased.scrub(part.get_content()), subtype=part.get_content_subtype())
        job.payload = bytes(message)


def _scrub_outbox_folder(erased: Erased) -> None:
    """Without a mail server the mails lie as .eml files in MAIL_OUTBOX."""
    folder = Path(current_app.config["MAIL_OUTBOX"])
    if not folder.is_dir():
        return
    for path in folder.glob("*.eml"):
        try:
            if erased.mentioned_in(_message_text(parse(path.read_bytes()))):
                path.unlink()
        except OSError as error:
            log.warning("outbox file %s not scrubbed: %s", path, error)


def forget_free_pages(bind: Engine | Connection) -> bool:
    """SQLite: rewrite the file (VACUUM) and empty the WAL, so that deleted and overwritten values
    leave no bytes behind; after the erasure's commit, outside any transaction (a connection still
    in one, as in the tests, is left alone). Returns whether it ran. PostgreSQL reclaims dead rows
    itself (autovacuum)."""
    if bind.dialect.name != "sqlite":
        return False
    if isinstance(bind, Connection):
        if bind.in_transaction():
            return False
        raw = bind.connection.driver_connection
        raw.execute("VACUUM")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True
    with bind.connect() as conn:
        conn.rollback()
        return forget_free_pages(conn)


def work_forget(payloads: list[bytes], _config) -> list[Failure | None]:
    """The job handler of FORGET_JOB: one VACUUM for every waiting job."""
    try:
        forget_free_pages(db.engine)
    except sqlite3.OperationalError as error:
        return [Failure(f"VACUUM: {error}")] * len(payloads)
    return [None] * len(payloads)


def erased_ids() -> list[int]:
    """Every person id ever erased: a restore reads these from the live database before it
    replaces it, and hands them to reapply_erasures afterwards."""
    return list(db.session.scalars(select(ErasureRecord.person_id).order_by(ErasureRecord.person_id)))


def reapply_erasures(extra_ids: Iterable[int] = ()) -> list[int]:
    """Erase again every recorded person (and `extra_ids`) whose row is not erased: after a backup
    from before an erasure was restored. Returns the ids erased now; the caller commits."""
    ids = set(erased_ids()) | set(extra_ids)
    done = []
    for person_id in sorted(ids):
        person = db.session.get(Person, person_id)
        if person is None or is_erased(person):
            continue
        try:
            leave_all_groups(None, person)
        except RuleError:  # the last moderator: the group keeps a pseudonymous moderator
            pass
        erased = _erase_row(person)
        _scrub_copies(erased)
        if db.session.scalar(select(ErasureRecord.id).where(ErasureRecord.person_id == person_id)) is None:
            db.session.add(ErasureRecord(person_id=person_id, pseudonym=erased.pseudonym))
        record(None, "person.erased_again", person)
        done.append(person_id)
    return done

