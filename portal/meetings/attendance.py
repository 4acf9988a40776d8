"""The attendance register (Anwesenheitsliste): who was present, excused or absent, and the
guests who are not members. The answers to the invitation give the first guess.

Plain functions: they change the session, record audit events and never commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit.record import record
from portal.csv_files import excel_csv
from portal.documents.render import render_pdf
from portal.errors import RuleError
from portal.extensions import db
from portal.labels import label
from portal.meetings.models import Meeting, Participation
from portal.meetings.naming import full_title
from portal.minutes import workflow

MARKS = ("present", "excused", "absent")
# what an answer to the invitation suggests, until the minute-taker decides
GUESS = {"accepted": "present", "declined": "excused"}


class AttendanceError(RuleError):
    """A change of the register that the rules do not allow; the message is for the user."""


def is_editable(meeting: Meeting) -> bool:
    """From the meeting's start until the minutes go to review: from then on the register decides
    who may review them."""
    return has_begun(meeting) and workflow.is_editable(meeting)


def has_begun(meeting: Meeting) -> bool:
    """Attendance is recorded from the meeting's start (or once it is marked held)."""
    return meeting.is_held or meeting.has_started


def _check_editable(meeting: Meeting) -> None:
    if not has_begun(meeting):
        raise AttendanceError(_("Die Anwesenheit wird ab dem Beginn der Sitzung erfasst."))
    if not is_editable(meeting):
        raise AttendanceError(_("Die Anwesenheit dieses Treffens kann nicht mehr geändert werden: Das Treffen "
                                "ist abgesagt, oder sein Protokoll ist schon in Abstimmung."))


def guess(participation: Participation) -> str:
    """The recorded attendance, or the one the invitation answer suggests ("unknown" if none)."""
    if participation.attendance != "unknown":
        return participation.attendance
    if participation.person is not None and not participation.person.active:
        return "unknown"  # a deactivated account is never assumed present
    return GUESS.get(participation.rsvp, "unknown")


@dataclass
class Row:
    participation: Participation
    suggested: str

    @property
    def is_guess(self) -> bool:
        return self.participation.attendance == "unknown" and self.suggested != "unknown"


def register(meeting: Meeting) -> list[Row]:
    """Invitees by name, then guests by name, each with the attendance to show."""
    def key(p: Participation):
        return (p.person is None, (p.person.name if p.person else p.guest_name).casefold())
    return rows(sorted(meeting.participations, key=key))


def rows(participations) -> list[Row]:
    """Each participation with the attendance to show (for a page of the register)."""
    return [Row(p, guess(p)) for p in participations]


def set_attendance(actor, meeting: Meeting, marks: dict[int, str]) -> int:
    """Record {participation id: present|excused|absent}; returns how many rows changed."""
    _check_editable(meeting)
    rows = {p.id: p for p in meeting.participations}
    changed = 0
    for participation_id, mark in marks.items():
        participation = rows.get(participation_id)
        if participation is None:
            continue
        if mark not in MARKS + ("unknown",):
            raise AttendanceError(_("Unbekannter Anwesenheitsstatus."))
        if participation.attendance != mark:
            record(actor, "meeting.attendance", participation, {"attendance": (participation.attendance, mark)})
            participation.attendance = mark
            changed += 1
    return changed


def mark_all_present(actor, meeting: Meeting) -> int:
    """Everyone in the register present, in one step; the minute-taker then marks the exceptions."""
    return set_attendance(actor, meeting, {p.id: "present" for p in meeting.participations})


def _same(text: str) -> str:
    """How two spellings of a guest's name or organization compare: case and spacing aside."""
    return " ".join(text.split()).casefold()


def add_guest(actor, meeting: Meeting, name: str, organization: str = "") -> Participation:
    """A guest in the register; the same name and organization (case and spacing aside) once only."""
    _check_editable(meeting)
    name, organization = (name or "").strip(), (organization or "").strip()
    if not name:
        raise AttendanceError(_("Bitte den Namen des Gastes angeben."), field="guest_name")
    key = (_same(name), _same(organization))
    if any(p.person_id is None and (_same(p.guest_name), _same(p.guest_organization)) == key
           for p in meeting.participations):
        raise AttendanceError(_("%(name)s steht schon als Gast in der Liste.", name=name), field="guest_name")
    guest = Participation(guest_name=name, guest_organization=organization, attendance="present")
    meeting.participations.append(guest)
    db.session.flush()
    record(actor, "meeting.guest_add", guest, {
        "meeting_id": (None, meeting.id), "guest_name": (None, guest.guest_name),
        "guest_organization": (None, guest.guest_organization),
    })
    return guest


def add_attendee(actor, meeting: Meeting, person) -> Participation:
    """A member who came without an invitation: in the register as present, no mail."""
    _check_editable(meeting)
    if any(p.person_id == person.id for p in meeting.participations):
        raise AttendanceError(_("%(name)s steht schon in der Anwesenheitsliste.", name=person.name))
    participation = Participation(person=person, attendance="present")
    meeting.participations.append(participation)
    db.session.flush()
    record(actor, "meeting.attendee_add", participation, {
        "meeting_id": (None, meeting.id), "person_id": (None, person.id),
    })
    return participation


def remove_guest(actor, guest: Participation) -> None:
    meeting = guest.meeting
    _check_editable(meeting)
    if guest.person_id is not None:
        raise AttendanceError(_("Nur Gäste können aus der Liste entfernt werden."))
    record(actor, "meeting.guest_remove", guest, {"guest_name": (guest.guest_name, None)})
    meeting.participations.remove(guest)
    db.session.flush()


def attendance_csv(meeting: Meeting) -> bytes:
    """The register as CSV for German Excel (portal.csv_files): one row per invitee or guest, guests
    marked as such; every cell guarded against formulas."""
    header = (_("Name"), _("Organisation"), _("Art"), _("Antwort"), _("Anwesenheit"))
    return excel_csv(header, ((
        p.person.name if p.person else p.guest_name,
        (p.person.organization.name if p.person.organization else "") if p.person else (p.guest_organization or ""),
        _("Mitglied") if p.person else _("Gast"),
        label("rsvp", p.rsvp) if p.person else "", label("attendance", row.suggested),
    ) for row in register(meeting) for p in (row.participation,)))


SIGN_IN_BLANK_ROWS = 8  # for those who come unannounced


def sign_in_sheet_pdf(meeting: Meeting) -> bytes:
    """The sign-in sheet to lay out at the door (A4, always German): every invitee and every guest
    who has not declined, in the register's order, each with an empty signature field."""
    rows = [row.participation for row in register(meeting)
            if row.participation.person is not None or row.participation.rsvp != "declined"]
    with force_locale("de"):
        title = f"{_('Anwesenheitsliste')}: {full_title(meeting)}"
        html = render_template("print/sign_in_sheet.html", meeting=meeting, rows=rows, title=title,
                               blank=SIGN_IN_BLANK_ROWS,
                               logo=current_app.config.get("PORTAL_LOGO", "logo.svg"))
    return render_pdf(html, title=title, lang="de")
