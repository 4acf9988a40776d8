"""Meeting series: the plenary meetings of the alliance form one series, each working group's
sessions another. A meeting's number counts the meetings of its series ("7. Treffen …")."""
from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.extensions import db
from portal.meetings.models import Meeting


def in_series(kind: str, group_id: int | None):
    """The WHERE clause that selects the meetings of one series."""
    if kind == "plenary":
        return Meeting.kind == "plenary"
    return (Meeting.kind == "group") & (Meeting.group_id == group_id)


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


def number_label(meeting: Meeting) -> str:
    """"7. Treffen der Wirtschaftsallianz Bottrop" or "3. Sitzung des Reallabors „Handel der Zukunft“"."""
    if meeting.kind == "plenary":
        name = current_app.config["PORTAL_NAME"]
        if meeting.number:
            return _("%(n)s. Treffen der %(name)s", n=meeting.number, name=name)
        return _("Treffen der %(name)s", name=name)
    group = meeting.group.name if meeting.group is not None else ""
    if meeting.number:
        return _("%(n)s. Sitzung des Reallabors „%(group)s“", n=meeting.number, group=group)
    return _("Sitzung des Reallabors „%(group)s“", group=group)
