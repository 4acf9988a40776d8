"""Guests without accounts (issue 15 point 3): the organizer invites an outside person by name,
organization and address; she gets the invitation with agenda and calendar entry and a personal
signed link (portal.members.tokens) to answer without signing in. Guests are participations
without a person: they never count as members.

Plain functions: they change the session, queue mails, record audit events and never commit."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.audit.record import record
from portal.calendar.ics import invitation_attachment
from portal.extensions import db
from portal.links import external_url
from portal.meetings.invitations import InvitationError, check_answer, meeting_link, set_answer
from portal.meetings.models import Meeting, Participation
from portal.members.tokens import guest_token
from portal.notifications import notify
from portal.types import utcnow


@dataclass(frozen=True)
class GuestRecipient:
    """What a mail and the calendar entry need of a guest (she has no Person)."""

    name: str
    email: str
    locale: str | None = None
    id: None = None  # matches no person's participation: the calendar shows NEEDS-ACTION


def guest_link(participation: Participation) -> str:
    return external_url("meetings.guest", token=guest_token(participation))


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
           guest_link=guest_link(participation),
           calendar=lambda: invitation_attachment(meeting, recipient, "REQUEST"), calendar_method="REQUEST")
    return participation


def guest_answer(participation: Participation, rsvp: str) -> Participation:
    """The guest's answer through her link; answering again changes it."""
    check_answer(participation.meeting, rsvp)
    return set_answer(None, participation, rsvp, "meeting.guest_rsvp")
