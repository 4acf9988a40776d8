"""The agenda (Tagesordnung) of a meeting: its items in order, numbered TOP 1, 2, …

Plain functions that change the session and record audit events; they never commit.
A rule that a user can break raises AgendaError (a ValueError) with a German message.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import exists, or_, select

from portal.actions.items import open_items_for
from portal.actions.models import ActionItem
from portal.audit.record import apply_changes, record
from portal.errors import RuleError
from portal.extensions import db
from portal.meetings.models import AUTOMATIC_TITLES, AgendaItem, AgendaKind, Decision, Meeting
from portal.meetings.series import number_label, previous_meeting
from portal.minutes.models import MinutesComment
from portal.types import utcnow

MANUAL_KINDS = ("information", "discussion", "decision")
AUTOMATIC_KINDS = ("minutes_approval", "open_actions")
MAX_MINUTES = 600


class AgendaError(RuleError):
    """A change of the agenda that its rules do not allow; the message is for the user."""


def is_editable(meeting: Meeting) -> bool:
    """The agenda can change until the meeting is cancelled or its minutes are approved."""
    return meeting.status != "cancelled" and meeting.minutes_status not in ("approved", "published")


def _check_editable(meeting: Meeting) -> None:
    if meeting.status == "cancelled":
        raise AgendaError(_("Die Tagesordnung eines abgesagten Treffens kann nicht mehr geändert werden."))
    if not is_editable(meeting):
        raise AgendaError(_("Das Protokoll ist genehmigt; die Tagesordnung kann nicht mehr geändert werden."))


def _clean(title: str, kind: str, planned_minutes: int | None, allowed_kinds=MANUAL_KINDS) -> tuple:
    title = (title or "").strip()
    if not title:
        raise AgendaError(_("Bitte einen Titel angeben."))
    if kind not in allowed_kinds:
        raise AgendaError(_("Unbekannte Art des Tagesordnungspunkts."))
    minutes = planned_minutes or 0
    if not 0 <= minutes <= MAX_MINUTES:
        raise AgendaError(_("Die geplante Dauer muss zwischen 0 und %(n)s Minuten liegen.", n=MAX_MINUTES))
    return title, minutes


def _changed(meeting: Meeting) -> None:
    """Note the change, so that the agenda page offers to send the new agenda to the invitees."""
    meeting.agenda_changed_at = utcnow()


def _append(meeting: Meeting, **values) -> AgendaItem:
    _changed(meeting)
    position = max((item.position for item in meeting.agenda_items), default=0) + 1
    item = AgendaItem(position=position, **values)
    meeting.agenda_items.append(item)
    db.session.flush()
    return item


def add_item(actor, meeting: Meeting, *, title: str, kind: str = "information", description: str = "",
             planned_minutes: int | None = 15, presenter=None) -> AgendaItem:
    _check_editable(meeting)
    title, minutes = _clean(title, kind, planned_minutes)
    item = _append(meeting, title=title, kind=kind, description=(description or "").strip(),
                   planned_minutes=minutes, presenter=presenter)
    record(actor, "agenda.add", item, {
        "meeting_id": (None, meeting.id), "title": (None, title), "kind": (None, kind),
        "planned_minutes": (None, minutes), "presenter_id": (None, getattr(presenter, "id", None)),
    })
    return item


def kinds_for(item: AgendaItem | None) -> tuple[str, ...]:
    """The kinds an item may be given: the manual ones, and an automatic item keeps its own."""
    if item is not None and item.kind in AUTOMATIC_KINDS:
        return (item.kind, *MANUAL_KINDS)
    return MANUAL_KINDS


def update_item(actor, item: AgendaItem, *, title: str, kind: str, description: str = "",
                planned_minutes: int | None = 15, presenter=None) -> dict:
    _check_editable(item.meeting)
    title, minutes = _clean(title, kind, planned_minutes, kinds_for(item))
    changes = apply_changes(item, {
        "title": title, "kind": kind, "description": (description or "").strip(),
        "planned_minutes": minutes, "presenter_id": getattr(presenter, "id", None),
    })
    if changes:
        _changed(item.meeting)
        record(actor, "agenda.update", item, changes)
    return changes


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(sorted(meeting.agenda_items, key=lambda i: i.position), start=1):
        item.position = position


def _is_referenced(item: AgendaItem) -> bool:
    return db.session.scalar(select(or_(
        exists().where(Decision.agenda_item_id == item.id),
        exists().where(ActionItem.agenda_item_id == item.id),
        exists().where(MinutesComment.agenda_item_id == item.id),
    )))


def remove_item(actor, item: AgendaItem) -> None:
    """Remove an item that nothing refers to yet (no minutes text, decision, action item or comment)."""
    meeting = item.meeting
    _check_editable(meeting)
    if item.minutes_text.strip() or _is_referenced(item):
        raise AgendaError(_("„%(title)s“ hat schon Protokoll, Beschlüsse oder Aufgaben und kann nicht "
                            "entfernt werden.", title=item.title))
    record(actor, "agenda.remove", item, {"title": (item.title, None), "position": (item.position, None)})
    meeting.agenda_items.remove(item)
    db.session.flush()
    _renumber(meeting)
    _changed(meeting)


def move_item(actor, item: AgendaItem, direction: str) -> bool:
    """Swap the item with its neighbour above ("up") or below ("down"); False at either end."""
    meeting = item.meeting
    _check_editable(meeting)
    if direction not in ("up", "down"):
        raise AgendaError(_("Unbekannte Richtung."))
    _renumber(meeting)
    items = sorted(meeting.agenda_items, key=lambda i: i.position)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    neighbour = items[other]
    before = item.position
    item.position, neighbour.position = neighbour.position, item.position
    _changed(meeting)
    record(actor, "agenda.move", item, {"position": (before, item.position)})
    return True


def start_agenda(actor, meeting: Meeting, copy_previous: bool = False) -> list[AgendaItem]:
    """The first items of a new meeting of a series: approval of the previous meeting's minutes
    (when it has minutes), the open action items (when there are any), then, on request, the
    other titles of the previous meeting's agenda."""

    previous = previous_meeting(meeting)
    created = []
    if previous is not None and previous.minutes_status != "none":
        created.append(_append(
            meeting, kind="minutes_approval", planned_minutes=5,
            title=AUTOMATIC_TITLES[AgendaKind.MINUTES_APPROVAL][0],
            description=_("Protokoll: %(label)s am %(date)s", label=number_label(previous),
                          date=format_date(previous.starts_at, "long")),
        ))
    if open_items_for(meeting.group_id, meeting.starts_at):
        created.append(_append(
            meeting, kind="open_actions", planned_minutes=15, title=AUTOMATIC_TITLES[AgendaKind.OPEN_ACTIONS][0],
            description=_("Stand der offenen Aufgaben aus früheren Sitzungen."),
        ))
    if copy_previous and previous is not None:
        for old in previous.agenda_items:
            if old.kind in AUTOMATIC_KINDS:
                continue
            created.append(_append(meeting, kind=old.kind, title=old.title, description=old.description,
                                   planned_minutes=old.planned_minutes, presenter_id=old.presenter_id))
    for item in created:
        record(actor, "agenda.add", item, {
            "meeting_id": (None, meeting.id), "title": (None, item.title), "kind": (None, item.kind),
            "copied_from_meeting_id": (None, previous.id if previous and item.kind in MANUAL_KINDS else None),
        })
    return created


@dataclass
class Slot:
    number: int
    item: AgendaItem
    starts_at: datetime
    ends_at: datetime


@dataclass
class Schedule:
    slots: list[Slot]
    planned_end: datetime
    total_minutes: int
    overrun_minutes: int  # > 0 when the agenda runs past the meeting's end


def schedule(meeting: Meeting) -> Schedule:
    """Each item's planned start and end, from the meeting's start and the planned durations."""
    slots, moment = [], meeting.starts_at
    for number, item in enumerate(meeting.agenda_items, start=1):
        end = moment + timedelta(minutes=item.planned_minutes or 0)
        slots.append(Slot(number, item, moment, end))
        moment = end
    total = sum(item.planned_minutes or 0 for item in meeting.agenda_items)
    overrun = int((moment - meeting.ends_at).total_seconds() // 60)
    return Schedule(slots, moment, total, max(overrun, 0))

