"""Who may see which hits: the pages' own permission predicates, applied in SQL.

Every kind is open to everyone signed in, except decisions and minutes texts of minutes that are
not yet published: those only for whom `can("minutes.view", meeting)` holds, as on the minutes
page. The candidate meetings (unpublished minutes the person has a part in) are few; the predicate
decides for each, and the hits are filtered by that list in the query.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.groups.models import Membership, MembershipStatus
from portal.meetings.models import Meeting, MinutesStatus, Participation
from portal.permissions import can, is_office
from portal.search.models import SearchDocument

UNPUBLISHED = (MinutesStatus.DRAFT, MinutesStatus.IN_REVIEW, MinutesStatus.APPROVED)


def readable_unpublished(user) -> list[int] | None:
    """Ids of meetings with unpublished minutes the user may read; None: all of them (the office)."""
    if is_office(user):
        return None
    moderated = select(Membership.group_id).where(
        Membership.person_id == user.id, Membership.status == MembershipStatus.ACTIVE,
        Membership.role == "moderator")
    invited = select(Participation.meeting_id).where(Participation.person_id == user.id)
    candidates = db.session.scalars(
        select(Meeting).where(
            Meeting.minutes_status.in_(UNPUBLISHED),
            or_(Meeting.id.in_(invited), Meeting.moderator_id == user.id, Meeting.minute_taker_id == user.id,
                Meeting.group_id.in_(moderated)))
        .options(selectinload(Meeting.participations)))
    return [m.id for m in candidates if can("minutes.view", m, user=user)]


def condition(user):
    """The SQL condition on SearchDocument of the hits `user` may see."""
    readable = readable_unpublished(user)
    if readable is None:
        return SearchDocument.id.is_not(None)
    return or_(SearchDocument.restricted.is_(False), SearchDocument.meeting_id.in_(readable))


def may_open(user, meeting: Meeting) -> bool:
    """For a single decision or text (its own page): the same rule as the minutes page."""
    return meeting.minutes_published or can("minutes.view", meeting, user=user)
