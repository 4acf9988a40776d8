"""The progress report: one object, built by one function, read by the dashboard, the PDF and the CSV.

build_progress_report(period, group) runs a fixed set of queries (eleven), whatever the number of
meetings, participants or action items: narrow rows or aggregates come from the database, the
figures are counted here in Python, in Europe/Berlin time. Every figure is computed once, in this
module; templates and exports only show it.

Definitions (the tests compute the same figures independently):
- meetings held: meetings with status "held" that start in the period; with a group, its meetings.
- attendances: participations marked present (people and guests) at those meetings;
  participants: different people present; attendance rate: invited people present / invited people.
- members: people with role "member" (with a group: its memberships) who joined before the end of
  the period and had not left by then; joined/left: joining/leaving time in the period.
- decisions: decisions of the meetings that start in the period.
- action items: opened = created in the period; done = completed (status done) in the period;
  overdue at period end = created before and still open at the end of its last day (or of today,
  for a period not over yet), with a due date before that day; median days from creation to done
  over the items done in the period.
- goals and milestones reached: their "reached on" day lies in the period.
"""
from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.models import ActionItem
from portal.extensions import db
from portal.groups.models import Membership, WorkingGroup
from portal.meetings.models import Decision, Meeting, Participation
from portal.members.models import SECTORS, Organization, Person
from portal.reports.models import Outcome, ReportNarrative
from portal.reports.periods import Bucket, Period, buckets, local_date, local_midnight
from portal.types import local_today

CLOSED = ("done", "cancelled")
NO_SECTOR = _l("ohne Organisation")


@dataclass
class Figures:
    """The key figures of one period; the same fields for the period and the one before it."""

    meetings_held: int = 0
    plenary_meetings: int = 0
    group_meetings: int = 0
    attendances: int = 0
    participants: int = 0
    attendance_rate: float | None = None
    members: int = 0
    members_joined: int = 0
    members_left: int = 0
    decisions: int = 0
    actions_opened: int = 0
    actions_done: int = 0
    actions_overdue: int = 0
    median_days_to_done: float | None = None
    goals_reached: int = 0
    milestones_reached: int = 0


# (field, label, kind): the order in which dashboard, PDF and CSV list the key figures
KEY_FIGURES = (
    ("meetings_held", _l("Treffen abgehalten"), "count"),
    ("plenary_meetings", _l("davon Plenum"), "count"),
    ("group_meetings", _l("davon Reallabore"), "count"),
    ("attendances", _l("Teilnahmen (anwesend, mit Gästen)"), "count"),
    ("participants", _l("Verschiedene Teilnehmende"), "count"),
    ("attendance_rate", _l("Anwesenheitsquote der Eingeladenen"), "percent"),
    ("members", _l("Mitglieder am Ende des Zeitraums"), "count"),
    ("members_joined", _l("Mitglieder beigetreten"), "count"),
    ("members_left", _l("Mitglieder ausgetreten"), "count"),
    ("decisions", _l("Beschlüsse"), "count"),
    ("actions_opened", _l("Aufgaben angelegt"), "count"),
    ("actions_done", _l("Aufgaben erledigt"), "count"),
    ("actions_overdue", _l("Aufgaben überfällig am Ende des Zeitraums"), "count"),
    ("median_days_to_done", _l("Median Tage bis erledigt"), "days"),
    ("goals_reached", _l("Ziele erreicht"), "count"),
    ("milestones_reached", _l("Meilensteine erreicht"), "count"),
)


@dataclass
class FigureRow:
    name: str
    label: str
    kind: str  # count | percent | days
    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


@dataclass(kw_only=True)
class Attendance:
    attendances: int = 0      # present, people and guests
    invited: int = 0          # invited people (guests are not invited)
    invited_present: int = 0

    @property
    def rate(self) -> float | None:
        return self.invited_present / self.invited if self.invited else None


@dataclass
class MeetingRow(Attendance):
    meeting: Meeting


@dataclass
class AttendancePoint(Attendance):
    bucket: Bucket
    meetings: int = 0


@dataclass
class ActionPoint:
    bucket: Bucket
    opened: int = 0
    done: int = 0


