"""Retention (`flask --app wsgi privacy purge`, for a daily timer): what the portal no longer
needs goes after a set time. Idempotent: a second run right after the first removes nothing.

- guests' contact data PRIVACY_GUEST_MONTHS after their meeting: the organization (and an
  email, where the guest area keeps one); the name only stays where published minutes list it
- audit details older than PRIVACY_AUDIT_YEARS: who, when and what stay, the values go
- mails delivered more than MAIL_BODY_DAYS ago: out of the job table and the outbox folder
- own-data downloads past their expiry
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.meetings.models import Meeting, MinutesStatus, Participation
from portal.privacy.models import DataExport
from portal.types import utcnow

MAIL_BODY_DAYS = 30
GUEST_PLACEHOLDER = "Gast"


@dataclass
class Purged:
    guests: int = 0
    audit_events: int = 0
    mails: int = 0
    mail_files: int = 0
    exports: int = 0

    @property
    def total(self) -> int:
        return self.guests + self.audit_events + self.mails + self.mail_files + self.exports

    def lines(self) -> list[str]:
        return [f"Gäste: Kontaktdaten von {self.guests} Teilnahme(n) entfernt",
                f"Protokoll der Änderungen: Details von {self.audit_events} Eintrag/Einträgen entfernt",
                f"Ausgang: {self.mails} zugestellte E-Mail(s) gelöscht, {self.mail_files} Datei(en) im Ausgangsordner",
                f"Datenauskünfte: {self.exports} abgelaufene ZIP-Datei(en) gelöscht"]


def _months_ago(now: datetime, months: int) -> datetime:
    return now - timedelta(days=round(months * 30.44))


def purge(config, now: datetime | None = None) -> Purged:
    """Remove what is due (see the module's text); the caller commits."""
    now = now or utcnow()
    purged = Purged()
    purged.guests = _purge_guests(_months_ago(now, config["PRIVACY_GUEST_MONTHS"]))
    purged.audit_events = _purge_audit(now - timedelta(days=round(365.25 * config["PRIVACY_AUDIT_YEARS"])))
    purged.mails = db.session.execute(
        delete(Job).where(Job.kind == "mail", Job.status == JobStatus.DONE,
                          Job.finished_at < now - timedelta(days=MAIL_BODY_DAYS))
        .execution_options(synchronize_session=False)).rowcount
    purged.mail_files = _purge_outbox_folder(Path(config["MAIL_OUTBOX"]), MAIL_BODY_DAYS)
    purged.exports = db.session.execute(
        delete(DataExport).where(DataExport.expires_at < now)
        .execution_options(synchronize_session=False)).rowcount
    return purged


def _purge_guests(before: datetime) -> int:
    rows = db.session.execute(
        select(Participation, Meeting.minutes_status).join(Meeting, Participation.meeting_id == Meeting.id)
        .where(Participation.person_id.is_(None), Meeting.starts_at < before)).all()
    count = 0
    for guest, minutes_status in rows:
        changed = False
        if guest.guest_organization:
            guest.guest_organization = ""
            changed = True
        if getattr(guest, "guest_email", None):  # kept by the guests area, where it exists
            guest.guest_email = ""
            changed = True
        if minutes_status != MinutesStatus.PUBLISHED and guest.guest_name != GUEST_PLACEHOLDER:
            guest.guest_name = GUEST_PLACEHOLDER
            changed = True
        count += changed
    return count


def _purge_audit(before: datetime) -> int:
    count = 0
    for event in db.session.scalars(select(AuditEvent).where(AuditEvent.created_at < before)):
        if event.changes:
            event.changes = {}
            count += 1
    return count


def _purge_outbox_folder(folder: Path, days: int) -> int:
    if not folder.is_dir():
        return 0
    cutoff = time.time() - days * 86400
    count = 0
    for path in folder.glob("*.eml"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            count += 1
    return count
