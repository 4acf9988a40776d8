"""Invitations and answers (RSVP), and the mails that tell invitees of a meeting, its changes
and its cancellation. Mails carry an iCalendar part (REQUEST or CANCEL) and a link to the
meeting page, where invitees answer with one click after logging in.

Plain functions: they change the session, queue mails (sent after the commit), record audit
events and never commit. Rules a user can break raise InvitationError with a German message.
"""
from __future__ import annotations

from dataclasses import dataclass
from email.utils import formataddr

from flask_babel import gettext as _
from sqlalchemy import exists, func, or_, select

from portal.audit.record import record
from portal.calendar.ics import fix_uid, invitation_attachment, organizer_contact
from portal.errors import RuleError
from portal.extensions import db
from portal.groups.models import Membership
from portal.links import external_url
from portal.meetings.models import Meeting, Participation
from portal.members.models import Person
from portal.members.tokens import guest_token
from portal.notifications import notify
from portal.types import utcnow

ANSWERS = ("accepted", "declined", "tentative")
INVITABLE_ROLES = ("member", "office")


class InvitationError(RuleError):
    """An invitation or answer that the rules do not allow; the message is for the user."""


@dataclass(frozen=True)
class GuestRecipient:
    """What a mail and the calendar entry need of a guest (she has no Person)."""

    name: str
    email: str
    locale: str | None = None
    id: None = None  # matches no person's participation: the calendar shows NEEDS-ACTION


def meeting_link(meeting: Meeting) -> str:
    """The meeting page's public address, for mails."""
    return external_url("meetings.show", meeting_id=meeting.id)


def guest_link(participation: Participation) -> str:
    """A guest's personal page: her answer and the materials, without signing in."""
    return external_url("meetings.guest", token=guest_token(participation))


def invitable_people():
    """Who can be invited: active people who take part (members and the office)."""
    return select(Person).where(Person.active, Person.role.in_(INVITABLE_ROLES)).order_by(Person.name)


SERIES_NAMES_SHOWN = 30  # names the invitation page spells out; the others are counted


def _series(meeting: Meeting):
    """The series' people: the group's active members (plenary: every active member), and the
    meeting's organizer, moderator and minute-taker."""
    if meeting.kind == "plenary":
        series = Person.role == "member"
    else:
        series = exists().where(Membership.person_id == Person.id, Membership.group_id == meeting.group_id,
                                Membership.status == "active")
    staff = [pid for pid in (meeting.organizer_id, meeting.moderator_id, meeting.minute_taker_id) if pid]
    return invitable_people().where(or_(series, Person.id.in_(staff)))


def not_invited(meeting: Meeting):
    """A condition on Person: no invitation to the meeting yet."""
    return ~exists().where(Participation.person_id == Person.id, Participation.meeting_id == meeting.id,
                           Participation.invited_at.is_not(None))


def series_not_invited(meeting: Meeting) -> list[Person]:
    """The series' people without an invitation yet: whom "Alle Mitglieder der Reihe" invites."""
    return list(db.session.scalars(_series(meeting).where(not_invited(meeting))))


def series_summary(meeting: Meeting) -> tuple[int, list[str]]:
    """How many of the series' people are not invited yet, and the first SERIES_NAMES_SHOWN of their
    names (two queries, whatever the size of the series)."""
    query = _series(meeting).where(not_invited(meeting))
    count = db.session.scalar(query.with_only_columns(func.count(Person.id)).order_by(None))
    names = db.session.scalars(query.with_only_columns(Person.name).limit(SERIES_NAMES_SHOWN)).all()
    return count, list(names)


def invite(actor, meeting: Meeting, people) -> list[Participation]:
    """Invite each person not invited yet: a participation row and a mail with the calendar
    invitation. Returns the new invitations."""
    if meeting.status != "planned":
        raise InvitationError(_("Zu einem abgesagten oder vergangenen Treffen kann nicht eingeladen werden."))
    people = list(people)
    inactive = [person.name for person in people if not person.active]
    if inactive:
        raise InvitationError(_("Deaktivierte Konten können nicht eingeladen werden: %(names)s.",
                                names=", ".join(inactive)), field="people")
    existing = {p.person_id: p for p in meeting.participations if p.person_id is not None}
    now, invited, seen = utcnow(), [], set()
    for person in people:
        if person.id in seen or person.role not in INVITABLE_ROLES:
            continue
        seen.add(person.id)
        participation = existing.get(person.id)
        if participation is not None and participation.invited_at is not None:
            continue
        if participation is None:
            participation = Participation(person=person)
            meeting.participations.append(participation)
        participation.invited_at = now
        invited.append(participation)
    db.session.flush()
    for participation in invited:
        record(actor, "meeting.invite", participation, {
            "meeting_id": (None, meeting.id), "person_id": (None, participation.person_id),
        })
        _mail(meeting, participation.person, "invitation", "REQUEST")
    return invited


def participation_of(meeting: Meeting, person) -> Participation | None:
    return next((p for p in meeting.participations if p.person_id == person.id), None)


def answer(actor, meeting: Meeting, rsvp: str) -> Participation:
    """The actor's answer to the invitation: accepted, declined or tentative."""
    check_answer(meeting, rsvp)
    participation = participation_of(meeting, actor)
    if participation is None:
        raise InvitationError(_("Sie sind zu diesem Treffen nicht eingeladen."))
    return set_answer(actor, participation, rsvp, "meeting.rsvp")


def check_answer(meeting: Meeting, rsvp: str) -> None:
    """Refuse an unknown answer, or one to a meeting that is no longer planned."""
    if rsvp not in ANSWERS:
        raise InvitationError(_("Unbekannte Antwort."))
    if meeting.status != "planned":
        raise InvitationError(_("Auf dieses Treffen kann nicht mehr geantwortet werden."))


