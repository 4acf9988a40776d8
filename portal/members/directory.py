"""Queries behind the member directory, profiles and organization pages.

Each query chooses its loading up front, so that a page runs the same number of SQL
statements however many people, organizations and memberships there are.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.actions.models import ActionItem
from portal.audit.models import AuditEvent
from portal.database import contains_folded
from portal.extensions import db
from portal.groups.models import Membership, MembershipStatus, WorkingGroup
from portal.meetings.models import Attendance, Meeting, Participation
from portal.members.models import SECTORS, Organization, Person
from portal.params import parse_int


class AccountStatus(enum.StrEnum):
    """Who the directory lists: "active" people (incl. those the office keeps without an account),
    people whose "invited" invitation is still open, and "inactive" (deactivated) accounts.
    Not stored: read from the account (status_of) or asked of the database (status_condition)."""
    ACTIVE = "active"
    INVITED = "invited"
    INACTIVE = "inactive"

    @property
    def is_invited(self) -> bool:
        return self is AccountStatus.INVITED

    @property
    def is_inactive(self) -> bool:
        return self is AccountStatus.INACTIVE


STATUSES = tuple(AccountStatus)


def _no_password():
    return or_(Person.password_hash.is_(None), Person.password_hash == "")


def status_condition(status: str):
    invited = and_(Person.active.is_(True), Person.invitation_nonce.is_not(None), _no_password())
    if status == AccountStatus.INVITED:
        return invited
    if status == AccountStatus.INACTIVE:
        return Person.active.is_(False)
    return and_(Person.active.is_(True), ~invited)


def status_of(person: Person) -> AccountStatus:
    if not person.active:
        return AccountStatus.INACTIVE
    return AccountStatus.INVITED if person.invitation_pending else AccountStatus.ACTIVE


@dataclass
class Filters:
    """The directory's filters, as read from the URL; unknown values are ignored."""

    q: str = ""
    sector: str = ""
    group_id: int | None = None
    status: str = "active"

    @classmethod
    def read(cls, args, office: bool) -> Filters:
        sector = args.get("sector", "")
        status = args.get("status", "active")
        group = args.get("group", "")
        return cls(
            q=args.get("q", "").strip()[:100],
            sector=sector if sector in SECTORS else "",
            group_id=parse_int(group),
            status=AccountStatus(status) if office and status in STATUSES else AccountStatus.ACTIVE,
        )

    def args(self) -> dict:
        """The filters as URL parameters (for pagination links and the export)."""
        values = {"q": self.q, "sector": self.sector, "group": self.group_id or "",
                  "status": "" if self.status == AccountStatus.ACTIVE else self.status}
        return {k: v for k, v in values.items() if v}


def _active_memberships():
    return selectinload(
        Person.memberships.and_(Membership.status == MembershipStatus.ACTIVE)
    ).joinedload(Membership.group)


def people_query(filters: Filters) -> Select:
    query = (
        select(Person)
        .outerjoin(Person.organization)
        .options(contains_eager(Person.organization), _active_memberships())
        .where(status_condition(filters.status))
        .order_by(func.lower(Person.name), Person.id)
    )
    if filters.q:
        query = query.where(or_(contains_folded(Person.name, filters.q),
                                contains_folded(Organization.name, filters.q)))
    if filters.sector:
        query = query.where(Organization.sector == filters.sector)
    if filters.group_id is not None:
        query = query.where(exists().where(
            Membership.person_id == Person.id, Membership.group_id == filters.group_id,
            Membership.status == MembershipStatus.ACTIVE,
        ))
    return query


def active_groups() -> list[WorkingGroup]:
    return list(db.session.scalars(
        select(WorkingGroup).where(WorkingGroup.archived_at.is_(None)).order_by(WorkingGroup.name)
    ))


def visible_groups(person: Person) -> list[Membership]:
    """The person's active memberships in groups that are not archived, by group name."""
    return sorted(
        (m for m in person.memberships if m.is_active and not m.group.is_archived),
        key=lambda m: m.group.name.lower(),
    )


def person_query(person_id: int, office: bool) -> Select:
    """One person with organization and groups; others than the office see active people only."""
    query = (
        select(Person)
        .options(joinedload(Person.organization), _active_memberships())
        .where(Person.id == person_id)
    )
    if not office:
        query = query.where(status_condition(AccountStatus.ACTIVE))
    return query


def history(entity_type: str, entity_id: int, limit: int = 20) -> list[tuple[AuditEvent, str | None]]:
    """The latest audit events of one entity, each with the name of who made the change."""
    return [tuple(row) for row in db.session.execute(
        select(AuditEvent, Person.name)
        .outerjoin(Person, Person.id == AuditEvent.actor_id)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )]


HISTORY_PER_PAGE = 10


@dataclass
class PersonHistory:
    """What a person took part in, each list a page of its own (newest first)."""

    groups: Pagination
    meetings: Pagination
    actions: Pagination


def person_history(person: Person, groups_page: int = 1, meetings_page: int = 1,
                   actions_page: int = 1) -> PersonHistory:
    """Groups joined (and left), meetings attended and action items owned: six queries, whatever
    the person's history holds."""
    groups = (select(Membership).options(joinedload(Membership.group))
              .where(Membership.person_id == person.id,
                     Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.LEFT)))
              .order_by(Membership.joined_at.desc(), Membership.id.desc()))
    meetings = (select(Meeting).options(joinedload(Meeting.group))
                .join(Participation, Participation.meeting_id == Meeting.id)
                .where(Participation.person_id == person.id, Participation.attendance == Attendance.PRESENT)
                .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))
    actions = (select(ActionItem).options(joinedload(ActionItem.group))
               .where(ActionItem.owner_id == person.id)
               .order_by(ActionItem.due_on.desc(), ActionItem.id.desc()))
    return PersonHistory(_page(groups, groups_page), _page(meetings, meetings_page), _page(actions, actions_page))


def _page(query: Select, number: int) -> Pagination:
    return db.paginate(query, page=max(number, 1), per_page=HISTORY_PER_PAGE, error_out=False)


def organizations_query(q: str = "", sector: str = "") -> Select:
    query = select(Organization).order_by(func.lower(Organization.name), Organization.id)
    if q:
        query = query.where(contains_folded(Organization.name, q))
    if sector:
        query = query.where(Organization.sector == sector)
    return query


def people_counts(organization_ids: list[int]) -> dict[int, int]:
    """{organization id: number of its active people}, in one query."""
    if not organization_ids:
        return {}
    rows = db.session.execute(
        select(Person.organization_id, func.count(Person.id))
        .where(Person.organization_id.in_(organization_ids), status_condition(AccountStatus.ACTIVE))
        .group_by(Person.organization_id)
    )
    return dict(rows.all())


def organization_people(organization: Organization, office: bool) -> list[Person]:
    query = (
        select(Person)
        .options(_active_memberships())
        .where(Person.organization_id == organization.id)
        .order_by(func.lower(Person.name))
    )
    if not office:
        query = query.where(status_condition(AccountStatus.ACTIVE))
    return list(db.session.scalars(query))
