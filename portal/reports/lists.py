"""The full lists behind the dashboard's summaries: the meetings and the decisions of a period
(of a working group), a page at a time. The dashboard shows only the latest few of each.

The same sets as the progress report: meetings that start in the period, the cancelled ones apart
(never tabled with the others); decisions of those meetings whose minutes are published."""
from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.groups.models import WorkingGroup
from portal.meetings.models import Decision, Meeting, MeetingStatus, MinutesStatus
from portal.reports.periods import Period
from portal.reports.queries import _in_span, attendance_of
from portal.reports.report import MeetingRow


def meetings_query(period: Period, group: WorkingGroup | None, cancelled: bool = False) -> Select:
    """The meetings of the period (or its cancelled ones), the latest first."""
    status = Meeting.status == MeetingStatus.CANCELLED if cancelled else Meeting.status != MeetingStatus.CANCELLED
    return (select(Meeting)
            .options(joinedload(Meeting.group), selectinload(Meeting.decisions))
            .where(*_in_span(period, group), status)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))


def meeting_rows(meetings: list[Meeting]) -> list[MeetingRow]:
    """A page of meetings with their attendance figures (one query for the page)."""
    return attendance_of(meetings) if meetings else []


def decisions_query(period: Period, group: WorkingGroup | None) -> Select:
    """The decisions the report counts: of the period's meetings with published minutes, the latest first."""
    return (select(Decision)
            .join(Decision.meeting)
            .options(contains_eager(Decision.meeting).joinedload(Meeting.group))
            .where(*_in_span(period, group), Meeting.minutes_status == MinutesStatus.PUBLISHED)
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc(), Decision.number))
