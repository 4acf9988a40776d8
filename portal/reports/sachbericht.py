"""The Sachbericht of a funding phase: the office's text of each section, followed by the facts the
portal computes for it from the report (one source for dashboard, PDF and CSV)."""
from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from portal.groups.models import WorkingGroup
from portal.labels import label
from portal.reports.display import figure
from portal.reports.phases import SECTIONS
from portal.reports.report import Report, Section


def sachbericht_sections(report: Report, narratives: dict, groups: list[WorkingGroup]) -> list[Section]:
    sections = []
    for key, title in SECTIONS:
        narrative = narratives.get((None, key))
        section = Section(key, str(title), narrative.text if narrative is not None else None)
        FACTS[key](section, report, groups)
        sections.append(section)
    return sections


def _day(day) -> str:
    return format_date(day, "medium")


def _goal_state(goal, report: Report) -> str:
    """The goal's state as the period saw it: a goal reached after the period's end was not yet
    reached in it (the report of a past phase must not claim later success)."""
    if goal.reached_on is not None and goal.reached_on <= report.period.end:
        return _("erreicht am %(date)s", date=_day(goal.reached_on))
    if goal.reached_on is not None:
        return _("im Zeitraum nicht erreicht (erst am %(date)s)", date=_day(goal.reached_on))
    return label("goal_status", goal.status)


def _situation(section: Section, report: Report, groups: list[WorkingGroup]) -> None:
    section.markdown = report.phase.goals
    section.items_title = _("Ziele der Reallabore, Stand am Ende des Zeitraums")
    for group in groups:
        for goal in group.goals:
            section.items.append(f"{group.name}: {goal.title} – {_goal_state(goal, report)}")


def _activities(section: Section, report: Report, _groups) -> None:
    f = report.figures
    section.facts = [
        (_("Treffen abgehalten"), _("%(n)s (Plenum %(p)s, Reallabore %(g)s)", n=figure(f.meetings_held),
                                    p=figure(f.plenary_meetings), g=figure(f.group_meetings))),
        (_("Teilnahmen (anwesend, mit Gästen)"), figure(f.attendances)),
        (_("Verschiedene Teilnehmende"), figure(f.participants)),
        (_("Teilnehmende Organisationen je Treffen (Mittel)"), figure(f.organizations_per_meeting, "decimal")),
        (_("Anteil der Organisationen in mindestens einem Reallabor"),
         figure(f.organizations_in_groups, "percent")),
    ]
    if report.cancelled:
        section.facts.append((_("Abgesagte Treffen (nicht gezählt)"), figure(len(report.cancelled))))


def _results(section: Section, report: Report, _groups) -> None:
    f = report.figures
    section.facts = [
        (_("Beschlüsse"), figure(f.decisions)),
        (_("Aufgaben aus diesen Beschlüssen"),
         _("%(n)s, davon fristgerecht erledigt %(done)s", n=figure(f.decision_actions),
           done=figure(f.decision_actions_on_time))),
        (_("Ziele erreicht"), figure(f.goals_reached)),
        (_("Meilensteine erreicht"), figure(f.milestones_reached)),
    ]
    section.items_title = _("Im Zeitraum erreichte Meilensteine")
    for outcome in report.outcomes:
        reached = [m for m in outcome.milestones if report.period.contains_day(m.reached_on)]
        if reached:
            steps = "; ".join(f"{m.title} ({_day(m.reached_on)})" for m in reached)
            section.items.append(f"{outcome.title} – {label('outcome_status', outcome.status)}: {steps}")


def _deviations(section: Section, report: Report, _groups) -> None:
    period = report.period
    section.items_title = _("Meilensteine, die im Zeitraum fällig waren und später oder nicht erreicht wurden")
    for outcome in report.outcomes:
        for m in outcome.milestones:
            if not period.contains_day(m.due_on):
                continue
            if m.reached_on is None or m.reached_on > period.end:
                section.items.append(_("%(outcome)s: „%(title)s“ fällig am %(due)s, im Zeitraum nicht erreicht",
                                       outcome=outcome.title, title=m.title, due=_day(m.due_on)))
            elif m.reached_on > m.due_on:
                section.items.append(_("%(outcome)s: „%(title)s“ fällig am %(due)s, erreicht am %(reached)s",
                                       outcome=outcome.title, title=m.title, due=_day(m.due_on),
                                       reached=_day(m.reached_on)))
    section.facts = [(_("Aufgaben überfällig am Ende des Zeitraums"), figure(report.figures.actions_overdue))]


def _outlook(section: Section, report: Report, groups: list[WorkingGroup]) -> None:
    end = report.period.end
    open_goals = sum(1 for g in groups for goal in g.goals if goal.reached_on is None or goal.reached_on > end)
    section.facts = [(_("Am Ende des Zeitraums offene Ziele der Reallabore"), figure(open_goals))]
    section.items_title = _("Meilensteine, die nach dem Zeitraum fällig sind")
    for outcome in report.outcomes:
        for m in outcome.milestones:
            if m.reached_on is None and m.due_on > report.period.end:
                section.items.append(_("%(outcome)s: „%(title)s“ geplant bis %(due)s", outcome=outcome.title,
                                       title=m.title, due=_day(m.due_on)))


FACTS = {"situation": _situation, "activities": _activities, "results": _results,
         "deviations": _deviations, "outlook": _outlook}