@dataclass
class Chapter:
    """A working group's part of the report (group None: the plenary)."""

    group: WorkingGroup | None
    meetings: list[MeetingRow] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    narrative: ReportNarrative | None = None

    @property
    def goals(self):
        return self.group.goals if self.group is not None else []

    @property
    def held(self) -> int:
        return sum(1 for row in self.meetings if row.meeting.status == "held")

    @property
    def key(self) -> str:
        return f"group-{self.group.id}" if self.group is not None else "plenary"


@dataclass
class Report:
    period: Period
    previous_period: Period
    group: WorkingGroup | None
    as_of: date
    figures: Figures
    previous: Figures
    meetings: list[MeetingRow]
    decisions: list[Decision]
    chapters: list[Chapter]
    outcomes: list[Outcome]
    sectors: list[tuple[str, int]]
    attendance: list[AttendancePoint]
    actions: list[ActionPoint]
    narrative: ReportNarrative | None = None

    @property
    def key_figures(self) -> list[FigureRow]:
        return [FigureRow(name, str(label), kind, getattr(self.figures, name), getattr(self.previous, name))
                for name, label, kind in KEY_FIGURES]

    @property
    def meetings_by_chapter(self) -> list[tuple[str, int]]:
        return [(chapter_title(c), c.held) for c in self.chapters]

    @property
    def is_empty(self) -> bool:
        """Nothing happened in the period: no meeting, decision, action item or member change."""
        f = self.figures
        return not (self.meetings or f.decisions or f.actions_opened or f.actions_done
                    or f.members_joined or f.members_left or f.goals_reached or f.milestones_reached)


def chapter_title(chapter: Chapter) -> str:
    return chapter.group.name if chapter.group is not None else str(_l("Plenum"))


def build_progress_report(period: Period, group: WorkingGroup | None = None,
                          today: date | None = None) -> Report:
    """The report of `period`, for the whole alliance or one working group."""
    today = today or local_today()
    previous = period.previous()
    current_figures, previous_figures = Figures(), Figures()
    both = ((period, current_figures), (previous, previous_figures))

    groups = _groups(period, group)
    meetings = _meetings(previous, period, group)
    rows = _attendance_rows(meetings, previous, period, group)
    current_rows = [row for row in rows if period.contains(row.meeting.starts_at)]
    distinct = _distinct_participants(previous, period, group)
    for (p, figures), participants in zip(both, distinct):
        _count_meetings(figures, [r for r in rows if p.contains(r.meeting.starts_at)])
        figures.participants = participants

    sectors = _count_members(_member_rows(group), both, today)
    action_rows = _action_rows(period, group)
    _count_actions(action_rows, both, today)
    attendance, action_points = _series(period, current_rows, action_rows)

    outcomes = _outcomes(group)
    for p, figures in both:
        figures.goals_reached = sum(p.contains_day(goal.reached_on) for g in groups for goal in g.goals)
        figures.milestones_reached = sum(p.contains_day(m.reached_on) for o in outcomes for m in o.milestones)

    narratives = _narratives(period, group)
    chapters = _chapters(groups, group, current_rows, outcomes, narratives)
    decisions = [d for row in current_rows for d in row.meeting.decisions]
    return Report(
        period=period, previous_period=previous, group=group, as_of=min(period.end, today),
        figures=current_figures, previous=previous_figures, meetings=current_rows,
        decisions=decisions, chapters=chapters, outcomes=outcomes, sectors=sectors,
        attendance=attendance, actions=action_points,
        narrative=narratives.get(group.id if group is not None else None),
    )


def first_meeting_start() -> datetime | None:
    """When the alliance's first meeting began: the start of the whole project phase."""
    return db.session.scalar(select(func.min(Meeting.starts_at)))


# -- queries (each runs once per report) ---------------------------------------------------------

def _groups(period: Period, group: WorkingGroup | None) -> list[WorkingGroup]:
    query = (select(WorkingGroup).options(selectinload(WorkingGroup.goals))
             .where(or_(WorkingGroup.archived_at.is_(None), WorkingGroup.archived_at >= period.starts_at))
             .order_by(WorkingGroup.name))
    if group is not None:
        query = query.where(WorkingGroup.id == group.id)
    return list(db.session.scalars(query))


