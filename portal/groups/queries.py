"""What the group pages show, each loaded with a fixed number of queries (none per row)."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.items import OPEN_STATUSES as OPEN_ACTION_STATUSES
from portal.actions.models import ActionItem
from portal.extensions import db
from portal.groups.models import (
    OPEN_MEMBERSHIP_STATUSES,
    GroupGoal,
    Membership,
    MembershipRole,
    MembershipStatus,
    WorkingGroup,
)
from portal.meetings.models import Decision, Meeting
from portal.members.models import Person
from portal.reports.models import Outcome
from portal.text import plain_text
from portal.types import utcnow

MEETINGS_SHOWN = 10
ACTIONS_SHOWN = 20
DECISIONS_SHOWN = 10


@dataclass
class GroupList:
    page: Pagination
    archived: list[WorkingGroup]
    moderators: dict[int, list[Person]]
    member_counts: dict[int, int]
    my_status: dict[int, str]  # group id → the viewer's "active" or "requested"
    excerpts: dict[int, str]


def excerpt(markdown: str, length: int = 240) -> str:
    """The start of a Markdown text as plain text, cut at a word boundary."""
    text = " ".join(plain_text(markdown).split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " …"


@dataclass
class GroupPage:
    group: WorkingGroup
    goals: list[GroupGoal]
    moderators: list[Membership] = field(default_factory=list)
    members: list[Membership] = field(default_factory=list)
    requests: list[Membership] = field(default_factory=list)
    mine: Membership | None = None
    upcoming: list[Meeting] = field(default_factory=list)
    past: list[Meeting] = field(default_factory=list)
    open_actions: list[ActionItem] = field(default_factory=list)
    open_action_count: int = 0
    decisions: list[Decision] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)


def _moderators(group_ids: list[int]) -> dict[int, list[Person]]:
    rows = db.session.execute(
        select(Membership.group_id, Person)
        .join(Person, Membership.person_id == Person.id)
        .where(Membership.group_id.in_(group_ids), Membership.status == MembershipStatus.ACTIVE,
               Membership.role == MembershipRole.MODERATOR)
        .order_by(Person.name)
    ).all()
    result: dict[int, list[Person]] = {}
    for group_id, person in rows:
        result.setdefault(group_id, []).append(person)
    return result


def group_list(viewer: Person, page: int, per_page: int) -> GroupList:
    active = db.paginate(
        select(WorkingGroup).where(WorkingGroup.archived_at.is_(None)).order_by(WorkingGroup.name),
        page=page, per_page=per_page, error_out=False,
    )
    archived = list(db.session.scalars(
        select(WorkingGroup).where(WorkingGroup.archived_at.is_not(None)).order_by(WorkingGroup.name)
    ))
    ids = [g.id for g in active.items]
    counts = dict(db.session.execute(
        select(Membership.group_id, func.count(Membership.id))
        .where(Membership.group_id.in_(ids), Membership.status == MembershipStatus.ACTIVE)
        .group_by(Membership.group_id)
    ).all()) if ids else {}
    mine = dict(db.session.execute(
        select(Membership.group_id, Membership.status)
        .where(Membership.person_id == viewer.id, Membership.status.in_(OPEN_MEMBERSHIP_STATUSES))
    ).all())
    return GroupList(page=active, archived=archived, moderators=_moderators(ids) if ids else {},
                     member_counts=counts, my_status=mine,
                     excerpts={g.id: excerpt(g.description) for g in active.items})


def group_page(group: WorkingGroup, viewer: Person, sees_requests: bool) -> GroupPage:
    now = utcnow()
    # everyone sees the active members; managers see all requests, others only their own
    visible = Membership.status.in_(OPEN_MEMBERSHIP_STATUSES) if sees_requests else or_(
        Membership.status == MembershipStatus.ACTIVE,
        and_(Membership.status == MembershipStatus.REQUESTED, Membership.person_id == viewer.id),
    )
    memberships = db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.person).joinedload(Person.organization))
        .join(Person, Membership.person_id == Person.id)
        .where(Membership.group_id == group.id, visible)
        .order_by(Person.name)
    ).all()
    page = GroupPage(
        group=group,
        goals=list(db.session.scalars(
            select(GroupGoal).where(GroupGoal.group_id == group.id).order_by(GroupGoal.position, GroupGoal.id)
        )),
        moderators=[m for m in memberships if m.is_moderator],
        members=[m for m in memberships if m.status == MembershipStatus.ACTIVE and not m.is_moderator],
        requests=sorted((m for m in memberships if m.status == MembershipStatus.REQUESTED and sees_requests),
                        key=lambda m: m.requested_at),
        mine=next((m for m in memberships if m.person_id == viewer.id), None),
    )

    meetings = select(Meeting).where(Meeting.group_id == group.id)
    page.upcoming = list(db.session.scalars(
        meetings.where(Meeting.starts_at >= now).order_by(Meeting.starts_at).limit(MEETINGS_SHOWN)
    ))
    page.past = list(db.session.scalars(
        meetings.where(Meeting.starts_at < now, Meeting.status != "cancelled")
        .order_by(Meeting.starts_at.desc()).limit(MEETINGS_SHOWN)
    ))

    open_actions = (ActionItem.group_id == group.id, ActionItem.status.in_(OPEN_ACTION_STATUSES))
    page.open_actions = list(db.session.scalars(
        select(ActionItem).options(joinedload(ActionItem.owner), joinedload(ActionItem.group))
        .where(*open_actions).order_by(ActionItem.due_on, ActionItem.id).limit(ACTIONS_SHOWN)
    ))
    page.open_action_count = db.session.scalar(select(func.count(ActionItem.id)).where(*open_actions))

    # only decisions of published minutes: drafts may still change
    page.decisions = list(db.session.scalars(
        select(Decision).join(Decision.meeting).options(joinedload(Decision.meeting))
        .where(Meeting.group_id == group.id, Meeting.minutes_status == "published")
        .order_by(Meeting.starts_at.desc(), Decision.number.desc()).limit(DECISIONS_SHOWN)
    ))
    page.outcomes = list(db.session.scalars(
        select(Outcome).options(selectinload(Outcome.milestones))
        .where(Outcome.group_id == group.id).order_by(Outcome.created_at.desc(), Outcome.id.desc())
    ))
    return page


def managed_memberships(group: WorkingGroup) -> list[Membership]:
    """Active memberships of the group, moderators first, for the member management page."""
    return list(db.session.scalars(
        select(Membership)
        .options(joinedload(Membership.person).joinedload(Person.organization))
        .join(Person, Membership.person_id == Person.id)
        .where(Membership.group_id == group.id, Membership.status == MembershipStatus.ACTIVE)
        .order_by(Membership.role.desc(), Person.name)
    ))
