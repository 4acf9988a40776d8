"""Planning meetings: create, edit, reschedule, cancel, delete, mark as held.

Status: planned → held, or planned → cancelled (with a reason). A change of time or place of a
planned meeting bumps its iCalendar sequence and mails every invitee, if the meeting is still
ahead; so does the cancellation. Once the minutes are approved, the meeting stands as the minutes
record it and is not changed. A date in the past is taken only when the user confirms it, knowing
where the meeting falls in its series and that nobody is mailed.
A planned meeting that nobody was invited to (no participation row at all: no invitee, guest or
attendee; no minutes, no action items, no outcomes from it) can be deleted; once anyone was
invited, it can only be cancelled, so that the invitees hear of it.
Plain functions: they change the session, record audit events and never commit.
"""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import delete, exists, or_, select

from portal.actions.items import carry_forward
from portal.actions.models import ActionItem, ActionItemEvent, CarriedActionItem
from portal.audit.record import apply_changes, record
from portal.calendar.ics import fix_uid
from portal.database import refused_if_taken
from portal.errors import RuleError
from portal.extensions import db
from portal.meetings import agenda, invitations, series
from portal.meetings.models import Meeting
from portal.minutes.models import MinutesComment, MinutesRevision
from portal.reports.models import Outcome
from portal.types import BERLIN, local_today

# Fields whose change reschedules a meeting: invitees get a mail and an updated calendar entry.
RESCHEDULE_FIELDS = ("starts_at", "ends_at", "location", "room", "online_url")
EDITABLE_FIELDS = ("number", "title", *RESCHEDULE_FIELDS, "organizer_id", "moderator_id", "minute_taker_id")
# Meetings are dated from this year on and at most this many years ahead: a typo such as 2205
# or 9999 is refused instead of reaching the calendars.
FIRST_YEAR = 2000
YEARS_AHEAD = 10


class MeetingError(RuleError):
    """A change that the rules of meetings do not allow; the message is for the user, `field`
    names the form field it belongs to (None: the form as a whole)."""


def date_range(today: date | None = None) -> tuple[date, date]:
    """The first and the last day a meeting may take place on."""
    today = today or local_today()
    try:
        last = today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        last = today.replace(year=today.year + YEARS_AHEAD, day=28)
    return date(FIRST_YEAR, 1, 1), last


def check_day(day: date) -> None:
    first, last = date_range()
    if not first <= day <= last:
        raise MeetingError(_("Bitte ein Datum zwischen dem %(first)s und dem %(last)s angeben.",
                             first=format_date(first), last=format_date(last)), field="day")


def _check(values: dict) -> None:
    if not (values.get("title") or "").strip():
        raise MeetingError(_("Bitte einen Titel angeben."), field="title")
    for moment in (values["starts_at"], values["ends_at"]):
        check_day(moment.astimezone(BERLIN).date())
    if values["ends_at"] <= values["starts_at"]:
        raise MeetingError(_("Das Ende muss nach dem Beginn liegen."), field="end_time")
    if values.get("number") is not None and values["number"] < 1:
        raise MeetingError(_("Die Nummer muss mindestens 1 sein."), field="number")


def _check_number_free(meeting: Meeting, number: int) -> None:
    series.lock(meeting)
    holder = series.number_holder(meeting, number)
    if holder is not None:
        raise MeetingError(_("Die Nummer %(n)s trägt in dieser Reihe schon „%(title)s“ vom %(date)s.",
                             n=number, title=holder.title, date=format_date(holder.starts_at)),
                           field="number")


