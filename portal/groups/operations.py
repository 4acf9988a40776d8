"""The office creates, edits, archives and restores working groups."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit.record import apply_changes, record
from portal.database import refused_if_taken
from portal.extensions import db
from portal.groups import membership
from portal.groups.errors import GroupError
from portal.groups.models import JOIN_POLICIES, WorkingGroup
from portal.members.models import Person, Role
from portal.types import utcnow

FIELDS = ("name", "short_name", "description", "join_policy")


def _taken() -> GroupError:
    return GroupError(_("Ein Reallabor mit diesem Namen gibt es bereits."), "name")


def _checked(values: dict, group: WorkingGroup | None = None) -> dict:
    values = {key: values[key] for key in FIELDS if key in values}
    for key in ("name", "short_name"):
        if key in values:
            values[key] = (values[key] or "").strip()
    if "name" in values:
        if not values["name"]:
            raise GroupError(_("Der Name fehlt."), "name")
        query = select(WorkingGroup.id).where(func.lower(WorkingGroup.name) == values["name"].lower())
        if group is not None:
            query = query.where(WorkingGroup.id != group.id)
        if db.session.scalar(query) is not None:
            raise _taken()
    if "join_policy" in values and values["join_policy"] not in JOIN_POLICIES:
        raise GroupError(_("Unbekannte Beitrittsregel."), "join_policy")
    return values


def create_group(actor, *, moderator: Person, **values) -> WorkingGroup:
    """A new group with its first moderator (a group never is without one)."""
    values = _checked(values)
    if moderator is None or moderator.role != Role.MEMBER or not moderator.active:
        raise GroupError(_("Die erste Moderation muss ein aktives Mitglied sein."), "moderator")
    group = WorkingGroup(**values)
    with refused_if_taken(_taken()):
        db.session.add(group)
    record(actor, "group.created", group, {key: (None, value) for key, value in values.items()})
    membership.first_moderator(actor, moderator, group)
    return group


def update_group(actor, group: WorkingGroup, **values) -> WorkingGroup:
    values = _checked(values, group)
    with refused_if_taken(_taken()):
        changes = apply_changes(group, values)
    if changes:
        record(actor, "group.updated", group, changes)
    return group


def archive(actor, group: WorkingGroup) -> WorkingGroup:
    """Take a group out of the active lists; it stays readable with its history."""
    if group.is_archived:
        raise GroupError(_("Das Reallabor ist bereits archiviert."))
    record(actor, "group.archived", group, apply_changes(group, {"archived_at": utcnow()}))
    return group


def unarchive(actor, group: WorkingGroup) -> WorkingGroup:
    if not group.is_archived:
        raise GroupError(_("Das Reallabor ist nicht archiviert."))
    record(actor, "group.unarchived", group, apply_changes(group, {"archived_at": None}))
    return group
