"""Guests without accounts (issue 15 point 3): the organizer invites an outside person by name,
organization and address; she gets the invitation with agenda and calendar entry and a personal
signed link (portal.members.tokens) to answer without signing in. Guests are participations
without a person: they never count as members.

Plain functions: they change the session, queue mails, record audit events and never commit."""
from __future__ import annotations

import io

import segno
from flask_babel import gettext as _

from portal.audit.record import record
from portal.calendar.ics import invitation_attachment
from portal.extensions import db
from portal.links import external_url
from portal.meetings.invitations import (
    GuestRecipient,
    InvitationError,
    check_answer,
    guest_link,
    meeting_link,
    participation_of,
    reply_to_headers,
    set_answer,
)
from portal.meetings.models import Attendance, Meeting, Participation
from portal.members.invitations import invite as account_invite
from portal.members.models import Person
from portal.members.organizations import find_organization
from portal.members.tokens import TokenProblem, check_in_token, read_guest_token
from portal.notifications import notify
from portal.types import utcnow


def guest_of(token: str) -> Participation | None:
    """The guest whose personal link this is; None for a forged, expired or member's token."""
    try:
        participation = db.session.get(Participation, read_guest_token(token))
    except TokenProblem:
        return None
    return participation if participation is not None and participation.is_guest else None


def invite_guest(actor, meeting: Meeting, name: str, organization: str, email: str) -> Participation:
    """A guest invited by mail: a participation without a person, and the invitation mail."""
    if not meeting.is_planned or meeting.has_started:
        raise InvitationError(_("Zu einem abgesagten oder vergangenen Treffen kann nicht eingeladen werden."))
    email = email.strip().lower()
    if any(p.is_guest and p.guest_email.lower() == email for p in meeting.participations):
        raise InvitationError(_("Ein Gast mit dieser E-Mail-Adresse ist schon eingeladen."), field="guest_email")
    participation = Participation(guest_name=name.strip(), guest_organization=organization.strip(),
                                  guest_email=email, invited_at=utcnow())
    meeting.participations.append(participation)
    db.session.flush()
    record(actor, "meeting.invite_guest", participation, {
        "meeting_id": (None, meeting.id), "guest_name": (None, participation.guest_name),
        "guest_email": (None, email),
    })
    recipient = GuestRecipient(participation.guest_name, email)
    notify(recipient, "meetings_guest_invitation", meeting=meeting, link=meeting_link(meeting),
           guest_link=guest_link(participation), headers=reply_to_headers(meeting),
           calendar=lambda: invitation_attachment(meeting, recipient, "REQUEST"), calendar_method="REQUEST")
    return participation


def guest_answer(participation: Participation, rsvp: str) -> Participation:
    """The guest's answer through her link; answering again changes it; "here" checks her in."""
    if rsvp == "here":
        return check_in(None, participation)
    check_answer(participation.meeting, rsvp)
    return set_answer(None, participation, rsvp, "meeting.guest_rsvp")


# self check-in (issue 15 point 5) -----------------------------------------------------------

def check_in_link(meeting: Meeting) -> str:
    """The short-lived link behind the QR code on the moderation page."""
    return external_url("meetings.check_in", meeting_id=meeting.id, token=check_in_token(meeting))


def check_in_svg(meeting: Meeting) -> bytes:
    """The QR code of the check-in link, drawn as SVG."""
    buffer = io.BytesIO()
    segno.make(check_in_link(meeting), error="m").save(buffer, kind="svg", scale=8, border=2,
                                                         title=_("Selbst-Check-in"))
    return buffer.getvalue()


def check_in(actor, participation: Participation) -> Participation:
    """Mark the participation present, checked in by herself, while the meeting runs."""
    meeting = participation.meeting
    if not meeting.is_running:
        raise InvitationError(_("Einchecken geht nur, während das Treffen läuft."))
    if not participation.checked_in:
        before = participation.attendance
        participation.attendance = Attendance.PRESENT
        participation.checked_in_at = utcnow()
        record(actor, "meeting.check_in", participation, {"attendance": (before, Attendance.PRESENT)})
    return participation


def check_in_invitee(actor, meeting: Meeting) -> Participation:
    """The signed-in invitee who opened the check-in link."""
    participation = participation_of(meeting, actor)
    if participation is None:
        raise InvitationError(_("Sie sind zu diesem Treffen nicht eingeladen."))
    return check_in(actor, participation)


# a guest becomes a member -------------------------------------------------------------------

def make_member(actor, participation: Participation) -> Person:
    """The office turns a guest invited by mail into a member: the account is created and invited
    as any other (portal.members.invitations), and the participation now names the person."""
    if not participation.is_guest:
        raise InvitationError(_("Diese Person ist schon Mitglied."))
    if not participation.guest_email:
        raise InvitationError(_("Ohne E-Mail-Adresse kann kein Konto angelegt werden; legen Sie das "
                                "Mitglied in der Mitgliederliste an."))
    person = account_invite(actor, name=participation.guest_name, email=participation.guest_email,
                            role="member", organization=find_organization(participation.guest_organization))
    db.session.flush()
    participation.person_id = person.id
    record(actor, "meeting.guest_to_member", participation, {"person_id": (None, person.id)})
    return person
