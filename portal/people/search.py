"""Finding the people of a pool by what was typed: part of the name, of the organization's name, or
of an e-mail address the searching person may see. Every query is bounded (LIMIT rows); nothing here
loads a pool whole."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import and_, case, exists, or_, select
from sqlalchemy.orm import contains_eager

from portal.actions.models import ActionItem
from portal.database import folded
from portal.extensions import db
from portal.groups.models import Membership, MembershipStatus
from portal.meetings.invitations import not_invited
from portal.meetings.models import Attendance, Meeting, Participation
from portal.members.models import Organization, Person, Role
from portal.permissions import email_visible_condition

LIMIT = 10  # suggestions in the listbox, candidates offered to choose from
MAX_WORDS = 5
MAX_TEXT = 200


@dataclass(frozen=True)
class Pool:
    """Who may be picked in a field: `conditions(context)` on Person; `context` names the object a
    pool depends on (a group), loaded by the view."""

    name: str
    conditions: Callable[[object], list]
    context: str | None = None  # the query-string argument that names the context object
    first: Callable[[object], object] | None = None  # who is suggested first (a condition on Person)
    manage: str | None = None  # the permission on the context object the suggestions need, if not the usual


def _assignable(_context) -> list:
    """Who can own an action item, run or present in a meeting: active members and office staff."""
    return [Person.active, Person.role.in_((Role.MEMBER, Role.OFFICE))]


def _members(_context) -> list:
    """Active members (the moderation of a group, a theme's first moderation)."""
    return [Person.active, Person.role == Role.MEMBER]


def _group_candidates(group) -> list:
    """Active members not (yet) in the group."""
    return [*_members(None), Person.id.not_in(
        select(Membership.person_id).where(Membership.group_id == group.id,
                                           Membership.status == MembershipStatus.ACTIVE))]


def _present(meeting):
    """The meeting's invitees not marked excused or absent: suggested first as owners of its action items."""
    return exists().where(Participation.person_id == Person.id, Participation.meeting_id == meeting.id,
                          Participation.attendance.in_((Attendance.PRESENT, Attendance.UNKNOWN)))


def _uninvited(meeting) -> list:
    """Who can take part but is not in the meeting's list (added to the attendance register)."""
    return [*_assignable(None), ~exists().where(Participation.person_id == Person.id,
                                                Participation.meeting_id == meeting.id)]


def _not_invited(meeting) -> list:
    """Who can take part and has no invitation to the meeting yet (the invitation page)."""
    return [*_assignable(None), not_invited(meeting)]


def _owners(_context) -> list:
    """People who own at least one action item (the filter of /actions)."""
    return [exists().where(ActionItem.owner_id == Person.id)]


POOLS = {pool.name: pool for pool in (
    Pool("assignable", _assignable),
    Pool("meeting_owners", _assignable, context="meeting", first=_present),
    Pool("meeting_uninvited", _uninvited, context="meeting"),
    Pool("meeting_not_invited", _not_invited, context="meeting", manage="meeting.edit"),
    Pool("members", _members),
    Pool("group_candidates", _group_candidates, context="group"),
    Pool("owners", _owners),
)}


@dataclass
class Search:
    """A pool as one field offers it to one actor (the actor decides whose e-mail address is searched)."""

    pool: Pool
    actor: object
    context: object = None
    extra: list = field(default_factory=list)  # further conditions of the field (never suggested)

    def _query(self):
        return (select(Person).outerjoin(Organization, Person.organization_id == Organization.id)
                .options(contains_eager(Person.organization))
                .where(*self.pool.conditions(self.context), *self.extra))

    def get(self, person_id: int | None) -> Person | None:
        """The person with this id if the pool offers them (one query)."""
        if person_id is None:
            return None
        return db.session.scalars(self._query().where(Person.id == person_id)).first()

    def matches(self, text: str, limit: int = LIMIT) -> list[Person]:
        """At most `limit` people of whom every word typed is part of the name, the organization's
        name or a visible e-mail address; by name."""
        words = _clean(text).lower().split()[:MAX_WORDS]
        if not words:
            return []
        query = self._query()
        visible = email_visible_condition(self.actor)
        for word in words:
            pattern = "%" + _escape(word) + "%"
            query = query.where(or_(
                folded(Person.name).like(pattern, escape="\\"),
                folded(Organization.name).like(pattern, escape="\\"),
                and_(visible, folded(Person.email).like(pattern, escape="\\"))))
        return list(db.session.scalars(query.order_by(*self._order()).limit(limit)))

    def _order(self) -> list:
        first = [] if self.pool.first is None else [case((self.pool.first(self.context), 0), else_=1)]
        return [*first, Person.name, Person.id]

    def exact(self, text: str, limit: int = LIMIT) -> list[Person]:
        """People whose whole name (or visible e-mail address) is the text typed."""
        typed = " ".join(_clean(text).lower().split())
        if not typed:
            return []
        query = self._query().where(or_(
            folded(Person.name) == typed,
            and_(email_visible_condition(self.actor), folded(Person.email) == typed)))
        return list(db.session.scalars(query.order_by(*self._order()).limit(limit)))


@dataclass
class OrganizationSearch:
    """Organizations by name (every organization may be chosen)."""

    actor: object = None

    def get(self, organization_id: int | None) -> Organization | None:
        return db.session.get(Organization, organization_id) if organization_id is not None else None

    def matches(self, text: str, limit: int = LIMIT) -> list[Organization]:
        words = _clean(text).lower().split()[:MAX_WORDS]
        if not words:
            return []
        query = select(Organization).where(*(folded(Organization.name).like(
            "%" + _escape(word) + "%", escape="\\") for word in words))
        return list(db.session.scalars(query.order_by(folded(Organization.name)).limit(limit)))

    def exact(self, text: str, limit: int = LIMIT) -> list[Organization]:
        typed = " ".join(_clean(text).lower().split())
        query = select(Organization).where(folded(Organization.name) == typed)
        return list(db.session.scalars(query.limit(limit))) if typed else []


@dataclass
class MeetingSearch:
    """Meetings that action items came from, by words of the title; latest first."""

    actor: object = None

    def _query(self):
        return select(Meeting).where(exists().where(ActionItem.meeting_id == Meeting.id))

    def get(self, meeting_id: int | None) -> Meeting | None:
        if meeting_id is None:
            return None
        return db.session.scalars(self._query().where(Meeting.id == meeting_id)).first()

    def matches(self, text: str, limit: int = LIMIT) -> list[Meeting]:
        words = _clean(text).lower().split()[:MAX_WORDS]
        if not words:
            return []
        query = self._query().where(*(folded(Meeting.title).like("%" + _escape(word) + "%", escape="\\")
                                      for word in words))
        return list(db.session.scalars(query.order_by(Meeting.starts_at.desc(), Meeting.id).limit(limit)))

    def exact(self, text: str, limit: int = LIMIT) -> list[Meeting]:
        typed = " ".join(_clean(text).lower().split())
        query = self._query().where(folded(Meeting.title) == typed)
        return list(db.session.scalars(query.order_by(Meeting.starts_at.desc()).limit(limit))) if typed else []


@dataclass
class Resolution:
    """What a typed text names: one record (`person`, or an organization), several to choose from
    (`more`: there are still more), or none."""

    person: object = None
    candidates: list[Person] = field(default_factory=list)
    more: bool = False


def resolve(search: Search, text: str) -> Resolution:
    """The person the text names: an exact name or address first, else the words typed (at most two queries)."""
    for find in (search.exact, search.matches):
        found = find(text, LIMIT + 1)
        if len(found) == 1:
            return Resolution(person=found[0])
        if found:
            return Resolution(candidates=found[:LIMIT], more=len(found) > LIMIT)
    return Resolution()


def _clean(text: str | None) -> str:
    return (text or "").replace("\x00", "")[:MAX_TEXT]


def _escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
