"""Erasure that keeps the record (Art. 17 GDPR): the person's row stays, so that minutes,
registers, decisions, action items and reports still point at it, but what identifies the person
goes: the name becomes a stable pseudonym ("ehemaliges Mitglied 17"), email, phone, function,
password, tokens, consents and sessions are removed, memberships end, signing in is impossible.

Copies go too: values in the audit trail, mails in the outbox (the job table and the outbox
folder; headers and calendar parts included), names the portal copied into stored texts (action
item history, minutes revisions), rendered PDFs kept per data version (stored_documents), and the
email and phone wherever people wrote them (every text column). Areas that keep copies of their
own (the search index) add a function to ERASURE_HOOKS.

Archived minutes PDFs stay as published: they are the alliance's record (Art. 17(3)(b) and (e));
the confirmation page says so. Each erasure is recorded by id (ErasureRecord), so that a restored
backup can be erased again by `reapply_erasures` (`backup restore`, and the portal's start for
the ids in the ledger file: `reapply_remembered`).

On SQLite, `forget_free_pages` empties the WAL, so that the old values vanish from the bytes on
disk too (the connections run with secure_delete on, which zeroes them in the file). The job
worker runs it after the erasure's commit (FORGET_JOB), again while readers keep the WAL busy.
"""
from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from email import encoders
from email.message import EmailMessage
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import String, delete, inspect, or_, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from portal import database
from portal.actions.models import ActionItemEvent
from portal.audit.models import AuditEvent
from portal.audit.record import record
from portal.auth.models import AuthAttempt, LoginSession
from portal.documents.models import StoredDocument, StoredStatus
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
from portal.site_settings.values import installation, stored_installation
from portal.types import utcnow

