"""Counting the progress report's figures: plain Python over the rows of portal.reports.queries,
in Europe/Berlin time."""
from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import Counter
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from portal.actions.items import CLOSED_STATUSES as CLOSED
from portal.actions.models import ActionStatus
from portal.members.models import SECTORS
from portal.reports.periods import Period, buckets, local_date, local_midnight
from portal.reports.report import ActionPoint, AttendancePoint, Figures, MeetingRow

NO_SECTOR = _l("ohne Organisation")


def _end_of(p: Period, today: date) -> tuple[date, datetime]:
    """The day at which "at the end of the period" is taken (today for a period not over yet),
    and the first moment after that day."""
    as_of = min(p.end, today)
    return as_of, local_midnight(as_of + timedelta(days=1))


def count_meetings(figures: Figures, rows: list[MeetingRow]) -> None:
    held = [row for row in rows if row.meeting.is_held]
    figures.meetings_held = len(held)
    figures.plenary_meetings = sum(row.meeting.is_plenary for row in held)
    figures.group_meetings = len(held) - figures.plenary_meetings
    figures.attendances = sum(row.attendances for row in held)
    invited = sum(row.invited for row in held)
    figures.attendance_rate = sum(row.invited_present for row in held) / invited if invited else None
    figures.decisions = sum(len(row.decisions) for row in rows)


def count_members(rows: list[tuple], compared: list, today: date) -> list[tuple[str, int]]:
    """Members at the end, joined and left, for each period; the sectors at the end of the first."""
    sectors: Counter = Counter()
    for index, (p, figures) in enumerate(compared):
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


def count_actions(rows: list[tuple], compared: list, today: date) -> None:
    for p, figures in compared:
        as_of, end = _end_of(p, today)
        durations = []
        for created, completed, updated, status, due_on in rows:
            if p.contains(created):
                figures.actions_opened += 1
            if status == ActionStatus.DONE and p.contains(completed):
                figures.actions_done += 1
                durations.append((completed - created).total_seconds() / 86400)
            closed = status in CLOSED and (completed or updated) < end
            if created < end and due_on < as_of and not closed:
                figures.actions_overdue += 1
        figures.median_days_to_done = statistics.median(durations) if durations else None


def series(period: Period, rows: list[MeetingRow], action_rows: list[tuple]):
    """Attendance and action items per month, quarter or year of the period."""
    parts = buckets(period)
    starts = [b.start for b in parts]

    def at(moment: datetime) -> int:
        return bisect_right(starts, local_date(moment)) - 1

    attendance = [AttendancePoint(bucket=b) for b in parts]
    for row in rows:
        if row.meeting.is_held:
            point = attendance[at(row.meeting.starts_at)]
            point.meetings += 1
            point.attendances += row.attendances
            point.invited += row.invited
            point.invited_present += row.invited_present
    actions = [ActionPoint(b) for b in parts]
    for created, completed, _updated, status, _due in action_rows:
        if period.contains(created):
            actions[at(created)].opened += 1
        if status == ActionStatus.DONE and period.contains(completed):
            actions[at(completed)].done += 1
    return attendance, actions
