"""Subscribable calendar feeds: who owns a feed URL, what it contains, and its token.

A feed is addressed by the person's secret `calendar_token`; calendar programs cannot log
in. The feed shows what that person may see and cares about: the meetings of their active
working groups, the plenary meetings, and meetings they were invited to or organize, within
a window from 90 days back to two years ahead (as calendar servers keep it: a feed of an alliance
that has met for decades stays small); optionally the due dates of their own open action items.
A group feed (the meetings of one group) uses the same token, so that it dies with it.
Each feed is built with a fixed number of queries, however many meetings it holds.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.items import OPEN_STATUSES as OPEN_ACTION_STATUSES
from portal.actions.models import ActionItem
from portal.audit.record import record
from portal.extensions import db
from portal.groups.models import Membership, MembershipStatus
from portal.meetings.models import Meeting, Participation
from portal.members.models import Person, new_calendar_token
from portal.permissions import can
from portal.types import BERLIN, local_today

PAST_DAYS = 90
FUTURE_DAYS = 2 * 365


@dataclass(frozen=True)
class Window:
    """The days a feed shows, both included (Berlin)."""
    first: date
    last: date


def window(today: date | None = None) -> Window:
    today = today or local_today()
    return Window(today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS))


def _utc_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=BERLIN).astimezone(timezone.utc)


def feed_owner(token: str) -> Person | None:
    """The active person whose feed the token opens, or None (unknown, old or inactive)."""
    if not token:
        return None
    person = db.session.scalars(select(Person).where(Person.calendar_token == token)).first()
    if person is None or not person.active or not can("portal.read", user=person):
        return None
    return person


def _meetings(condition, within: Window) -> list[Meeting]:
    return list(db.session.scalars(
        select(Meeting)
        .where(condition, Meeting.ends_at >= _utc_midnight(within.first),
               Meeting.starts_at < _utc_midnight(within.last + timedelta(days=1)))
        .options(selectinload(Meeting.agenda_items), joinedload(Meeting.organizer))
        .order_by(Meeting.starts_at, Meeting.id)
    ).unique())


def person_meetings(person: Person, within: Window) -> list[Meeting]:
    groups = select(Membership.group_id).where(
        Membership.person_id == person.id, Membership.status == MembershipStatus.ACTIVE
    )
    invited = select(Participation.meeting_id).where(Participation.person_id == person.id)
    return _meetings(
        or_(
            Meeting.kind == "plenary",
            Meeting.group_id.in_(groups),
            Meeting.id.in_(invited),
            Meeting.organizer_id == person.id,
        ),
        within,
    )


def group_meetings(group, within: Window) -> list[Meeting]:
    return _meetings(Meeting.group_id == group.id, within)


def open_action_items(person: Person, within: Window) -> list[ActionItem]:
    return list(db.session.scalars(
        select(ActionItem)
        .where(ActionItem.owner_id == person.id, ActionItem.status.in_(OPEN_ACTION_STATUSES),
               ActionItem.due_on.between(within.first, within.last))
        .order_by(ActionItem.due_on, ActionItem.id)
    ))


def may_subscribe_group(person: Person, group) -> bool:
    """Every signed-in person may see every group and its meetings, so may subscribe."""
    return can("portal.read", group, user=person)


def regenerate_token(actor: Person, person: Person) -> str:
    """Give person a new feed token; the old URL answers 404 from now on.
    The audit event says that it happened, never the token."""
    person.calendar_token = new_calendar_token()
    record(actor, "calendar.token_regenerated", person)
    return person.calendar_token


def etag(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]
