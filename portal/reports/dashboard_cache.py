"""The dashboard /reports kept per data version: what it shows is built once (the report's queries
grow with the alliance: at 100 × the demo they read 3.4 million participations) and served from
the table `dashboard_entries` until the data changes (portal.reports.changes).

An entry holds the rendered parts of templates/reports/index.html that are the same for every
viewer (the blocks named in PARTS), for one period, group, phase and language, once for readers
and once for those who may write the report (the only difference: a few links). The office's
narrative and its form are rendered per request around them (reports/dashboard.html).

When the data has changed: an entry that was quick to build (under DASHBOARD_INLINE_MS) is built
again in the request; a slow one is shown as it was, with its time ("Stand") and a note that it is
being brought up to date, while the job worker builds the new one (job `dashboard_refresh`). If no
worker has done so after DASHBOARD_REFRESH_WAIT_S, the request builds it itself. An entry is also
built again after DOCUMENT_MAX_AGE_S, whatever the change log says (an edit outside the portal).
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal import change_log
from portal.documents.stored import locale_of, version_of
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.jobs.queue import Failure, enqueue
from portal.reports import changes, display, outcomes, phases, stored
from portal.reports.charts import charts_for
from portal.reports.dashboard_models import DashboardEntry
from portal.reports.forms import ReportFilterForm
from portal.reports.models import FundingPhase, ReportNarrative
from portal.reports.periods import KINDS, PRESETS, Period
from portal.reports.progress import build_progress_report
from portal.types import local_today, utcnow

log = logging.getLogger(__name__)

JOB_KIND = "dashboard_refresh"
TEMPLATE = "reports/index.html"
PARTS = ("dashboard_head", "dashboard_choice", "dashboard_note", "dashboard_body")
ROLES = {"reader": False, "writer": True}  # may the viewer write the report ("reports.write")?


@dataclass
class Shown:
    """The parts for the request's viewer; `stand` is set when they are older than the data."""

    parts: dict[str, Markup]
    params: dict
    stand: datetime | None = None
    refresh: bool = False  # the worker is to build a newer version
    built: tuple | None = None  # (params, version, parts, milliseconds) built now, to be stored


@dataclass
class Heading:
    """What the page around the parts shows of the report (templates/reports/index.html outside
    the cached blocks: the narrative and its form)."""

    period: Period
    group: WorkingGroup | None
    phase: FundingPhase | None
    narrative: ReportNarrative | None


def group_args(group: WorkingGroup | None) -> dict[str, str]:
    return {"group": str(group.id)} if group is not None else {}


def args(period: Period, group: WorkingGroup | None, phase: FundingPhase | None = None) -> dict[str, str]:
    if phase is not None:
        return {"phase": str(phase.id), **group_args(group)}
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), **group_args(group)}


def filter_form(period: Period, group: WorkingGroup | None) -> ReportFilterForm:
    form = ReportFilterForm(formdata=None, data={
        "start": period.start, "end": period.end, "group": str(group.id) if group else ""})
    form.set_choices(outcomes.group_choices())
    return form


def data_version(change_version: str | None = None) -> str:
    """The change log's version and the day (figures at the end of a period depend on "today")."""
    return f"{change_version or changes.version()}@{local_today().isoformat()}"


def _key(params: dict) -> str:
    return version_of(*sorted(params.items()))


def _latest(key: str) -> DashboardEntry | None:
    return db.session.scalar(select(DashboardEntry).where(DashboardEntry.key == key)
                             .order_by(DashboardEntry.id.desc()).limit(1))


def _latest_and_version(key: str) -> tuple[DashboardEntry | None, str | None]:
    """The newest entry of `key` and the data version, in one query; (None, None) without an entry."""
    row = db.session.execute(select(DashboardEntry, *changes.version_columns()).where(DashboardEntry.key == key)
                             .order_by(DashboardEntry.id.desc()).limit(1)).first()
    if row is None:
        return None, None
    return row[0], data_version(change_log.version_of(*row[1:]))


def _for(parts: dict, writer: bool) -> dict[str, Markup]:
    return {name: Markup(html) for name, html in parts["writer" if writer else "reader"].items()}


def dashboard(period: Period, group: WorkingGroup | None, phase: FundingPhase | None, locale: str,
              writer: bool) -> Shown:
    """The dashboard's parts for this selection and language: stored, or built now (then `built`
    is what the caller stores with `keep`, after answering)."""
    params = stored.params_of(period, group, phase, locale)
    entry, version = _latest_and_version(_key(params))
    current = entry is not None and entry.version == version
    if current and not _too_old(entry):
        return Shown(_for(entry.parts, writer), params)
    if entry is not None and _slow(entry) and not _refresh_overdue(entry):
        # unchanged but old (an edit the change log cannot see?): shown without a note, built anew
        return Shown(_for(entry.parts, writer), params, stand=None if current else entry.built_at, refresh=True)
    version = data_version()  # read right before building: what is built is at least this new
    started = time.perf_counter()
    parts = build(period, group, phase)
    milliseconds = int((time.perf_counter() - started) * 1000)
    return Shown(_for(parts, writer), params, built=(params, version, parts, milliseconds))


