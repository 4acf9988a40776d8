"""Which decisions the register lists, with the action items that came from each."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, extract, or_, select
from sqlalchemy.orm import joinedload

from portal.actions.models import ActionItem
from portal.database import contains_folded
from portal.extensions import db
from portal.meetings.models import Decision, Meeting, MinutesStatus
from portal.search.visibility import readable_unpublished


@dataclass
class Filters:
    group_id: int | None = None  # 0: the plenary
    year: int | None = None
    meeting_id: int | None = None
    text: str = ""


def visible(user) -> Select:
    """Decisions of published minutes, and of unpublished ones the user may read (as the minutes page)."""
    readable = readable_unpublished(user)
    statement = select(Decision).join(Decision.meeting)
    if readable is not None:
        statement = statement.where(or_(Meeting.minutes_status == MinutesStatus.PUBLISHED,
                                        Meeting.id.in_(readable)))
    else:
        statement = statement.where(Meeting.minutes_status != MinutesStatus.NONE)
    return statement


def listed(user, filters: Filters) -> Select:
    statement = visible(user).options(joinedload(Decision.meeting).joinedload(Meeting.group),
                                      joinedload(Decision.agenda_item))
    if filters.group_id == 0:
        statement = statement.where(Meeting.group_id.is_(None))
    elif filters.group_id:
        statement = statement.where(Meeting.group_id == filters.group_id)
    if filters.year:
        statement = statement.where(extract("year", Meeting.starts_at) == filters.year)
    if filters.meeting_id:
        statement = statement.where(Meeting.id == filters.meeting_id)
    if filters.text.strip():
        statement = statement.where(contains_folded(Decision.text, filters.text.strip()))
    return statement.order_by(Meeting.starts_at.desc(), Decision.number)


def action_items_of(decisions: list[Decision]) -> dict[int, list[ActionItem]]:
    """The action items that came from each decision, in one query."""
    by_decision: dict[int, list[ActionItem]] = defaultdict(list)
    ids = [d.id for d in decisions]
    if ids:
        rows = db.session.scalars(select(ActionItem).where(ActionItem.decision_id.in_(ids))
                                  .options(joinedload(ActionItem.owner)).order_by(ActionItem.due_on))
        for item in rows:
            by_decision[item.decision_id].append(item)
    return by_decision


def years(user) -> list[int]:
    start = extract("year", Meeting.starts_at)
    return sorted({int(y) for y in db.session.scalars(visible(user).with_only_columns(start).distinct())},
                  reverse=True)


def meetings_with_decisions(user) -> list[Meeting]:
    ids = visible(user).with_only_columns(Decision.meeting_id).distinct()
    return list(db.session.scalars(select(Meeting).where(Meeting.id.in_(ids)).order_by(Meeting.starts_at.desc())))