def _in_span(previous: Period, period: Period, group: WorkingGroup | None) -> list:
    conditions = [Meeting.starts_at >= previous.starts_at, Meeting.starts_at < period.ends_before]
    if group is not None:
        conditions.append(Meeting.group_id == group.id)
    return conditions


def _meetings(previous: Period, period: Period, group: WorkingGroup | None) -> list[Meeting]:
    query = (select(Meeting)
             .options(joinedload(Meeting.group), selectinload(Meeting.decisions))
             .where(*_in_span(previous, period, group))
             .order_by(Meeting.starts_at, Meeting.id))
    return list(db.session.scalars(query))


def _attendance_rows(meetings: list[Meeting], previous: Period, period: Period,
                     group: WorkingGroup | None) -> list[MeetingRow]:
    present = Participation.attendance == "present"
    person = Participation.person_id.is_not(None)
    query = (select(Participation.meeting_id,
                    func.sum(case((present, 1), else_=0)),
                    func.count(Participation.person_id),
                    func.sum(case((and_(present, person), 1), else_=0)))
             .join(Meeting, Meeting.id == Participation.meeting_id)
             .where(*_in_span(previous, period, group))
             .group_by(Participation.meeting_id))
    counts = {meeting_id: rest for meeting_id, *rest in db.session.execute(query)}
    rows = []
    for meeting in meetings:
        attendances, invited, invited_present = counts.get(meeting.id, (0, 0, 0))
        rows.append(MeetingRow(meeting=meeting, attendances=int(attendances or 0), invited=int(invited or 0),
                               invited_present=int(invited_present or 0)))
    return rows


def _distinct_participants(previous: Period, period: Period, group: WorkingGroup | None) -> tuple[int, int]:
    def people_present(p: Period):
        query = (select(func.count(distinct(Participation.person_id)))
                 .join(Meeting, Meeting.id == Participation.meeting_id)
                 .where(Participation.attendance == "present", Participation.person_id.is_not(None),
                        Meeting.status == "held", Meeting.starts_at >= p.starts_at,
                        Meeting.starts_at < p.ends_before))
        if group is not None:
            query = query.where(Meeting.group_id == group.id)
        return query.scalar_subquery()

    current, before = db.session.execute(select(people_present(period), people_present(previous))).one()
    return int(current or 0), int(before or 0)


def _member_rows(group: WorkingGroup | None) -> list[tuple[datetime | None, datetime | None, str | None]]:
    """(joined, left, sector) of every member of the alliance, or of the group's memberships."""
    if group is None:
        query = (select(Person.joined_at, Person.left_at, Organization.sector)
                 .outerjoin(Organization, Organization.id == Person.organization_id)
                 .where(Person.role == "member"))
    else:
        query = (select(Membership.joined_at, Membership.left_at, Organization.sector)
                 .join(Person, Person.id == Membership.person_id)
                 .outerjoin(Organization, Organization.id == Person.organization_id)
                 .where(Membership.group_id == group.id, Membership.joined_at.is_not(None)))
    return [tuple(row) for row in db.session.execute(query)]


_ACTION_COLUMNS = (ActionItem.created_at, ActionItem.completed_at, ActionItem.updated_at,
                   ActionItem.status, ActionItem.due_on)


def _action_rows(period: Period, group: WorkingGroup | None) -> list[tuple]:
    query = select(*_ACTION_COLUMNS).where(ActionItem.created_at < period.ends_before)
    if group is not None:
        query = query.where(ActionItem.group_id == group.id)
    return [tuple(row) for row in db.session.execute(query)]


def _outcomes(group: WorkingGroup | None) -> list[Outcome]:
    query = (select(Outcome)
             .options(selectinload(Outcome.milestones), joinedload(Outcome.group),
                      joinedload(Outcome.origin_meeting), joinedload(Outcome.origin_decision))
             .order_by(Outcome.title))
    if group is not None:
        query = query.where(Outcome.group_id == group.id)
    return list(db.session.scalars(query).unique())


def _narratives(period: Period, group: WorkingGroup | None) -> dict[int | None, ReportNarrative]:
    query = (select(ReportNarrative).options(joinedload(ReportNarrative.author))
             .where(ReportNarrative.period_start == period.start, ReportNarrative.period_end == period.end,
                    ReportNarrative.text != ""))
    if group is not None:
        query = query.where(ReportNarrative.group_id == group.id)
    return {n.group_id: n for n in db.session.scalars(query)}