def set_answer(actor, participation: Participation, rsvp: str, action: str) -> Participation:
    """Keep an answer (a later one replaces it) and record it."""
    before = participation.rsvp
    participation.rsvp = rsvp
    participation.rsvp_at = utcnow()
    record(actor, action, participation, {"rsvp": (before, rsvp)})
    return participation


def _invitees(meeting: Meeting) -> list[Person]:
    return [p.person for p in meeting.participations if p.person is not None and p.person.active]


def _guests(meeting: Meeting, *, answering: bool = False) -> list[Participation]:
    """The invited guests; `answering`: only those who have not declined."""
    return [p for p in meeting.participations
            if p.is_guest and p.invited_at is not None and not (answering and p.rsvp == "declined")]


def tell_change(meeting: Meeting, changes: dict) -> None:
    """Mail every invitee and guest that the time or place changed, with the updated calendar entry."""
    for person in _invitees(meeting):
        _mail(meeting, person, "change", "REQUEST", changes=changes)
    for guest in _guests(meeting):
        _guest_mail(meeting, guest, "change", "REQUEST", changes=changes)


def tell_cancellation(meeting: Meeting) -> None:
    for person in _invitees(meeting):
        _mail(meeting, person, "cancellation", "CANCEL")
    for guest in _guests(meeting):
        _guest_mail(meeting, guest, "cancellation", "CANCEL")


def _agenda_rows(meeting: Meeting) -> list[Participation]:
    return [p for p in meeting.participations
            if p.invited_at is not None and p.person is not None and p.person.active and p.rsvp != "declined"]


def agenda_recipients(meeting: Meeting) -> list[Person]:
    """Who gets a changed agenda: the active invitees, except those who declined."""
    return [p.person for p in _agenda_rows(meeting)]


def behind_on_agenda(meeting: Meeting) -> list[Person]:
    """The recipients who have not been sent the agenda as it is now: it changed after their
    invitation and after the last mailing of the agenda."""
    changed, sent = meeting.agenda_changed_at, meeting.agenda_sent_at
    if changed is None or (sent is not None and sent >= changed):
        return []
    return [p.person for p in _agenda_rows(meeting) if p.invited_at < changed]


def send_agenda(actor, meeting: Meeting) -> list[Person]:
    """Mail the agenda, changed since the invitations or its last mailing, to every invitee who
    has not declined, with the calendar entry updated (same UID, SEQUENCE one higher) so that
    their calendars replace the old one. Returns the recipients."""
    if not meeting.is_planned or meeting.has_started:
        raise InvitationError(_("Die Tagesordnung wird nur vor einem geplanten Treffen verschickt."))
    people, guests = agenda_recipients(meeting), _guests(meeting, answering=True)
    if not people and not guests:
        raise InvitationError(_("Niemand bekommt die Tagesordnung: Es ist noch niemand eingeladen, "
                                "oder alle Eingeladenen haben abgesagt."))
    if not behind_on_agenda(meeting) and not _guests_behind(meeting, guests):
        raise InvitationError(_("Die Eingeladenen haben die Tagesordnung schon so, wie sie jetzt ist."))
    meeting.agenda_sent_at = utcnow()
    before = meeting.ical_sequence or 0
    meeting.ical_sequence = before + 1
    record(actor, "meeting.agenda_sent", meeting, {
        "ical_sequence": (before, meeting.ical_sequence), "recipients": (None, len(people) + len(guests)),
    })
    for person in people:
        _mail(meeting, person, "agenda", "REQUEST")
    for guest in guests:
        _guest_mail(meeting, guest, "agenda", "REQUEST")
    return [*people, *(_recipient(guest) for guest in guests)]


def _guests_behind(meeting: Meeting, guests: list[Participation]) -> bool:
    changed, sent = meeting.agenda_changed_at, meeting.agenda_sent_at
    if changed is None or (sent is not None and sent >= changed):
        return False
    return any(guest.invited_at < changed for guest in guests)


def _mail(meeting: Meeting, person: Person, kind: str, method: str, **context) -> None:
    """The mail of `kind` to person, a meeting request (or cancellation) with the calendar part.
    The organizer gets a copy without it: no REQUEST for her own meeting, in which she would be
    both ORGANIZER and ATTENDEE. Replies go to the organizer when her address may be shown."""
    fix_uid(meeting)
    organizer_copy = person.id == meeting.organizer_id
    notify(person, f"meetings_{kind}", meeting=meeting, link=meeting_link(meeting),
           calendar=None if organizer_copy else (lambda: invitation_attachment(meeting, person, method)),
           calendar_method=method, headers=reply_to_headers(meeting), organizer_copy=organizer_copy, **context)


def reply_to_headers(meeting: Meeting) -> dict | None:
    """Replies go to the organizer when her address may be shown."""
    contact = organizer_contact(meeting)
    return {"Reply-To": formataddr((contact.name, contact.email))} if contact is not None else None


def _recipient(guest: Participation) -> GuestRecipient:
    return GuestRecipient(guest.guest_name, guest.guest_email)


def _guest_mail(meeting: Meeting, guest: Participation, kind: str, method: str, **context) -> None:
    """The mail of `kind` to a guest: like an invitee's, but her personal link instead of the
    meeting page (she has no account)."""
    fix_uid(meeting)
    recipient = _recipient(guest)
    link = guest_link(guest)
    notify(recipient, f"meetings_{kind}", meeting=meeting, link=link, guest_link=link,
           calendar=lambda: invitation_attachment(meeting, recipient, method),
           calendar_method=method, headers=reply_to_headers(meeting), organizer_copy=False, **context)
