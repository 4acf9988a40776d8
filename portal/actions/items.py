"""Action items: creating them and every change to them, each recorded twice
(an ActionItemEvent for the item's timeline, an audit event for the audit trail).

Plain functions: they take the acting person and objects, add to the session and never commit.
A rule that a user can break raises ActionError (a ValueError) with a German message.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from portal.actions.models import ActionItem, ActionItemEvent, ActionStatus, CarriedActionItem
from portal.audit.record import apply_changes, record
from portal.errors import RuleError
from portal.extensions import db
from portal.links import external_url
from portal.meetings.models import Meeting
from portal.notifications import notify
from portal.types import local_today, utcnow

OPEN, IN_PROGRESS, DONE, CANCELLED = ActionStatus
OPEN_STATUSES = (OPEN, IN_PROGRESS)
CLOSED_STATUSES = (DONE, CANCELLED)
# status -> statuses it may change to
TRANSITIONS = {
    OPEN: (IN_PROGRESS, DONE, CANCELLED),
    IN_PROGRESS: (OPEN, DONE, CANCELLED),
    DONE: (OPEN, IN_PROGRESS),
    CANCELLED: (OPEN, IN_PROGRESS),
}


class ActionError(RuleError):
    """A change that the rules of action items do not allow; the message is for the user,
    `field` names the form field it belongs to (None: the form as a whole)."""


def _check_due_on(due_on: date | None) -> None:
    """A due date is given and does not lie in the past (Berlin's today is fine)."""
    if due_on is None:
        raise ActionError(_("Bitte eine Frist angeben."), field="due_on")
    if due_on < local_today():
        raise ActionError(_("Die Frist darf nicht in der Vergangenheit liegen (frühestens heute, %(today)s).",
                            today=format_date(local_today())), field="due_on")


def _event(actor, item: ActionItem, kind: str, old: str = "", new: str = "", comment: str = "",
           meeting=None) -> ActionItemEvent:
    event = ActionItemEvent(
        action_item=item, actor_id=getattr(actor, "id", None), kind=kind,
        old_value=old or "", new_value=new or "", comment=comment or "",
        meeting_id=getattr(meeting, "id", None), created_at=utcnow(),
    )
    db.session.add(event)
    return event


def _tell(actor, person, item: ActionItem, template: str, **context) -> None:
    """Mail `person` about a change to `item`, unless they made it themselves."""
    if person is None or getattr(actor, "id", None) == person.id:
        return
    notify(person, template, item=item, actor=actor,
           link=external_url("actions.show", action_id=item.id), **context)


def _check_owner(owner) -> None:
    if owner is None:
        raise ActionError(_("Bitte eine verantwortliche Person wählen."), field="owner")
    if not owner.active or owner.role == "observer":
        raise ActionError(_("Aufgaben können nur aktiven Mitgliedern oder der Geschäftsstelle "
                            "übertragen werden."), field="owner")


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ActionError(_("Bitte einen Titel angeben."), field="title")
    if len(title) > 300:
        raise ActionError(_("Der Titel darf höchstens 300 Zeichen lang sein."), field="title")
    return title


def create_action_item(actor, *, title: str, owner, due_on: date, group=None, meeting=None,
                       agenda_item=None, decision=None, description: str = "") -> ActionItem:
    """A new open action item. The group defaults to the meeting's group; the origin meeting
    defaults to the agenda item's or the decision's meeting."""
    _check_owner(owner)
    _check_due_on(due_on)
    if meeting is None:
        meeting = (agenda_item.meeting if agenda_item is not None
                   else decision.meeting if decision is not None else None)
    if agenda_item is None and decision is not None:
        agenda_item = decision.agenda_item
    if group is None and meeting is not None:
        group = meeting.group
    item = ActionItem(
        title=_clean_title(title), description=(description or "").strip(), owner=owner,
        created_by_id=getattr(actor, "id", None), group=group, meeting=meeting,
        agenda_item=agenda_item, decision=decision, due_on=due_on, status=OPEN,
        created_at=utcnow(),
    )
    db.session.add(item)
    db.session.flush()
    _event(actor, item, "created", new=item.title, meeting=meeting)
    record(actor, "action.create", item, {
        "title": (None, item.title), "owner_id": (None, owner.id), "due_on": (None, due_on),
        "group_id": (None, getattr(group, "id", None)), "meeting_id": (None, getattr(meeting, "id", None)),
    })
    _tell(actor, owner, item, "actions_assigned")
    return item


def allowed_statuses(item: ActionItem) -> tuple[str, ...]:
    return TRANSITIONS[item.status]


def change_status(actor, item: ActionItem, status: str, comment: str = "", meeting=None) -> ActionItemEvent:
    """Move the item to `status`. Cancelling needs a reason, reopening a done or cancelled item
    needs a comment. Who may do which change is decided by the permissions, not here."""
    comment = (comment or "").strip()
    if status not in TRANSITIONS:
        raise ActionError(_("Unbekannter Status."), field="status")
    if status not in TRANSITIONS[item.status]:
        raise ActionError(_("Dieser Statuswechsel ist nicht möglich."), field="status")
    if status == CANCELLED and not comment:
        raise ActionError(_("Bitte einen Grund für den Abbruch angeben."), field="reason")
    if item.is_closed and not comment:
        raise ActionError(_("Bitte begründen, warum die Aufgabe wieder geöffnet wird."), field="comment")
    old = item.status
    values = {"status": status}
    if status == DONE:
        values["completed_at"] = utcnow()
    elif status == CANCELLED:
        values["cancel_reason"] = comment
        values["completed_at"] = utcnow()
    else:
        values["completed_at"] = None
        values["cancel_reason"] = ""
    changes = apply_changes(item, values)
    event = _event(actor, item, "status", old=old, new=status, comment=comment, meeting=meeting)
    if comment:
        changes["comment"] = (None, comment)
    record(actor, "action.status", item, changes)
    return event


def update(actor, item: ActionItem, status: str, comment: str = "") -> ActionItemEvent:
    """The owner's update on the item page: a new status (with a comment, if any), or a comment."""
    if status != item.status:
        return change_status(actor, item, status, comment)
    if not (comment or "").strip():
        raise ActionError(_("Bitte den Status ändern oder einen Kommentar schreiben."), field="comment")
    return add_comment(actor, item, comment)


def add_comment(actor, item: ActionItem, text: str, meeting=None) -> ActionItemEvent:
    text = (text or "").strip()
    if not text:
        raise ActionError(_("Bitte einen Kommentar eingeben."), field="comment")
    event = _event(actor, item, "comment", comment=text, meeting=meeting)
    record(actor, "action.comment", item, {"comment": (None, text)})
    return event


def reassign(actor, item: ActionItem, owner, comment: str = "") -> ActionItemEvent | None:
    """Give the item to another owner; None when the owner stays the same."""
    _check_owner(owner)
    if owner.id == item.owner_id:
        return None
    old = item.owner
    item.owner = owner
    event = _event(actor, item, "owner", old=old.name if old else "", new=owner.name,
                   comment=(comment or "").strip())
    record(actor, "action.reassign", item, {"owner_id": (getattr(old, "id", None), owner.id)})
    _tell(actor, owner, item, "actions_assigned")
    _tell(actor, old, item, "actions_unassigned")
    return event


def change_due_date(actor, item: ActionItem, due_on: date, comment: str = "",
                    tell_owner: bool = True) -> ActionItemEvent | None:
    if due_on is not None and due_on == item.due_on:
        return None
    _check_due_on(due_on)
    old = item.due_on
    item.due_on = due_on
    event = _event(actor, item, "due_date", old=old.isoformat(), new=due_on.isoformat(),
                   comment=(comment or "").strip())
    record(actor, "action.due_date", item, {"due_on": (old, due_on)})
    if tell_owner:
        _tell(actor, item.owner, item, "actions_due_changed", old_due_on=old)
    return event


def edit_description(actor, item: ActionItem, description: str, title: str | None = None,
                     comment: str = "") -> list[ActionItemEvent]:
    """Change the description (and the title, when given); one event per changed field."""
    events = []
    if title is not None:
        title = _clean_title(title)
        if title != item.title:
            events.append(_event(actor, item, "title", old=item.title, new=title, comment=comment))
            record(actor, "action.title", item, {"title": (item.title, title)})
            item.title = title
    description = (description or "").strip()
    if description != item.description:
        events.append(_event(actor, item, "description", old=item.description, new=description,
                             comment=comment))
        record(actor, "action.description", item, {"description": (item.description, description)})
        item.description = description
    return events


def edit(actor, item: ActionItem, *, title: str, description: str, owner, due_on: date,
         comment: str = "") -> bool:
    """The office's or moderator's edit of an item; whether anything changed."""
    _check_owner(owner)
    changed = edit_description(actor, item, description, title=title, comment=comment)
    # the due date first, so that a new owner's mail gives it and they get one mail only
    changed.append(change_due_date(actor, item, due_on, comment, tell_owner=owner.id == item.owner_id))
    changed.append(reassign(actor, item, owner, comment))
    return any(changed)


def open_items_for(group_id: int | None, before: datetime) -> list[ActionItem]:
    """Open and in-progress items of a meeting series that a meeting starting at `before`
    takes up: those born in earlier meetings of the series, and those the office created
    directly for the group before then. group_id None is the plenary series (items without
    a group)."""

    series = ActionItem.group_id.is_(None) if group_id is None else ActionItem.group_id == group_id
    query = (
        select(ActionItem)
        .outerjoin(Meeting, ActionItem.meeting_id == Meeting.id)
        .where(
            series,
            ActionItem.status.in_(OPEN_STATUSES),
            or_(
                Meeting.starts_at < before,
                and_(ActionItem.meeting_id.is_(None), ActionItem.created_at < before),
            ),
        )
        .options(joinedload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    return list(db.session.scalars(query).unique())


def carried_items(meeting) -> list[CarriedActionItem]:
    """The snapshot rows of a meeting, with their items and owners, ordered by due date."""
    query = (
        select(CarriedActionItem)
        .join(CarriedActionItem.action_item)
        .where(CarriedActionItem.meeting_id == meeting.id)
        .options(joinedload(CarriedActionItem.action_item).joinedload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    return list(db.session.scalars(query).unique())


def carry_forward(meeting) -> list[CarriedActionItem]:
    """Snapshot rows for the items open at `meeting` ("Offene Aufgaben"). Idempotent: calling
    it again adds only items that are new since. Until the meeting starts, the rows follow the
    items' current status; from then on they keep the status reported at the meeting."""
    rows = {row.action_item_id: row for row in carried_items(meeting)}
    if meeting.starts_at > utcnow():
        for row in rows.values():
            row.status = row.action_item.status
    for item in open_items_for(meeting.group_id, meeting.starts_at):
        if item.id not in rows:
            db.session.add(CarriedActionItem(meeting_id=meeting.id, action_item=item,
                                             status=item.status))
    db.session.flush()
    return carried_items(meeting)


def update_carried(actor, carried: CarriedActionItem, status: str, note: str = "") -> None:
    """During moderation: change the item's status (if it differs) and record the status and
    note at this meeting in the snapshot row, which is part of the meeting's minutes."""
    item = carried.action_item
    note = (note or "").strip()
    meeting = carried.meeting
    if status != item.status:
        change_status(actor, item, status, comment=note, meeting=meeting)
    elif note and note != carried.note:
        add_comment(actor, item, note, meeting=meeting)
    changes = apply_changes(carried, {"status": item.status, "note": note})
    if changes:
        record(actor, "action.carried", carried, changes)
