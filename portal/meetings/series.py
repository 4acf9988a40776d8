"""Meeting series: the plenary meetings of the alliance form one series, each working group's
sessions another. A meeting's number counts the meetings of its series ("7. Treffen …"): no two
meetings of a series that count carry the same number. A cancelled meeting does not count; its
number is free again and not shown."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.meetings.models import Meeting


def in_series(kind: str, group_id: int | None):
    """The WHERE clause that selects the meetings of one series."""
    if kind == "plenary":
        return Meeting.kind == "plenary"
    return (Meeting.kind == "group") & (Meeting.group_id == group_id)


def _counting(meeting: Meeting):
    """The meetings of `meeting`'s series that count (not cancelled), without `meeting` itself.
    The group is read through the relationship: a new meeting has no group_id before its flush."""
    group_id = meeting.group.id if meeting.group is not None else meeting.group_id
    query = select(Meeting).where(in_series(meeting.kind, group_id), Meeting.status != "cancelled")
    if meeting.id is not None:
        query = query.where(Meeting.id != meeting.id)
    return query


SERIES_LOCK = 1  # the first key of PostgreSQL's advisory locks on a meeting series


def lock(meeting: Meeting) -> None:
    """Let one transaction at a time choose numbers in `meeting`'s series, until it ends, so that
    meetings created at the same moment get different numbers (the unique indexes on meetings
    are the guarantee). PostgreSQL: an advisory lock per series; SQLite: the write transaction
    holds the database's write lock already."""
    if db.session.get_bind().dialect.name == "postgresql":
        group_id = meeting.group.id if meeting.group is not None else meeting.group_id
        db.session.execute(text("SELECT pg_advisory_xact_lock(CAST(:kind AS integer), "
                                "CAST(:series AS integer))"), {"kind": SERIES_LOCK, "series": group_id or 0})


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The latest meeting of the same series that started before this one and was not cancelled."""
    query = (
        select(Meeting)
        .where(in_series(meeting.kind, meeting.group_id), Meeting.status != "cancelled",
               Meeting.starts_at < meeting.starts_at)
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(1)
    )
    if meeting.id is not None:
        query = query.where(Meeting.id != meeting.id)
    return db.session.scalar(query)


def next_number(kind: str, group_id: int | None, starts_at: datetime) -> int:
    """The number a new meeting of the series starting at `starts_at` gets: one more than the
    highest number of the series' meetings before it (cancelled ones do not count)."""
    highest = db.session.scalar(
        select(func.max(Meeting.number)).where(
            in_series(kind, group_id), Meeting.status != "cancelled", Meeting.starts_at < starts_at
        )
    )
    return (highest or 0) + 1


def number_holder(meeting: Meeting, number: int) -> Meeting | None:
    """The other meeting of the series that carries `number`, if any."""
    return db.session.scalars(_counting(meeting).where(Meeting.number == number).limit(1)).first()


def numbered_from(meeting: Meeting, number: int) -> list[Meeting]:
    """The other meetings of the series numbered number, number + 1, … without a gap: the ones
    that have to move up by one so that `number` becomes free."""
    chain = []
    for other in db.session.scalars(_counting(meeting).where(Meeting.number >= number)
                                    .order_by(Meeting.number, Meeting.starts_at)):
        if other.number != number + len(chain):
            break
        chain.append(other)
    return chain


def highest_number(meeting: Meeting) -> int:
    return db.session.scalar(_counting(meeting).with_only_columns(func.max(Meeting.number))) or 0


def renumberable(meeting: Meeting) -> bool:
    """Only a meeting that is planned and has no minutes yet may get another number."""
    return meeting.status == "planned" and meeting.minutes_status == "none"


def number_label(meeting: Meeting) -> str:
    """"7. Treffen der Wirtschaftsallianz Bottrop" or "3. Sitzung des Reallabors „Handel der Zukunft“";
    without the number when the meeting is cancelled (it does not count in the series)."""
    number = meeting.number if meeting.status != "cancelled" else None
    if meeting.kind == "plenary":
        name = current_app.config["PORTAL_NAME"]
        if number:
            return _("%(n)s. Treffen der %(name)s", n=number, name=name)
        return _("Treffen der %(name)s", name=name)
    group = meeting.group.name if meeting.group is not None else ""
    if number:
        return _("%(n)s. Sitzung des Reallabors „%(group)s“", n=number, group=group)
    return _("Sitzung des Reallabors „%(group)s“", group=group)
