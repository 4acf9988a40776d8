"""The progress report: one object, built by one function, read by the dashboard, the PDF and the CSV.

build_progress_report(period, group) runs a fixed set of queries (twelve), whatever the number of
meetings, participants or action items: narrow rows or aggregates come from the database, the
figures are counted here in Python, in Europe/Berlin time. Every figure is computed once, in this
module; templates and exports only show it.

Definitions (the tests compute the same figures independently):
- meetings held: meetings with status "held" that start in the period; with a group, its meetings.
  Cancelled meetings are no meetings of the report: they are only listed apart ("Abgesagte Treffen").
- attendances: participations marked present (people and guests) at those meetings;
  participants: different people present; attendance rate: invited people present / invited people.
- organizations: see KEY_FIGURES in portal.reports.report (each figure's definition, printed as
  its footnote); guests without an account never count.
- members: people with role "member" (with a group: its memberships) who joined before the end of
  the period and had not left by then; joined/left: joining/leaving time in the period.
- decisions: decisions of the meetings that start in the period and whose minutes are published.
- action items: opened = created in the period; done = completed (status done) in the period;
  overdue at period end = created before and still open at the end of its last day (or of today,
  for a period not over yet), with a due date before that day; median days from creation to done
  over the items done in the period.
- goals and milestones reached: their "reached on" day lies in the period.
- comparison: the period of the same length just before, unless it lies entirely before the first
  meeting of the alliance (Period.comparison); then there is none, and the report says why.
"""
from __future__ import annotations

from datetime import date

from portal.groups.models import WorkingGroup
from portal.reports import counting, queries
from portal.reports.models import FundingPhase, Outcome
from portal.reports.narratives import report_narratives
from portal.reports.periods import Period
from portal.reports.report import Chapter, Figures, MeetingRow, Report
from portal.reports.sachbericht import sachbericht_sections
from portal.types import local_today


def build_progress_report(period: Period, group: WorkingGroup | None = None,
                          today: date | None = None, phase: FundingPhase | None = None) -> Report:
    """The report of `period`, for the whole alliance or one working group; with `phase` (whose
    period `period` is) its narratives are the phase's and it carries the Sachbericht."""
    today = today or local_today()
    previous = period.comparison(queries.first_meeting_start())
    current_figures, previous_figures = Figures(), Figures() if previous is not None else None
    # (period, its figures): the report's period first, then the one it is compared with, if any
    compared = [(period, current_figures)] + ([(previous, previous_figures)] if previous is not None else [])
    span = Period(previous.start, period.end) if previous is not None else period

    groups = queries.working_groups(period, group)
    meetings = queries.meetings(span, group)
    cancelled = [m for m in meetings if m.is_cancelled and period.contains(m.starts_at)]
    rows = queries.attendance_rows([m for m in meetings if not m.is_cancelled], span, group)
    current_rows = [row for row in rows if period.contains(row.meeting.starts_at)]
    distinct = queries.distinct_participants([p for p, _ in compared], group)
    for (p, figures), participants in zip(compared, distinct, strict=True):
        counting.count_meetings(figures, [r for r in rows if p.contains(r.meeting.starts_at)])
        figures.participants = participants

    member_rows = queries.member_rows(group)
    sectors = counting.count_members(member_rows, compared, today)
    organization_sectors = counting.count_organizations(member_rows, queries.group_membership_rows(group),
                                                        compared, today)
    action_rows = queries.action_rows(period, group)
    counting.count_actions(action_rows, compared, today)
    for p, figures in compared:
        decided = {d.id for r in rows if p.contains(r.meeting.starts_at) for d in r.decisions}
        counting.count_decision_actions(figures, decided, action_rows)
    attendance, action_points = counting.series(period, current_rows, action_rows)

    outcomes = queries.outcomes(group)
    for p, figures in compared:
        figures.goals_reached = sum(p.contains_day(goal.reached_on) for g in groups for goal in g.goals)
        figures.milestones_reached = sum(p.contains_day(m.reached_on) for o in outcomes for m in o.milestones)

    narratives = report_narratives(period, group, phase)
    chapters = _chapters(groups, group, current_rows, outcomes, narratives)
    decisions = [d for row in current_rows for d in row.decisions]
    report = Report(
        period=period, previous_period=previous, group=group, as_of=min(period.end, today),
        figures=current_figures, previous=previous_figures, meetings=current_rows,
        decisions=decisions, chapters=chapters, outcomes=outcomes, sectors=sectors,
        attendance=attendance, actions=action_points,
        narrative=narratives.get((group.id if group is not None else None, None)), cancelled=cancelled,
        phase=phase, organization_sectors=organization_sectors,
    )
    if phase is not None and group is None:
        report.sachbericht = sachbericht_sections(report, narratives, groups)
    return report


def _chapters(groups: list[WorkingGroup], group: WorkingGroup | None, rows: list[MeetingRow],
              outcomes: list[Outcome], narratives: dict) -> list[Chapter]:
    """The plenary (for the whole alliance) and one chapter per working group."""
    chapters = ([] if group is not None else [Chapter(None)]) + [Chapter(g) for g in groups]
    by_group = {c.group.id if c.group is not None else None: c for c in chapters}
    for row in rows:
        chapter = by_group.get(row.meeting.group_id if row.meeting.kind == "group" else None)
        if chapter is not None:
            chapter.meetings.append(row)
            chapter.decisions.extend(row.decisions)
    for outcome in outcomes:
        chapter = by_group.get(outcome.group_id)
        if chapter is not None:
            chapter.outcomes.append(outcome)
    if group is None:  # with one group, its narrative is the report's own
        for chapter in chapters:
            if chapter.group is not None:
                chapter.narrative = narratives.get((chapter.group.id, None))
    return chapters
