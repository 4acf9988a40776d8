"""The queries behind the action-item lists: each chooses its loading, so that a page runs
the same number of SQL statements whatever the number of items."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.items import CLOSED_STATUSES, OPEN_STATUSES
from portal.actions.models import ActionItem, ActionItemEvent
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.members.models import Person

NO_GROUP = "plenum"  # the group filter's value for items without a group (plenary series)
UNFINISHED = "unfinished"  # the status filter's value for open and in-progress items


@dataclass(frozen=True)
class ActionFilter:
    status: str | None = None  # a status, UNFINISHED, or None for every status
    owner_id: int | None = None
    group: int | str | None = None  # a group id, NO_GROUP, or None for every group
    meeting_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    overdue: bool = False


def _conditions(f: ActionFilter, today: date) -> list:
    where = []
    if f.status == UNFINISHED:
        where.append(ActionItem.status.in_(OPEN_STATUSES))
    elif f.status:
        where.append(ActionItem.status == f.status)
    if f.owner_id is not None:
        where.append(ActionItem.owner_id == f.owner_id)
    if f.group == NO_GROUP:
        where.append(ActionItem.group_id.is_(None))
    elif f.group is not None:
        where.append(ActionItem.group_id == f.group)
    if f.meeting_id is not None:
        where.append(ActionItem.meeting_id == f.meeting_id)
    if f.due_from is not None:
        where.append(ActionItem.due_on >= f.due_from)
    if f.due_to is not None:
        where.append(ActionItem.due_on <= f.due_to)
    if f.overdue:
        where.extend([ActionItem.status.in_(OPEN_STATUSES), ActionItem.due_on < today])
    return where


def _with_list_loading(query: Select) -> Select:
    return query.options(
        joinedload(ActionItem.owner).joinedload(Person.organization),
        joinedload(ActionItem.group),
        joinedload(ActionItem.meeting),
    )


def filtered(f: ActionFilter, today: date) -> Select:
    """The filtered items, due date first, with what a list row shows."""
    query = select(ActionItem).where(*_conditions(f, today))
    return _with_list_loading(query).order_by(ActionItem.due_on, ActionItem.id)


def status_counts(f: ActionFilter, today: date) -> dict[str, int]:
    """How many items of each status match the filter apart from its status part."""
    rows = db.session.execute(
        select(ActionItem.status, func.count(ActionItem.id))
        .where(*_conditions(replace(f, status=None), today))
        .group_by(ActionItem.status)
    ).all()
    return dict(rows)


def owned_by(person_id: int) -> Select:
    """The person's own items: open ones first, each part by due date."""
    closed_last = case((ActionItem.status.in_(CLOSED_STATUSES), 1), else_=0)
    return (_with_list_loading(select(ActionItem).where(ActionItem.owner_id == person_id))
            .order_by(closed_last, ActionItem.due_on, ActionItem.id))


def created_for_others(person_id: int) -> Select:
    closed_last = case((ActionItem.status.in_(CLOSED_STATUSES), 1), else_=0)
    return (_with_list_loading(select(ActionItem).where(
        ActionItem.created_by_id == person_id, ActionItem.owner_id != person_id))
        .order_by(closed_last, ActionItem.due_on, ActionItem.id))


def _pairs(query: Select) -> list[tuple[int, str]]:
    return [(row[0], row[1]) for row in db.session.execute(query)]


def group_choices(group_ids: set[int] | None = None) -> list[tuple[int, str]]:
    """Working groups that are not archived (optionally only the given ones), by name."""
    query = select(WorkingGroup.id, WorkingGroup.name).where(WorkingGroup.archived_at.is_(None))
    if group_ids is not None:
        query = query.where(WorkingGroup.id.in_(group_ids))
    return _pairs(query.order_by(WorkingGroup.name))


def item_with_history(action_id: int) -> Select:
    """One item with everything its page shows (load it with db.first_or_404)."""
    return (
        select(ActionItem)
        .where(ActionItem.id == action_id)
        .options(
            joinedload(ActionItem.owner).joinedload(Person.organization),
            joinedload(ActionItem.created_by),
            joinedload(ActionItem.group),
            joinedload(ActionItem.meeting),
            joinedload(ActionItem.agenda_item),
            joinedload(ActionItem.decision),
            selectinload(ActionItem.events).joinedload(ActionItemEvent.actor),
        )
    )
