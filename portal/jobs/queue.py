"""Writing, claiming and finishing jobs: plain functions on a session, safe for many workers.

A claim is one short transaction: pick what is due, set it running with a lease, commit. The
work itself happens outside any transaction; its outcome is written in a second short one.
PostgreSQL lets concurrent workers pass each other (`FOR UPDATE SKIP LOCKED`); on SQLite each
claim takes the write lock first, so that claims happen one after the other.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, false, or_, select, update
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.jobs.models import Job, JobStatus
from portal.types import utcnow


@dataclass(frozen=True)
class Failure:
    """Why an attempt failed; `permanent` ends the job at once (a 5xx answer, say)."""
    message: str
    permanent: bool = False


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: bytes


@dataclass(frozen=True)
class Policy:
    """How often and how soon a failed job is tried again, and how long a claim holds."""
    max_attempts: int = 8
    retry_delay: timedelta = timedelta(seconds=60)
    max_retry_delay: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(minutes=15)

    @classmethod
    def from_config(cls, config) -> Policy:
        return cls(max_attempts=config["JOBS_MAX_ATTEMPTS"],
                   retry_delay=timedelta(seconds=config["JOBS_RETRY_DELAY"]),
                   max_retry_delay=timedelta(seconds=config["JOBS_MAX_RETRY_DELAY"]),
                   lease=timedelta(seconds=config["JOBS_LEASE"]))

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failure: delay, 2 × delay, 4 × delay … up to the cap."""
        return min(self.retry_delay * 2 ** max(attempts - 1, 0), self.max_retry_delay)


def enqueue(kind: str, payload: bytes, session: Session | None = None) -> Job:
    """A job in the caller's transaction: it exists exactly when that transaction commits."""
    job = Job(kind=kind, payload=payload, status=JobStatus.WAITING, run_after=utcnow())
    (session or db.session).add(job)
    return job


def _take_write_lock(session: Session) -> None:
    """SQLite: start the transaction with a write, which takes the database's write lock as
    BEGIN IMMEDIATE would; a second worker waits here instead of reading what the first is
    about to claim. PostgreSQL needs nothing: it locks the rows it picks."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(Job).where(false()).values(status=Job.status))


def _due(now: datetime):
    return or_(and_(Job.status == JobStatus.WAITING, Job.run_after <= now),
               and_(Job.status == JobStatus.RUNNING, Job.locked_until < now))


def claim(session: Session, worker: str, kinds: Iterable[str], limit: int, lease: timedelta,
          skip: Iterable[int] = ()) -> list[Claimed]:
    """Set up to `limit` due jobs running for `worker` and commit; returns what it claimed."""
    now = utcnow()
    _take_write_lock(session)
    due = (select(Job.id).where(Job.kind.in_(list(kinds)), _due(now))
           .order_by(Job.run_after, Job.id).limit(limit).with_for_update(skip_locked=True))
    skip = list(skip)
    if skip:
        due = due.where(Job.id.not_in(skip))
    ids = list(session.scalars(due))
    if not ids:
        session.commit()
        return []
    rows = session.execute(
        update(Job).where(Job.id.in_(ids))
        .values(status=JobStatus.RUNNING, locked_by=worker, locked_until=now + lease,
                attempts=Job.attempts + 1)
        .returning(Job.id, Job.kind, Job.payload)
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    return sorted((Claimed(*row) for row in rows), key=lambda c: ids.index(c.id))


@dataclass
class Outcome:
    done: int = 0
    retrying: int = 0
    failed: int = 0
    # jobs whose lease another worker had taken over meanwhile; their result is not written
    lost: int = 0

    def add(self, other: Outcome) -> None:
        self.done += other.done
        self.retrying += other.retrying
        self.failed += other.failed
        self.lost += other.lost


def finish(session: Session, worker: str, results: dict[int, Failure | None], policy: Policy) -> Outcome:
    """Write each claimed job's result (None: done) and commit."""
    now = utcnow()
    _take_write_lock(session)
    jobs = session.scalars(
        select(Job).where(Job.id.in_(list(results)), Job.status == JobStatus.RUNNING, Job.locked_by == worker)
        .with_for_update()
    ).all()
    outcome = Outcome(lost=len(results) - len(jobs))
    for job in jobs:
        failure = results[job.id]
        if failure is None:
            job.succeeded(now)
            outcome.done += 1
            continue
        final = failure.permanent or job.attempts >= policy.max_attempts
        job.attempt_failed(failure.message, now, final=final, retry_in=policy.backoff(job.attempts))
        if final:
            outcome.failed += 1
        else:
            outcome.retrying += 1
    session.commit()
    return outcome


def forget_done(session: Session, before: datetime) -> int:
    """Delete the jobs done before `before` (their mails hold links that should not linger);
    returns how many. The caller commits."""
    result = session.execute(delete(Job).where(Job.status == JobStatus.DONE, Job.finished_at < before)
                             .execution_options(synchronize_session=False))
    return result.rowcount


def make_all_due(session: Session, kind: str | None = None) -> int:
    """Every waiting and failed job (of `kind`) due now; returns how many. The caller commits."""
    query = update(Job).where(Job.status.in_((JobStatus.WAITING, JobStatus.FAILED)))
    if kind is not None:
        query = query.where(Job.kind == kind)
    result = session.execute(query.values(status=JobStatus.WAITING, run_after=utcnow(), finished_at=None)
                             .execution_options(synchronize_session=False))
    return result.rowcount
