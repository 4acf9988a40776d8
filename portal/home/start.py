"""What each role sees first: a handful of queries, none of them per row."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.actions import queries as action_queries
from portal.actions.items import OPEN_STATUSES
from portal.actions.models import ActionItem, ActionStatus
from portal.extensions import db
from portal.groups.models import Membership, MembershipStatus, WorkingGroup
from portal.jobs import outbox
from portal.meetings.models import Decision, Meeting, Participation
from portal.members.models import Person, Role
from portal.permissions import moderated_group_ids
from portal.types import local_today, utcnow

LIST_LIMIT = 10


@dataclass
class StartPage:
    meetings: list[Meeting] = field(default_factory=list)
    unpublished_minutes: list[Meeting] = field(default_factory=list)
    overdue_actions: list[ActionItem] = field(default_factory=list)
    overdue_count: int = 0
    join_requests: list[Membership] = field(default_factory=list)
    groups: list[WorkingGroup] = field(default_factory=list)
    my_actions: list[ActionItem] = field(default_factory=list)
    recent_minutes: list[Meeting] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)
    mail_health: outbox.MailHealth | None = None


def _meetings_query():
    return select(Meeting).options(joinedload(Meeting.group))


def _upcoming(days: int | None = None):
    now = utcnow()
    query = _meetings_query().where(Meeting.starts_at >= now, Meeting.status == "planned")
    if days is not None:
        query = query.where(Meeting.starts_at < now + timedelta(days=days))
    return query.order_by(Meeting.starts_at)


def _actions_query():
    return select(ActionItem).options(joinedload(ActionItem.owner), joinedload(ActionItem.group))


OVERDUE = action_queries.ActionFilter(overdue=True)  # the filter of /actions?overdue=y


def _join_requests(group_ids: set[int] | None) -> list[Membership]:
    query = (
        select(Membership)
        .options(joinedload(Membership.person), joinedload(Membership.group))
        .where(Membership.status == MembershipStatus.REQUESTED)
        .order_by(Membership.requested_at)
    )
    if group_ids is not None:
        query = query.where(Membership.group_id.in_(group_ids))
    return list(db.session.scalars(query.limit(LIST_LIMIT)))


def office_page(user: Person) -> StartPage:
    today = local_today()
    unpublished = (
        _meetings_query()
        .where(Meeting.status == "held", Meeting.minutes_status != "published")
        .order_by(Meeting.starts_at.desc())
        .limit(LIST_LIMIT)
    )
    overdue = action_queries.filtered(OVERDUE, today)
    return StartPage(
        meetings=list(db.session.scalars(_upcoming(days=60).limit(LIST_LIMIT))),
        unpublished_minutes=list(db.session.scalars(unpublished)),
        overdue_actions=list(db.session.scalars(overdue.limit(LIST_LIMIT)).unique()),
        overdue_count=sum(action_queries.status_counts(OVERDUE, today).values()),
        join_requests=_join_requests(None),
        mail_health=outbox.health(),
    )


def member_page(user: Person) -> StartPage:

    memberships = db.session.scalars(
        select(Membership).options(joinedload(Membership.group))
        .where(Membership.person_id == user.id, Membership.status == MembershipStatus.ACTIVE)
    ).all()
    group_ids = {m.group_id for m in memberships}
    invited = select(Participation.meeting_id).where(Participation.person_id == user.id)
    meetings = _upcoming().where(
        or_(Meeting.kind == "plenary", Meeting.group_id.in_(group_ids), Meeting.id.in_(invited))
    ).limit(LIST_LIMIT)
    mine = (
        _actions_query()
        .where(ActionItem.owner_id == user.id, ActionItem.status.in_(OPEN_STATUSES))
        .order_by(ActionItem.due_on)
    )
    moderated = moderated_group_ids(user)
    return StartPage(
        groups=sorted((m.group for m in memberships), key=lambda g: g.name),
        meetings=list(db.session.scalars(meetings)),
        my_actions=list(db.session.scalars(mine)),
        join_requests=_join_requests(moderated) if moderated else [],
    )


def observer_page(user: Person) -> StartPage:
    recent = (
        _meetings_query()
        .where(Meeting.minutes_status == "published")
        .order_by(Meeting.starts_at.desc())
        .limit(LIST_LIMIT)
    )
    counts = db.session.execute(
        select(
            select(func.count(Person.id)).where(Person.active, Person.role == Role.MEMBER).scalar_subquery(),
            select(func.count(WorkingGroup.id)).where(WorkingGroup.archived_at.is_(None)).scalar_subquery(),
            select(func.count(Meeting.id)).where(Meeting.status == "held").scalar_subquery(),
            select(func.count(Decision.id)).join(Meeting)
            .where(Meeting.minutes_status == "published").scalar_subquery(),
            select(func.count(ActionItem.id)).where(ActionItem.status == ActionStatus.DONE).scalar_subquery(),
            select(func.count(ActionItem.id)).where(ActionItem.status.in_(OPEN_STATUSES)).scalar_subquery(),
        )
    ).one()
    keys = ("members", "groups", "meetings_held", "decisions", "actions_done", "actions_open")
    return StartPage(recent_minutes=list(db.session.scalars(recent)), figures=dict(zip(keys, counts, strict=True)))
