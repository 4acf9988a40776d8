"""What the office sees of the outgoing mail: the mails not yet sent, and whether the worker runs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select

from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.jobs.queue import make_all_due
from portal.mail import parse
from portal.types import utcnow

# a mail due for this long and still waiting: no worker has looked at the table meanwhile
STALLED_AFTER = timedelta(minutes=10)
PENDING = (JobStatus.WAITING, JobStatus.RUNNING, JobStatus.FAILED)


@dataclass(frozen=True)
class MailRow:
    job: Job
    recipient: str
    subject: str

    @classmethod
    def of(cls, job: Job) -> MailRow:
        message = parse(job.payload)
        return cls(job, str(message["To"] or ""), str(message["Subject"] or ""))


@dataclass(frozen=True)
class MailHealth:
    failed: int
    waiting: int
    stalled_since: datetime | None

    @property
    def worker_missing(self) -> bool:
        return self.stalled_since is not None


def pending_query():
    """Mails not (yet) sent: failed first, then the longest waiting."""
    return (select(Job).where(Job.kind == "mail", Job.status.in_(PENDING))
            .order_by(case((Job.status == JobStatus.FAILED, 0), else_=1), Job.created_at, Job.id))


def health() -> MailHealth:
    """One query: failed mails, waiting mails, and since when the oldest due mail waits when
    that is longer than STALLED_AFTER."""
    mail = Job.kind == "mail"
    failed, waiting, oldest_due = db.session.execute(select(
        select(func.count(Job.id)).where(mail, Job.status == JobStatus.FAILED).scalar_subquery(),
        select(func.count(Job.id)).where(mail, Job.status == JobStatus.WAITING).scalar_subquery(),
        select(func.min(Job.run_after)).where(mail, Job.status == JobStatus.WAITING).scalar_subquery(),
    )).one()
    stalled = oldest_due if oldest_due is not None and oldest_due < utcnow() - STALLED_AFTER else None
    return MailHealth(failed=failed, waiting=waiting, stalled_since=stalled)


def retry(job: Job) -> None:
    """"Erneut senden" for one mail: due at once (the worker sends it on its next round)."""
    job.make_due(utcnow())


def retry_all() -> int:
    return make_all_due(db.session, kind="mail")
