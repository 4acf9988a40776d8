"""The surveys in the progress report: for a period, each survey closed in it with its response rate
and its charts (each with its number table, as the report's other charts)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from portal.extensions import db
from portal.reports.charts import Chart, bar_svg, column_svg
from portal.reports.display import figure
from portal.surveys.models import Survey, SurveyStatus
from portal.surveys.results import Results, compute
from portal.types import local_today


@dataclass
class SurveySection:
    survey: Survey
    results: Results
    charts: list[Chart]


def _yes_no(value: str) -> str:
    return {"yes": _("ja"), "no": _("nein")}.get(value, value)


def _short(text: str, limit: int = 22) -> str:
    """A label that fits under its column (the table beside the chart has it in full)."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def charts_of(results: Results) -> list[Chart]:
    """One chart per choice, yes/no and matrix question of shown results (none below the threshold)."""
    charts = []
    if not results.shown:
        return charts
    for q in results.questions:
        key = f"survey-{results.survey.id}-q{q.question.id}"
        title = q.question.text
        if q.shares:
            if results.survey.per_organization:
                description = ngettext("Antworten je Möglichkeit (%(num)s Organisation hat geantwortet).", "Antworten je Möglichkeit (%(num)s Organisationen haben geantwortet).", q.answered)
            else:
                description = ngettext("Antworten je Möglichkeit (%(num)s Person hat geantwortet).", "Antworten je Möglichkeit (%(num)s Personen haben geantwortet).", q.answered)
            rows = [(_yes_no(s.label), s.count) for s in q.shares]
            charts.append(Chart(key, title, description, bar_svg(key, title, description, rows),
                                [_("Antwort"), _("Anzahl"), _("Anteil")],
                                [[_yes_no(s.label), figure(s.count), figure(s.share, "percent")] for s in q.shares]))
        elif q.matrix:
            steps = q.question.scale_list
            description = _("Anzahl je Aussage für „%(first)s“ und „%(second)s“; alle Stufen in der Tabelle.",
                            first=steps[0], second=steps[1])
            series = [(steps[i], [shares[i].count for _s, shares in q.matrix]) for i in range(2)]
            svg = column_svg(key, title, description, [_short(s) for s, _shares in q.matrix], series)
            rows = [[statement] + [f"{figure(s.count)} ({figure(s.share, 'percent')})" for s in shares]
                    for statement, shares in q.matrix]
            charts.append(Chart(key, title, description, svg, [_("Aussage")] + steps, rows))
    return charts


def sections_for(start: date, end: date) -> list[SurveySection]:
    """The surveys that closed within start..end (inclusive), oldest first; one still running
    (its last day today or later) is not reported before its results are final."""
    surveys = db.session.scalars(select(Survey).where(
        Survey.status == SurveyStatus.OPEN, Survey.closes_on >= start, Survey.closes_on <= end,
        Survey.closes_on < local_today())
        .order_by(Survey.closes_on, Survey.id))
    sections = []
    for survey in surveys:
        found = compute(survey)
        sections.append(SurveySection(survey, found, charts_of(found)))
    return sections