def _number_new(actor, meeting: Meeting) -> int:
    """Give a new meeting the next number after the meetings before it. Later meetings that
    still carry that number and the ones after it move up by one, if they are only planned
    (no minutes yet); a held meeting or one with minutes keeps its number, so then the user
    has to choose a free number. Returns how many meetings moved up."""
    series.lock(meeting)
    group_id = meeting.group.id if meeting.group is not None else None
    number = series.next_number(meeting.kind, group_id, meeting.starts_at)
    chain = series.numbered_from(meeting, number)
    fixed = [m for m in chain if not series.renumberable(m)]
    if fixed:
        raise MeetingError(_(
            "Als Nummer käme %(n)s in Frage, doch die folgenden Sitzungen lassen sich nicht umnummerieren "
            "(„%(title)s“ hat schon stattgefunden oder ein Protokoll). Bitte eine freie Nummer angeben, "
            "zum Beispiel %(free)s.", n=number, title=fixed[0].title,
            free=series.highest_number(meeting) + 1), field="number")
    for later in reversed(chain):
        record(actor, "meeting.renumber", later, apply_changes(later, {"number": later.number + 1}))
        db.session.flush()  # one by one, highest first: the numbers stay unique at every step
    meeting.number = number
    return len(chain)


def create_meeting(actor, *, kind: str, group=None, title: str, starts_at: datetime, ends_at: datetime,
                   number: int | None = None, location: str = "", room: str = "", online_url: str = "",
                   organizer=None, moderator=None, minute_taker=None, copy_previous: bool = False,
                   past_confirmed: bool = False) -> Meeting:
    """A planned meeting of the plenary series or of a group's series, with its first agenda
    items (approval of the last minutes, open action items, optionally the last agenda).
    A start in the past needs `past_confirmed` (see past_date_notice)."""

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
        starts_at=starts_at, ends_at=ends_at, number=number,
        location=(location or "").strip(), room=(room or "").strip(), online_url=(online_url or "").strip(),
        organizer=organizer or actor, moderator=moderator, minute_taker=minute_taker,
        status="planned", minutes_status="none", ical_sequence=0,
    )
    if number is None:
        moved = _number_new(actor, meeting)
    else:
        _check_number_free(meeting, number)
        moved = 0
    _check_past(meeting, past_confirmed, moved)
    with refused_if_taken(MeetingError(_("Diese Nummer hat gerade jemand anderes vergeben; bitte erneut "
                                         "speichern."), field="number")):
        db.session.add(meeting)
    record(actor, "meeting.create", meeting, {
        field: (None, getattr(meeting, field))
        for field in ("kind", "group_id", *EDITABLE_FIELDS) if getattr(meeting, field) not in (None, "")
    })
    agenda.start_agenda(actor, meeting, copy_previous=copy_previous)
    carry_forward(meeting)
    fix_uid(meeting)
    return meeting


def is_changeable(meeting: Meeting) -> bool:
    """Title, time and place can still be changed: the meeting is not cancelled, and no approved
    minutes record it as it was."""
    return not meeting.is_cancelled and not meeting.minutes_recorded


def check_changeable(meeting: Meeting) -> None:
    """Refuse to change a cancelled meeting, or one whose approved minutes record it."""
    if meeting.is_cancelled:
        raise MeetingError(_("Ein abgesagtes Treffen kann nicht mehr geändert werden."))
    if meeting.minutes_recorded:
        raise MeetingError(_("Das Protokoll dieses Treffens ist genehmigt; Thema, Zeit und Ort stehen so "
                             "im Protokoll und können nicht mehr geändert werden."))


def update_meeting(actor, meeting: Meeting, values: dict, past_confirmed: bool = False) -> dict:
    """Change the meeting's details. Returns the changes; a change of time or place of a planned
    meeting is a rescheduling: new iCalendar sequence, and a mail to every invitee if the meeting
    is still ahead. Moving the start into the past needs `past_confirmed`."""
    check_changeable(meeting)
    values = {field: values[field] for field in EDITABLE_FIELDS if field in values}
    if values.get("number") is None:  # left empty: the meeting keeps its number
        values.pop("number", None)
    merged = {field: getattr(meeting, field) for field in ("title", "starts_at", "ends_at", "number")}
    merged.update(values)
    _check(merged)
    if values.get("number", meeting.number) != meeting.number:
        _check_number_free(meeting, values["number"])
    for field in ("title", "location", "room", "online_url"):
        if field in values:
            values[field] = (values[field] or "").strip()
    changes = apply_changes(meeting, values)
    if not changes:
        return changes
    if "starts_at" in changes:
        _check_past(meeting, past_confirmed)
    rescheduled = meeting.status == "planned" and any(f in changes for f in RESCHEDULE_FIELDS)
    if rescheduled:
        before = meeting.ical_sequence
        meeting.ical_sequence = before + 1
        changes["ical_sequence"] = (before, meeting.ical_sequence)
    db.session.flush()
    db.session.expire(meeting, ["organizer", "moderator", "minute_taker"])  # ids were set directly
    record(actor, "meeting.reschedule" if rescheduled else "meeting.update", meeting, changes)
    if rescheduled and not meeting.has_started:
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