log = logging.getLogger(__name__)
CHECKPOINT_WAIT_MS = 200  # a waiting checkpoint holds up every writer: short, the job tries again
FORGET_JOB = "privacy_forget_pages"  # the job that empties the WAL after an erasure

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
    installation: str = ""  # the database's id, for the ledger

    def scrub(self, value: str) -> str:
        for old, new in self.replacements.items():
            value = value.replace(old, new)
        return value

    def mentioned_in(self, value: str) -> bool:
        return any(old in value for old in self.replacements)

    def scrub_address(self, value: str) -> str:
        """In mails and calendar files: the address becomes the erased row's (`…@invalid`, still
        an address), the rest as scrub()."""
        return self.scrub(value.replace(self.email, erased_email(self.person_id))) if self.email else self.scrub(value)


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
    empties the WAL (FORGET_JOB): the checkpoint waits for readers, which a request should not."""
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
    return replace(erased, installation=installation())


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
    _forget_stored_documents()
    _scrub_free_text(erased)
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


def _part_text(part: EmailMessage) -> str:
    raw = part.get_payload(decode=True) or b""
    try:
        return raw.decode(part.get_content_charset() or "utf-8", "replace")
    except LookupError:
        return raw.decode("utf-8", "replace")


def _message_text(message: EmailMessage) -> str:
    """Every header and every part (texts, HTML, calendar parts and attached .ics files) decoded."""
    parts = [f"{name}: {value}" for name, value in message.items()]
    parts += [_part_text(part) for part in message.walk() if not part.is_multipart()]
    return "\n".join(parts)


def _scrub_mail_jobs(erased: Erased) -> None:
    """Mails to the person, and sent mails that mention them, go; a waiting mail to somebody
    else that mentions them goes out with the pseudonym instead, without the person's address in
    a header (Reply-To: the organizer) and with `…@invalid` in its calendar parts."""
    for job in db.session.scalars(select(Job).where(Job.kind == "mail")):
        message = parse(job.payload)
        if not erased.mentioned_in(_message_text(message)):
            continue
        if erased.email in str(message["To"] or "") or job.status == JobStatus.DONE:
            db.session.delete(job)
            continue
        for name in ("Reply-To", "Cc"):
            if erased.mentioned_in(str(message[name] or "")):
                del message[name]
        for part in message.walk():
            if part.is_multipart():
                continue
            text = _part_text(part)
            if erased.mentioned_in(text):
                del part["Content-Transfer-Encoding"]
                part.set_payload(erased.scrub_address(text).encode(part.get_content_charset() or "utf-8"))
                encoders.encode_base64(part)
        job.payload = bytes(message)


def _scrub_free_text(erased: Erased) -> None:
    """The email address and phone number wherever people wrote them (descriptions, comments,
    minutes texts, survey answers, circulars, material titles, …): in every text column of every
    table, through the ORM, so that what keeps copies of these rows (the search index) follows in
    the same flush. One query per table; JSON columns are the audit's and the minutes revisions'
    (scrubbed above)."""
    values = [value for value in (erased.email, erased.phone) if value]
    if not values:
        return
    for mapper in db.Model.registry.mappers:
        if mapper.class_ is Person:
            continue
        columns = [c for c in mapper.columns if isinstance(c.type, String) and not c.foreign_keys]
        if not columns:
            continue
        condition = or_(*(column.contains(value, autoescape=True) for column in columns for value in values))
        for obj in db.session.scalars(select(mapper.class_).where(condition)):
            for column in columns:
                key = mapper.get_property_by_column(column).key
                text = getattr(obj, key)
                if isinstance(text, str) and any(value in text for value in values):
                    for value in values:
                        text = text.replace(value, REMOVED)
                    setattr(obj, key, text)


def _forget_stored_documents() -> None:
    """Rendered PDFs kept per data version (minutes as they stand, progress reports) may name the
    person: the finished ones go and are rendered anew with the pseudonym when asked for. Archived
    minutes (minutes_documents) are not among them."""
    db.session.execute(delete(StoredDocument).where(
        StoredDocument.status.in_((StoredStatus.READY, StoredStatus.FAILED)))
        .execution_options(synchronize_session=False))


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
    """SQLite: empty the WAL into the file, so that the erased values leave no bytes behind. The
    connections run with secure_delete on, so SQLite overwrites deleted and replaced values in
    the file with zeros itself; until a checkpoint the WAL still holds the pages as they were.
    Call it after the erasure's commit, with the session closed (a connection still in a
    transaction, as in the tests, is left alone). Returns whether the WAL is empty now: False
    while readers hold it (the checkpoint waits for them CHECKPOINT_WAIT_MS, then gives up: every
    writer waits behind a waiting checkpoint; the job and the next `privacy purge` try again) and
    on PostgreSQL, which leaves dead rows to autovacuum (a pg_dump holds only live rows)."""
    if bind.dialect.name != "sqlite":
        return False
    if isinstance(bind, Connection):
        if bind.in_transaction():
            return False
        raw = bind.connection.driver_connection
        raw.execute(f"PRAGMA busy_timeout={CHECKPOINT_WAIT_MS}")
        try:
            busy, _log, _done = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as error:  # locked beyond the wait
            log.warning("WAL not emptied: %s", error)
            return False
        finally:
            raw.execute(f"PRAGMA busy_timeout={database.BUSY_TIMEOUT_MS}")
        return busy == 0
    with bind.connect() as conn:
        conn.rollback()
        return forget_free_pages(conn)


def work_forget(payloads: list[bytes], _config) -> list[Failure | None]:
    """The job handler of FORGET_JOB: one checkpoint for every waiting job, tried again later while
    readers hold the WAL."""
    engine = db.engine
    if forget_free_pages(engine) or engine.dialect.name != "sqlite":
        return [None] * len(payloads)
    return [Failure("WAL still in use (database locked by another connection)")] * len(payloads)


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



def reapply_remembered(app) -> list[int]:
    """At the portal's start: erase again every person the ledger (PRIVACY_ERASURE_LEDGER) names
    for this database (its installation id) whose row is back, as after a backup from before the
    erasure was restored by hand (`backup restore` does it itself). Nothing to do, and no query,
    while the ledger is empty; a database without tables yet (before `db upgrade`, before a
    restore) or without an installation id is left alone. Returns the ids erased now."""
    from portal.privacy import ledger

    with app.app_context():
        if not ledger.remembered():
            return []
        try:
            if not inspect(db.engine).has_table(Person.__tablename__):
                return []
            installation_id = stored_installation()
            ids = ledger.remembered(installation_id) if installation_id else []
            rows = db.session.execute(select(Person.id, Person.email).where(Person.id.in_(ids))).all()
            if all(email == erased_email(person_id) for person_id, email in rows):
                db.session.rollback()
                return []
            done = reapply_erasures(ids)
            db.session.commit()
        except SQLAlchemyError as error:  # no tables yet, or another worker erasing at the same time
            db.session.rollback()
            log.warning("erasures of the ledger not applied at start: %s", error)
            return []
        if done:
            log.warning("erased again at start (restored from a backup older than their erasure): %s", done)
            forget_free_pages(db.engine)
        return done
