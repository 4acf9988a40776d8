"""The job table: slow or fallible work (mail first), written in the transaction that causes it
and done afterwards by `flask jobs work` on any server."""
from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import JSON, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.errors import RuleError
from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow


class JobStatus(StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB_STATUSES = tuple(JobStatus)


class JobNotRetryable(RuleError):
    pass


class Job(db.Model):
    """`payload` is the raw RFC 5322 message for kind "mail", JSON for other kinds.

    A worker claims a job by setting it running with a lease (`locked_by`, `locked_until`);
    a job whose worker died is due again once the lease has run out."""

    __tablename__ = "jobs"
    __table_args__ = (one_of("status", JOB_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[JobStatus] = mapped_column(state_column(JobStatus, length=10), default=JobStatus.WAITING,
                                             index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # one entry per failed attempt: {"attempt": n, "at": ISO time, "error": text}
    errors: Mapped[list] = mapped_column(JSON, default=list)
    locked_by: Mapped[str] = mapped_column(String(200), default="")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def failed(self) -> bool:
        return self.status == JobStatus.FAILED

    @property
    def retryable(self) -> bool:
        """Waiting or failed: "Erneut senden" makes it due now (a running one is being sent)."""
        return self.status in (JobStatus.WAITING, JobStatus.FAILED)

    @property
    def retried_later(self) -> bool:
        """Waiting after failed attempts: the worker tries again at run_after."""
        return self.status == JobStatus.WAITING and self.attempts > 0

    def _release(self) -> None:
        self.locked_by = ""
        self.locked_until = None

    def succeeded(self, now: datetime) -> None:
        self._release()
        self.status = JobStatus.DONE
        self.finished_at = now

    def attempt_failed(self, error: str, now: datetime, *, final: bool, retry_in: timedelta) -> None:
        """Keep the error; try again after `retry_in`, or give up for good when `final`."""
        self._release()
        self.errors = [*(self.errors or []),
                       {"attempt": self.attempts, "at": now.isoformat(), "error": error}]
        self.last_error = error
        if final:
            self.status = JobStatus.FAILED
            self.finished_at = now
        else:
            self.status = JobStatus.WAITING
            self.run_after = now + retry_in

    def make_due(self, now: datetime) -> None:
        """"Erneut senden": a waiting or failed job is tried again at once."""
        if not self.retryable:
            raise JobNotRetryable(
                _("Diese E-Mail wird gerade verschickt.") if self.status == JobStatus.RUNNING
                else _("Diese E-Mail ist bereits verschickt."))
        self.status = JobStatus.WAITING
        self.run_after = now
        self.finished_at = None
