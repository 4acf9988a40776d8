"""Progress-report PDFs kept per data version, and rendered by the job queue when they are large
(the machinery is portal.documents.stored; this module says what a report reads and shows).

A report of few meetings is rendered at once in the request (under a second or two); a larger one
becomes a job (`report_pdf`) that the worker renders in a child process with a memory and a time
limit, while the page shows its progress."""
from __future__ import annotations

import time
from datetime import date
from functools import partial

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from portal.actions.models import ActionItem
from portal.documents import stored as documents
from portal.documents.models import DocumentKind, StoredDocument
from portal.extensions import db
from portal.groups.models import GroupGoal, Membership, WorkingGroup
from portal.meetings.models import ATTENDANCES, AgendaItem, Decision, Meeting, Participation
from portal.members.models import Organization, Person
from portal.reports import document
from portal.reports.models import FundingPhase, Milestone, Outcome, ReportNarrative
from portal.reports.periods import Period
from portal.reports.progress import build_progress_report

KIND = DocumentKind.REPORT
JOB_KIND = documents.job_kind(KIND)
# tables whose rows a report shows: (model, a column that changes with every change)
_SOURCES = ((Meeting, Meeting.updated_at), (Decision, Decision.created_at), (ActionItem, ActionItem.updated_at),
            (AgendaItem, AgendaItem.id), (Participation, Participation.id), (Person, Person.id),
            (Organization, Organization.id), (WorkingGroup, WorkingGroup.id), (GroupGoal, GroupGoal.id),
            (Membership, Membership.id), (Outcome, Outcome.id), (Milestone, Milestone.id),
            (ReportNarrative, ReportNarrative.id), (FundingPhase, FundingPhase.id))


def params_of(period: Period, group, phase, locale: str) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "kind": period.kind,
            "group": group.id if group else None, "phase": phase.id if phase else None, "locale": locale}


def data_version() -> str:
    """A fingerprint of everything a report reads (one query): counts and the latest change of each
    table; for what is edited in place without a time stamp (narratives, decisions' texts and votes,
    attendance) the texts' lengths, the votes and the count of each attendance; and the number of
    DOCUMENT_MAX_AGE_S periods since 1970, so that an edit that none of these notice is printed
    after that long at the latest."""
    parts = [select(aggregate).scalar_subquery()
             for model, column in _SOURCES for aggregate in (func.count(model.id), func.max(column))]
    parts += [select(func.sum(func.length(ReportNarrative.text))).scalar_subquery(),
              select(func.max(FundingPhase.id)).scalar_subquery()]
    parts += [select(func.sum(column)).scalar_subquery() for column in (
        func.length(Decision.text), Decision.votes_yes, Decision.votes_no, Decision.votes_abstain)]
    parts += [select(func.sum(case((Participation.attendance == state, 1), else_=0))).scalar_subquery()
              for state in ATTENDANCES]
    row = db.session.execute(select(*parts)).one()
    period = int(time.time() // current_app.config["DOCUMENT_MAX_AGE_S"])
    return documents.version_of(*row, period)


def find(params: dict, version: str) -> StoredDocument | None:
    return documents.find(KIND, params, version)


def is_small(period: Period, group) -> bool:
    """Few enough meetings to render within the request (REPORT_INLINE_MEETINGS)."""
    meetings = select(func.count(Meeting.id)).where(Meeting.starts_at >= period.starts_at,
                                                    Meeting.starts_at < period.ends_before)
    if group is not None:
        meetings = meetings.where(Meeting.group_id == group.id)
    return db.session.scalar(meetings) <= current_app.config["REPORT_INLINE_MEETINGS"]


def keep(params: dict, version: str, pdf: bytes) -> StoredDocument:
    return documents.keep(KIND, params, version, pdf)


def request(params: dict, version: str) -> StoredDocument:
    """A waiting report and its job, in the caller's transaction."""
    return documents.request(KIND, params, version)


def of_id(stored_id: int) -> StoredDocument | None:
    return documents.of_kind(KIND, stored_id)


def report_of(params: dict):
    period = Period(date.fromisoformat(params["start"]), date.fromisoformat(params["end"]), params["kind"])
    group = db.session.get(WorkingGroup, params["group"]) if params["group"] else None
    phase = db.session.get(FundingPhase, params["phase"]) if params["phase"] else None
    return build_progress_report(period, group, phase=phase)


def _build(params: dict) -> tuple[str, str]:
    report = report_of(params)
    return document.report_html(report), document.report_title(report)


def _too_large(limit: str) -> str:
    return _("Der Bericht ist zu groß, um ihn als PDF zu erzeugen (%(limit)s). Wählen Sie einen "
             "kürzeren Zeitraum oder ein Reallabor.", limit=limit)


# the job handler: render each waiting report in a limited child process and keep it
work = partial(documents.work, documents.Source(KIND, _build, _too_large))
