"""The goals of a working group: ordered, each open, in progress or reached (with the date)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from portal.audit.record import apply_changes, record, record_deletion
from portal.extensions import db
from portal.groups.errors import GroupError
from portal.groups.models import GOAL_STATUSES, GroupGoal, WorkingGroup
from portal.types import local_today


def _status_values(status: str, reached_on: date | None) -> dict:
    if status not in GOAL_STATUSES:
        raise GroupError(_("Unbekannter Status."), "status")
    if status == "reached":
        reached_on = reached_on or local_today()
        if reached_on > local_today():
            raise GroupError(_("Ein Ziel kann nicht in der Zukunft erreicht worden sein."), "reached_on")
        return {"status": status, "reached_on": reached_on}
    return {"status": status, "reached_on": None}


def _text_values(title: str, description: str) -> dict:
    title = (title or "").strip()
    if not title:
        raise GroupError(_("Der Titel fehlt."), "title")
    return {"title": title, "description": (description or "").strip()}


def add_goal(actor, group: WorkingGroup, *, title: str, description: str = "", status: str = "open",
             reached_on: date | None = None) -> GroupGoal:
    values = _text_values(title, description) | _status_values(status, reached_on)
    position = max((goal.position for goal in group.goals), default=0) + 1
    goal = GroupGoal(group=group, position=position, **values)
    db.session.add(goal)
    record(actor, "goal.created", goal, {key: (None, value) for key, value in values.items()})
    return goal


def update_goal(actor, goal: GroupGoal, *, title: str, description: str, status: str,
                reached_on: date | None = None) -> GroupGoal:
    values = _text_values(title, description) | _status_values(status, reached_on)
    changes = apply_changes(goal, values)
    if changes:
        record(actor, "goal.updated", goal, changes)
    return goal


def set_status(actor, goal: GroupGoal, status: str, reached_on: date | None = None) -> GroupGoal:
    """Change only the status; reaching a goal keeps its date (today unless given)."""
    if status == goal.status == "reached":
        return goal
    changes = apply_changes(goal, _status_values(status, reached_on))
    if changes:
        record(actor, "goal.status", goal, changes)
    return goal


def move_goal(actor, goal: GroupGoal, direction: str) -> GroupGoal:
    """Swap the goal with its neighbour above ("up") or below ("down"); positions become 1..n."""
    if direction not in ("up", "down"):
        raise GroupError(_("Unbekannte Richtung."))
    goals = sorted(goal.group.goals, key=lambda g: (g.position, g.id))
    index = goals.index(goal)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(goals):
        return goal
    goals[index], goals[other] = goals[other], goals[index]
    before = goal.position
    for position, each in enumerate(goals, start=1):
        each.position = position
    record(actor, "goal.moved", goal, {"position": (before, goal.position)})
    return goal


def delete_goal(actor, goal: GroupGoal) -> WorkingGroup:
    """Delete the goal (the audit keeps all it said); the others close ranks as 1..n."""
    group = goal.group
    record_deletion(actor, "goal.deleted", goal)
    group.goals.remove(goal)
    for position, each in enumerate(sorted(group.goals, key=lambda g: (g.position, g.id)), start=1):
        each.position = position
    return group
