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
from sqlalchemy import func, select

from portal.documents import stored as documents
from portal.documents.models import DocumentKind, StoredDocument
from portal.documents.render import Printable
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.meetings.models import Meeting
from portal.reports import changes, document
from portal.reports.models import FundingPhase
from portal.reports.periods import Period
from portal.reports.progress import build_progress_report
from portal.types import local_today

KIND = DocumentKind.REPORT
JOB_KIND = documents.job_kind(KIND)


def params_of(period: Period, group, phase, locale: str) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "kind": period.kind,
            "group": group.id if group else None, "phase": phase.id if phase else None, "locale": locale}


def data_version() -> str:
    """The version of everything a report reads (portal.reports.changes: one query on a small
    table, whatever the alliance's size), the day (figures at the end of a period depend on
    "today"), the number of DOCUMENT_MAX_AGE_S periods since 1970, so that an edit outside the
    portal is printed after that long at the latest, and REPORT_PRINT_ENTRIES (what is printed)."""
    period = int(time.time() // current_app.config["DOCUMENT_MAX_AGE_S"])
    return documents.version_of(changes.version(), local_today().isoformat(), period,
                                current_app.config["REPORT_PRINT_ENTRIES"])


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


def selection_of(params: dict) -> tuple[Period, WorkingGroup | None, FundingPhase | None] | None:
    """The period, group and phase that stored parameters name; None if the group or phase is gone."""
    group = db.session.get(WorkingGroup, params["group"]) if params["group"] else None
    phase = db.session.get(FundingPhase, params["phase"]) if params["phase"] else None
    if (params["group"] and group is None) or (params["phase"] and phase is None):
        return None
    period = Period(date.fromisoformat(params["start"]), date.fromisoformat(params["end"]), params["kind"])
    return period, group, phase


def report_of(params: dict):
    period, group, phase = selection_of(params) or (None, None, None)
    return build_progress_report(period, group, phase=phase) if period is not None else None


def _build(params: dict) -> Printable | None:
    report = report_of(params)
    return document.printable(report) if report is not None else None


def _too_large(limit: str) -> str:
    return _("Der Bericht ist zu groß, um ihn als PDF zu erzeugen (%(limit)s). Wählen Sie einen "
             "kürzeren Zeitraum oder ein Reallabor.", limit=limit)


# the job handler: render each waiting report in a limited child process and keep it
work = partial(documents.work, documents.Source(KIND, _build, _too_large))
