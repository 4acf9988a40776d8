"""Progress-report PDFs kept per data version, and rendered by the job queue when they are large.

A PDF is stored with the request's parameters and a fingerprint of the data it shows: the same
report asked again is served from the table without rendering, until the data changes. A report of
few meetings is rendered at once in the request (under a second or two); a larger one becomes a job
(`report_pdf`) that the worker renders in a child process with a memory and a time limit, while the
page shows its progress."""
from __future__ import annotations

import hashlib
import json
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.documents.limited import DocumentTooLarge, render_limited
from portal.extensions import db
from portal.groups.models import GroupGoal, Membership, WorkingGroup
from portal.jobs.queue import Failure, enqueue
from portal.meetings.models import AgendaItem, Decision, Meeting, Participation
from portal.members.models import Organization, Person
from portal.reports import document
from portal.reports.models import (
    FundingPhase,
    Milestone,
    Outcome,
    ReportNarrative,
    StoredReport,
    StoredStatus,
)
from portal.reports.periods import Period
from portal.reports.progress import build_progress_report
from portal.types import utcnow

JOB_KIND = "report_pdf"
# tables whose rows a report shows: (model, a column that changes with every change)
_SOURCES = ((Meeting, Meeting.updated_at), (Decision, Decision.created_at), (ActionItem, ActionItem.updated_at),
            (AgendaItem, AgendaItem.id), (Participation, Participation.id), (Person, Person.id),
            (Organization, Organization.id), (WorkingGroup, WorkingGroup.id), (GroupGoal, GroupGoal.id),
            (Membership, Membership.id), (Outcome, Outcome.id), (Milestone, Milestone.id),
            (ReportNarrative, ReportNarrative.id), (FundingPhase, FundingPhase.id))


def params_of(period: Period, group, phase, locale: str) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "kind": period.kind,
            "group": group.id if group else None, "phase": phase.id if phase else None, "locale": locale}


def _key(params: dict) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


def data_version() -> str:
    """A fingerprint of everything a report reads: counts and the latest change of each table (one
    query). Narratives and phases are edited in place, so their texts' lengths count too."""
    parts = [select(aggregate).scalar_subquery()
             for model, column in _SOURCES for aggregate in (func.count(model.id), func.max(column))]
    parts += [select(func.sum(func.length(ReportNarrative.text))).scalar_subquery(),
              select(func.max(FundingPhase.id)).scalar_subquery()]
    row = db.session.execute(select(*parts)).one()
    return hashlib.sha256(repr(tuple(row)).encode()).hexdigest()


def find(params: dict, version: str) -> StoredReport | None:
    return db.session.scalar(select(StoredReport).where(StoredReport.key == _key(params),
                                                        StoredReport.version == version))


def is_small(period: Period, group) -> bool:
    """Few enough meetings to render within the request (REPORT_INLINE_MEETINGS)."""
    meetings = select(func.count(Meeting.id)).where(Meeting.starts_at >= period.starts_at,
                                                    Meeting.starts_at < period.ends_before)
    if group is not None:
        meetings = meetings.where(Meeting.group_id == group.id)
    return db.session.scalar(meetings) <= current_app.config["REPORT_INLINE_MEETINGS"]


def keep(params: dict, version: str, pdf: bytes) -> StoredReport:
    stored = StoredReport(key=_key(params), params=params, version=version, status=StoredStatus.READY,
                          pdf=pdf, finished_at=utcnow())
    db.session.add(stored)
    return stored


def request(params: dict, version: str) -> StoredReport:
    """A waiting document and its job, in the caller's transaction."""
    stored = StoredReport(key=_key(params), params=params, version=version, status=StoredStatus.WAITING)
    db.session.add(stored)
    db.session.flush()
    enqueue(JOB_KIND, json.dumps({"stored_id": stored.id}).encode())
    return stored


def report_of(params: dict):
    period = Period(date.fromisoformat(params["start"]), date.fromisoformat(params["end"]), params["kind"])
    group = db.session.get(WorkingGroup, params["group"]) if params["group"] else None
    phase = db.session.get(FundingPhase, params["phase"]) if params["phase"] else None
    return build_progress_report(period, group, phase=phase)


def work(payloads: list[bytes], config) -> list[Failure | None]:
    """The job handler: render each waiting report in a limited child process and keep it."""
    results: list[Failure | None] = []
    for payload in payloads:
        stored = db.session.get(StoredReport, json.loads(payload)["stored_id"])
        if stored is not None and stored.status in (StoredStatus.WAITING, StoredStatus.RUNNING):  # RUNNING: a worker died
            _render(stored, config)
            db.session.commit()
        results.append(None)
    return results


def _render(stored: StoredReport, config) -> None:
    stored.status = StoredStatus.RUNNING
    db.session.commit()
    locale = stored.params["locale"]
    with current_app.test_request_context(base_url=config["PORTAL_BASE_URL"]), force_locale(locale):
        report = report_of(stored.params)
        html, title = document.report_html(report), document.report_title(report)
        try:
            stored.pdf = render_limited(html, title, locale, memory_mb=config["DOCUMENT_MEMORY_MB"],
                                        timeout_s=config["DOCUMENT_TIMEOUT_S"])
            stored.status = StoredStatus.READY
        except DocumentTooLarge as error:
            stored.status = StoredStatus.FAILED
            stored.error = _("Der Bericht ist zu groß, um ihn als PDF zu erzeugen (%(limit)s). Wählen Sie einen "
                             "kürzeren Zeitraum oder ein Reallabor.", limit=str(error))
    stored.finished_at = utcnow()
