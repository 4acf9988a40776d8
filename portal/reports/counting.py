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
    figures.organizations_per_meeting = sum(row.organizations for row in held) / len(held) if held else None
    figures.decisions = sum(len(row.decisions) for row in rows)


def _in_order(sectors: Counter) -> list[tuple[str, int]]:
    order = [s for s in SECTORS if sectors[s]] + [s for s in sectors if s not in SECTORS and s]
    result = [(s, sectors[s]) for s in order]
    if sectors[None]:
        result.append((str(NO_SECTOR), sectors[None]))
    return result


def _organization_spans(rows: list[tuple]) -> dict[int, tuple]:
    """Per organization: (first joining, last leaving or None while a member remains, sector)."""
    spans: dict[int, tuple] = {}
    for joined, left, sector, organization_id in rows:
        if organization_id is None or joined is None:
            continue
        first, last, _ = spans.get(organization_id, (joined, left, sector))
        staying = last is None or left is None
        spans[organization_id] = (min(first, joined), None if staying else max(last, left), sector)
    return spans


def count_organizations(rows: list[tuple], group_rows: list[tuple], compared: list,
                        today: date) -> list[tuple[str, int]]:
    """Member organizations at the end, joined and left, and the share of them in a working group,
    for each period; their sectors at the end of the first period.

    An organization is a member while one of its people (role member) is; it joined with its first
    member and left with its last."""
    sectors: Counter = Counter()
    spans = _organization_spans(rows)
    for index, (p, figures) in enumerate(compared):
        _, end = _end_of(p, today)
        members = set()
        for organization_id, (first, last, sector) in spans.items():
            if first < end and (last is None or last >= end):
                members.add(organization_id)
                if index == 0:
                    sectors[sector] += 1
            figures.organizations_joined += p.contains(first)
            figures.organizations_left += p.contains(last)
        figures.organizations = len(members)
        in_groups = {organization_id for organization_id, joined, left in group_rows
                     if joined < end and (left is None or left >= p.starts_at)}
        figures.organizations_in_groups = len(members & in_groups) / len(members) if members else None
    return _in_order(sectors)


def count_decision_actions(figures: Figures, decision_ids: set[int], action_rows: list[tuple]) -> None:
    """Action items that came from the period's decisions, and those done by their due date."""
    for _created, completed, _updated, status, due_on, decision_id in action_rows:
        if decision_id in decision_ids:
            figures.decision_actions += 1
            figures.decision_actions_on_time += (status == ActionStatus.DONE and completed is not None
                                                 and local_date(completed) <= due_on)


def count_members(rows: list[tuple], compared: list, today: date) -> list[tuple[str, int]]:
    """Members at the end, joined and left, for each period; the sectors at the end of the first."""
    sectors: Counter = Counter()
    for index, (p, figures) in enumerate(compared):
        _, end = _end_of(p, today)
        for joined, left, sector, _organization in rows:
            if joined is not None and joined < end and (left is None or left >= end):
                figures.members += 1
                if index == 0:
                    sectors[sector] += 1
            figures.members_joined += p.contains(joined)
            figures.members_left += p.contains(left)
    return _in_order(sectors)


def count_actions(rows: list[tuple], compared: list, today: date) -> None:
    for p, figures in compared:
        as_of, end = _end_of(p, today)
        durations = []
        for created, completed, updated, status, due_on, _decision in rows:
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
    for created, completed, _updated, status, _due, _decision in action_rows:
        if period.contains(created):
            actions[at(created)].opened += 1
        if status == ActionStatus.DONE and period.contains(completed):
            actions[at(completed)].done += 1
    return attendance, actions