# -- counting (plain Python over the rows above) -------------------------------------------------

def _end_of(p: Period, today: date) -> tuple[date, datetime]:
    """The day at which "at the end of the period" is taken (today for a period not over yet),
    and the first moment after that day."""
    as_of = min(p.end, today)
    return as_of, local_midnight(as_of + timedelta(days=1))


def _count_meetings(figures: Figures, rows: list[MeetingRow]) -> None:
    held = [row for row in rows if row.meeting.status == "held"]
    figures.meetings_held = len(held)
    figures.plenary_meetings = sum(row.meeting.kind == "plenary" for row in held)
    figures.group_meetings = len(held) - figures.plenary_meetings
    figures.attendances = sum(row.attendances for row in held)
    invited = sum(row.invited for row in held)
    figures.attendance_rate = sum(row.invited_present for row in held) / invited if invited else None
    figures.decisions = sum(len(row.meeting.decisions) for row in rows)


def _count_members(rows: list[tuple], both, today: date) -> list[tuple[str, int]]:
    """Members at the end, joined and left, for both periods; the sectors at the end of the first."""
    sectors: Counter = Counter()
    for index, (p, figures) in enumerate(both):
        _, end = _end_of(p, today)
        for joined, left, sector in rows:
            if joined is not None and joined < end and (left is None or left >= end):
                figures.members += 1
                if index == 0:
                    sectors[sector] += 1
            figures.members_joined += p.contains(joined)
            figures.members_left += p.contains(left)
    order = [s for s in SECTORS if sectors[s]] + [s for s in sectors if s not in SECTORS and s]
    result = [(s, sectors[s]) for s in order]
    if sectors[None]:
        result.append((str(NO_SECTOR), sectors[None]))
    return result


def _count_actions(rows: list[tuple], both, today: date) -> None:
    for p, figures in both:
        as_of, end = _end_of(p, today)
        durations = []
        for created, completed, updated, status, due_on in rows:
            if p.contains(created):
                figures.actions_opened += 1
            if status == "done" and p.contains(completed):
                figures.actions_done += 1
                durations.append((completed - created).total_seconds() / 86400)
            closed = status in CLOSED and (completed or updated) < end
            if created < end and due_on < as_of and not closed:
                figures.actions_overdue += 1
        figures.median_days_to_done = statistics.median(durations) if durations else None


def _series(period: Period, rows: list[MeetingRow], action_rows: list[tuple]):
    """Attendance and action items per month, quarter or year of the period."""
    parts = buckets(period)
    starts = [b.start for b in parts]

    def at(moment: datetime) -> int:
        return bisect_right(starts, local_date(moment)) - 1

    attendance = [AttendancePoint(bucket=b) for b in parts]
    for row in rows:
        if row.meeting.status == "held":
            point = attendance[at(row.meeting.starts_at)]
            point.meetings += 1
            point.attendances += row.attendances
            point.invited += row.invited
            point.invited_present += row.invited_present
    actions = [ActionPoint(b) for b in parts]
    for created, completed, _updated, status, _due in action_rows:
        if period.contains(created):
            actions[at(created)].opened += 1
        if status == "done" and period.contains(completed):
            actions[at(completed)].done += 1
    return attendance, actions


def _chapters(groups: list[WorkingGroup], group: WorkingGroup | None, rows: list[MeetingRow],
              outcomes: list[Outcome], narratives: dict) -> list[Chapter]:
    """The plenary (for the whole alliance) and one chapter per working group."""
    chapters = ([] if group is not None else [Chapter(None)]) + [Chapter(g) for g in groups]
    by_group = {c.group.id if c.group is not None else None: c for c in chapters}
    for row in rows:
        chapter = by_group.get(row.meeting.group_id if row.meeting.kind == "group" else None)
        if chapter is not None:
            chapter.meetings.append(row)
            chapter.decisions.extend(row.meeting.decisions)
    for outcome in outcomes:
        chapter = by_group.get(outcome.group_id)
        if chapter is not None:
            chapter.outcomes.append(outcome)
    if group is None:  # with one group, its narrative is the report's own
        for chapter in chapters:
            if chapter.group is not None:
                chapter.narrative = narratives.get(chapter.group.id)
    return chapters
