"""Planning meetings: create, edit, reschedule, cancel, mark as held.

Status: planned → held, or planned → cancelled (with a reason). A change of time or place of a
planned meeting bumps its iCalendar sequence and mails every invitee; so does the cancellation.
Plain functions: they change the session, record audit events and never commit.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from portal.audit.record import apply_changes, record
from portal.extensions import db
from portal.meetings import agenda, invitations
from portal.meetings.models import Meeting
from portal.meetings.series import next_number
from portal.types import utcnow

# Fields whose change reschedules a meeting: invitees get a mail and an updated calendar entry.
RESCHEDULE_FIELDS = ("starts_at", "ends_at", "location", "room", "online_url")
EDITABLE_FIELDS = ("number", "title", *RESCHEDULE_FIELDS, "organizer_id", "moderator_id", "minute_taker_id")


class MeetingError(ValueError):
    """A change that the rules of meetings do not allow; the message is for the user."""


def _check(values: dict) -> None:
    if not (values.get("title") or "").strip():
        raise MeetingError(_("Bitte einen Titel angeben."))
    if values["ends_at"] <= values["starts_at"]:
        raise MeetingError(_("Das Ende muss nach dem Beginn liegen."))
    if values.get("number") is not None and values["number"] < 1:
        raise MeetingError(_("Die Nummer muss mindestens 1 sein."))


def create_meeting(actor, *, kind: str, group=None, title: str, starts_at: datetime, ends_at: datetime,
                   number: int | None = None, location: str = "", room: str = "", online_url: str = "",
                   organizer=None, moderator=None, minute_taker=None, copy_previous: bool = False) -> Meeting:
    """A planned meeting of the plenary series or of a group's series, with its first agenda
    items (approval of the last minutes, open action items, optionally the last agenda)."""
    from portal.actions.items import carry_forward

    if kind not in ("plenary", "group"):
        raise MeetingError(_("Unbekannte Art des Treffens."))
    if kind == "group" and group is None:
        raise MeetingError(_("Bitte ein Reallabor wählen."))
    if kind == "group" and group.is_archived:
        raise MeetingError(_("Für ein archiviertes Reallabor können keine Treffen geplant werden."))
    values = {"title": title, "starts_at": starts_at, "ends_at": ends_at, "number": number}
    _check(values)
    meeting = Meeting(
        kind=kind, group=group if kind == "group" else None, title=title.strip(),
        starts_at=starts_at, ends_at=ends_at,
        number=number or next_number(kind, getattr(group, "id", None), starts_at),
        location=(location or "").strip(), room=(room or "").strip(), online_url=(online_url or "").strip(),
        organizer=organizer or actor, moderator=moderator, minute_taker=minute_taker,
        status="planned", minutes_status="none", ical_sequence=0,
    )
    db.session.add(meeting)
    db.session.flush()
    record(actor, "meeting.create", meeting, {
        field: (None, getattr(meeting, field))
        for field in ("kind", "group_id", *EDITABLE_FIELDS) if getattr(meeting, field) not in (None, "")
    })
    agenda.start_agenda(actor, meeting, copy_previous=copy_previous)
    carry_forward(meeting)
    return meeting


def update_meeting(actor, meeting: Meeting, values: dict) -> dict:
    """Change the meeting's details. Returns the changes; a change of time or place of a planned
    meeting is a rescheduling: new iCalendar sequence and a mail to every invitee."""
    if meeting.status == "cancelled":
        raise MeetingError(_("Ein abgesagtes Treffen kann nicht mehr geändert werden."))
    values = {field: values[field] for field in EDITABLE_FIELDS if field in values}
    if values.get("number") is None:  # left empty: the meeting keeps its number
        values.pop("number", None)
    merged = {field: getattr(meeting, field) for field in ("title", "starts_at", "ends_at", "number")}
    merged.update(values)
    _check(merged)
    for field in ("title", "location", "room", "online_url"):
        if field in values:
            values[field] = (values[field] or "").strip()
    changes = apply_changes(meeting, values)
    if not changes:
        return changes
    rescheduled = meeting.status == "planned" and any(f in changes for f in RESCHEDULE_FIELDS)
    if rescheduled:
        before = meeting.ical_sequence
        meeting.ical_sequence = before + 1
        changes["ical_sequence"] = (before, meeting.ical_sequence)
    db.session.flush()
    db.session.expire(meeting, ["organizer", "moderator", "minute_taker"])  # ids were set directly
    record(actor, "meeting.reschedule" if rescheduled else "meeting.update", meeting, changes)
    if rescheduled:
        invitations.tell_change(meeting, changes)
    return changes


def cancel_meeting(actor, meeting: Meeting, reason: str) -> None:
    reason = (reason or "").strip()
    if meeting.status != "planned":
        raise MeetingError(_("Nur ein geplantes Treffen kann abgesagt werden."))
    if not reason:
        raise MeetingError(_("Bitte einen Grund für die Absage angeben."))
    changes = apply_changes(meeting, {"status": "cancelled", "cancel_reason": reason,
                                      "ical_sequence": meeting.ical_sequence + 1})
    db.session.flush()
    record(actor, "meeting.cancel", meeting, changes)
    invitations.tell_cancellation(meeting)


def mark_held(actor, meeting: Meeting) -> None:
    if meeting.status != "planned":
        raise MeetingError(_("Nur ein geplantes Treffen kann als stattgefunden markiert werden."))
    if meeting.starts_at > utcnow():
        raise MeetingError(_("Ein Treffen kann erst nach seinem Beginn als stattgefunden markiert werden."))
    record(actor, "meeting.held", meeting, apply_changes(meeting, {"status": "held"}))