def past_date_notice(meeting: Meeting, moved: int = 0) -> str | None:
    """What taking the meeting's start means when it lies in the past (None when it lies ahead):
    its place in the series, how many later meetings moved up a number to make room (`moved`),
    and that nobody is mailed."""
    if not meeting.has_started:
        return None
    text = _("Das Datum liegt in der Vergangenheit.")
    if meeting.number is not None:
        text += " " + _("Die Sitzung wird als Nr. %(n)s der Reihe eingeordnet.", n=meeting.number)
    if moved:
        text += " " + ngettext("Die spätere Sitzung mit dieser Nummer rückt eine Nummer auf.",
                               "%(num)s spätere Sitzungen rücken je eine Nummer auf.", moved)
    return text + " " + _("Es werden keine E-Mails verschickt.")


def _check_past(meeting: Meeting, confirmed: bool, moved: int = 0) -> None:
    notice = past_date_notice(meeting, moved)
    if notice and not confirmed:
        raise MeetingError(notice, field="confirm_past")


def _deletion_blocker(meeting: Meeting) -> str | None:
    """Why the meeting cannot be deleted (it can still be cancelled), or None."""
    if not meeting.is_planned or meeting.has_minutes:
        return _("Nur ein geplantes Treffen ohne Protokoll kann gelöscht werden.")
    if meeting.participations:
        return _("Zu diesem Treffen ist schon eingeladen worden; es kann nur abgesagt werden, "
                 "damit die Eingeladenen davon erfahren.")
    referenced = db.session.scalar(select(or_(*(
        exists().where(column == meeting.id) for column in (
            ActionItem.meeting_id, ActionItemEvent.meeting_id, Outcome.origin_meeting_id,
            MinutesComment.meeting_id, MinutesRevision.meeting_id, Meeting.approved_in_meeting_id)))))
    if referenced:
        return _("Auf dieses Treffen verweisen schon Aufgaben, Ergebnisse oder Protokolle; es kann nur "
                 "abgesagt werden.")
    return None


def is_deletable(meeting: Meeting) -> bool:
    return _deletion_blocker(meeting) is None


def delete_meeting(actor, meeting: Meeting) -> None:
    """Delete a planned meeting nobody was invited to; the audit keeps its details and agenda."""
    blocker = _deletion_blocker(meeting)
    if blocker:
        raise MeetingError(blocker)
    kept = {field: (getattr(meeting, field), None)
            for field in ("kind", "group_id", *EDITABLE_FIELDS) if getattr(meeting, field) not in (None, "")}
    kept["agenda"] = ([item.title for item in meeting.agenda_items], None)
    record(actor, "meeting.delete", meeting, kept)
    db.session.execute(delete(CarriedActionItem).where(CarriedActionItem.meeting_id == meeting.id))
    db.session.delete(meeting)
    db.session.flush()


def mark_held(actor, meeting: Meeting) -> None:
    if meeting.status != "planned":
        raise MeetingError(_("Nur ein geplantes Treffen kann als stattgefunden markiert werden."))
    if not meeting.has_started:
        raise MeetingError(_("Ein Treffen kann erst nach seinem Beginn als stattgefunden markiert werden."))
    record(actor, "meeting.held", meeting, apply_changes(meeting, {"status": "held"}))