def remember(shown: Shown) -> None:
    """After answering: store what was built, or ask the worker for a newer version of what was
    shown as it stood (in the caller's transaction)."""
    if shown.built is not None:
        keep(shown.built)
    elif shown.refresh:
        ask_refresh(shown.params)


def _too_old(entry: DashboardEntry) -> bool:
    return utcnow() - entry.built_at > timedelta(seconds=current_app.config["DOCUMENT_MAX_AGE_S"])


def _slow(entry: DashboardEntry) -> bool:
    return entry.build_ms >= current_app.config["DASHBOARD_INLINE_MS"]


def _refresh_overdue(entry: DashboardEntry) -> bool:
    """The worker was asked and has not built it within DASHBOARD_REFRESH_WAIT_S (none running?)."""
    wait = timedelta(seconds=current_app.config["DASHBOARD_REFRESH_WAIT_S"])
    return entry.refresh_asked_at is not None and utcnow() - entry.refresh_asked_at > wait


def ask_refresh(params: dict) -> None:
    """A job that builds the newest version of this dashboard, unless one was asked for already
    (one conditional update of the entry: of several requests at once, one enqueues)."""
    wait = timedelta(seconds=current_app.config["DASHBOARD_REFRESH_WAIT_S"])
    now = utcnow()
    asked = db.session.execute(
        update(DashboardEntry)
        .where(DashboardEntry.key == _key(params),
               or_(DashboardEntry.refresh_asked_at.is_(None), DashboardEntry.refresh_asked_at < now - wait))
        .values(refresh_asked_at=now).execution_options(synchronize_session=False))
    if asked.rowcount:
        enqueue(JOB_KIND, json.dumps({"params": params}).encode())


def build(period: Period, group: WorkingGroup | None, phase: FundingPhase | None) -> dict:
    """The cached blocks of the dashboard's template, for readers and for writers (HTML strings)."""
    report = build_progress_report(period, group, phase=phase)
    context = {"report": report, "charts": charts_for(report), "filter_form": filter_form(period, group),
               "kinds": KINDS, "presets": PRESETS, "args": args(period, group, phase),
               "group_arg": group_args(group), "phases": phases.all_phases(), **display.helpers()}
    current_app.update_template_context(context)
    template = current_app.jinja_env.get_template(TEMPLATE)
    return {role: {name: "".join(template.blocks[name](template.new_context({**context, "can": partial(_can, writer)})))
                   for name in PARTS}
            for role, writer in ROLES.items()}


def _can(writer: bool, action: str, target=None, user=None) -> bool:
    """`can()` inside the cached blocks: they are the same for everyone of a role, so they may only
    ask whether the viewer may write the report."""
    if action != "reports.write":
        raise ValueError(f"the dashboard's cached parts cannot ask for {action!r}")
    return writer


def keep(built: tuple) -> DashboardEntry | None:
    """Store what a request or the worker built; older versions of the same dashboard are
    forgotten (of two stored at the same moment on PostgreSQL, neither sees the other's: both
    stay until the next store; the one inserted last is shown). The same version stored already
    (built anew because it was old, or by another request at the same time) is overwritten; then
    None."""
    params, version, parts, milliseconds = built
    key = _key(params)
    entry = DashboardEntry(key=key, params=params, version=version, parts=parts, build_ms=milliseconds,
                           built_at=utcnow())
    try:
        with db.session.begin_nested():
            db.session.add(entry)
    except IntegrityError:
        db.session.execute(update(DashboardEntry).where(DashboardEntry.key == key, DashboardEntry.version == version)
                           .values(parts=parts, build_ms=milliseconds, built_at=utcnow(), refresh_asked_at=None)
                           .execution_options(synchronize_session=False))
        return None
    db.session.execute(delete(DashboardEntry).where(DashboardEntry.key == key, DashboardEntry.id < entry.id))
    changes.forget_old()
    return entry


def work(payloads: list[bytes], config) -> list[Failure | None]:
    """The job handler: build each asked-for dashboard whose stored version is not the newest."""
    for payload in payloads:
        params = json.loads(payload)["params"]
        with current_app.test_request_context(base_url=config["PORTAL_BASE_URL"]), \
                force_locale(locale_of(params)):
            version = data_version()
            entry = _latest(_key(params))
            selection = stored.selection_of(params)
            if selection is None or (entry is not None and entry.version == version and not _too_old(entry)):
                db.session.rollback()
                continue
            started = time.perf_counter()
            parts = build(*selection)
            keep((params, version, parts, int((time.perf_counter() - started) * 1000)))
            db.session.commit()
    return [None] * len(payloads)
