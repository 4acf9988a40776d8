"""The worker: claim what is due, do it outside any transaction, write the outcome.

`run_due` drains what is due now (cron, tests, and the outbox folder right after a commit);
`run_forever` is the long-running service. Both take the session and the settings, so that
they run as well in a thread of their own as in `flask jobs work`.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.orm import Session

from portal import kept_pages, mail
from portal.documents import minutes_pdf
from portal.jobs.queue import Failure, Outcome, Policy, claim, finish, forget_done
from portal.privacy import erasure as privacy_erasure
from portal.privacy import export as privacy_export
from portal.reports import dashboard_cache
from portal.reports import stored as stored_reports
from portal.types import utcnow

log = logging.getLogger(__name__)

# kind -> function(payloads, config) returning one Failure or None per payload, in order;
# the mail handler sends all of one batch over one SMTP connection
HANDLERS: dict[str, Callable[[list[bytes], dict], list[Failure | None]]] = {
    "mail": mail.deliver,
    privacy_export.JOB_KIND: privacy_export.work,
    privacy_erasure.FORGET_JOB: privacy_erasure.work_forget,
    stored_reports.JOB_KIND: stored_reports.work,
    minutes_pdf.JOB_KIND: minutes_pdf.work,
    dashboard_cache.JOB_KIND: dashboard_cache.work,
}


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def run_due(session: Session, config, worker: str | None = None,
            kinds: tuple[str, ...] | None = None) -> Outcome:
    """Work every job that is due, batch by batch, until none is left; each job at most once
    per call, so that a job retried at once (a delay of 0) cannot keep the call going."""
    worker = worker or worker_name()
    policy = Policy.from_config(config)
    total = Outcome()
    seen: set[int] = set()
    for kind in kinds or tuple(HANDLERS):
        while batch := claim(session, worker, [kind], config["JOBS_BATCH_SIZE"], policy.lease, skip=seen):
            seen.update(job.id for job in batch)
            results = _work(kind, [job.payload for job in batch], config)
            total.add(finish(session, worker, {job.id: r for job, r in zip(batch, results, strict=True)}, policy))
    return total


def forget_old(session: Session, config) -> int:
    """Delete the jobs done more than JOBS_KEEP_DONE_DAYS ago (returns how many), and the page
    change log's rows that no version needs any more."""
    count = forget_done(session, utcnow() - timedelta(days=config["JOBS_KEEP_DONE_DAYS"]))
    kept_pages.forget_old()
    session.commit()
    return count


def _work(kind: str, payloads: list[bytes], config) -> list[Failure | None]:
    try:
        return HANDLERS[kind](payloads, config)
    except Exception as error:  # a defect in a handler fails this attempt, not the worker
        log.exception("%s jobs failed unexpectedly", kind)
        return [Failure(f"{type(error).__name__}: {error}")] * len(payloads)


def run_forever(session: Session, config, stop: threading.Event,
                report: Callable[[Outcome], None]) -> None:
    """Work what is due, then wait a few seconds, until `stop` is set (after the batch at hand)."""
    worker = worker_name()
    while not stop.is_set():
        outcome = run_due(session, config, worker)
        forget_old(session, config)
        if outcome.done or outcome.retrying or outcome.failed or outcome.lost:
            report(outcome)
        session.close()  # give the connection back to the pool while waiting
        stop.wait(config["JOBS_POLL_INTERVAL"])
