"""Writing, addressing and sending circulars, and ending them for a person."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, select

from portal.audit.record import record
from portal.circulars.models import Audience, Circular, CircularRecipient, CircularStatus
from portal.errors import RuleError
from portal.extensions import db
from portal.groups.models import Membership, MembershipStatus
from portal.links import external_url
from portal.meetings.models import Attendance, Participation
from portal.members.models import Organization, Person, Role
from portal.members.tokens import unsubscribe_token
from portal.notifications import notify
from portal.permissions import is_office, moderated_group_ids
from portal.types import utcnow

PREVIEW_NAMES = 10


@dataclass
class Draft:
    subject: str
    body: str
    audience: Audience
    group_ids: list[int]
    sectors: list[str]
    meeting_id: int | None


def recipients_query(circular: Circular | Draft) -> Select:
    """Active members and office staff of the chosen audience who have not opted out, by name.
    Guests (people without an account) are never in it."""
    people = select(Person).where(Person.active.is_(True), Person.receives_circulars.is_(True),
                                  Person.role.in_((Role.MEMBER, Role.OFFICE)))
    audience = circular.audience
    if audience == Audience.GROUPS:
        people = people.where(Person.id.in_(select(Membership.person_id).where(
            Membership.group_id.in_(circular.group_ids or [-1]), Membership.status == MembershipStatus.ACTIVE)))
    elif audience in (Audience.INVITEES, Audience.ATTENDEES):
        participants = select(Participation.person_id).where(Participation.meeting_id == circular.meeting_id)
        if audience == Audience.ATTENDEES:
            participants = participants.where(Participation.attendance == Attendance.PRESENT)
        people = people.where(Person.id.in_(participants))
    elif audience == Audience.SECTORS:
        people = people.where(Person.organization_id.in_(
            select(Organization.id).where(Organization.sector.in_(circular.sectors or ["-"]))))
    return people.order_by(Person.name, Person.id)


@dataclass
class Preview:
    count: int
    names: list[str]


def preview(circular: Circular) -> Preview:
    """How many will receive it, and the first names — exactly the people `send` writes to."""
    people = db.session.scalars(recipients_query(circular)).all()
    return Preview(len(people), [p.name for p in people[:PREVIEW_NAMES]])


def _check(actor, draft: Draft) -> None:
    if not draft.subject.strip():
        raise RuleError(_("Bitte geben Sie einen Betreff an."), field="subject")
    if not draft.body.strip():
        raise RuleError(_("Bitte schreiben Sie den Text des Rundschreibens."), field="body")
    if draft.audience == Audience.GROUPS and not draft.group_ids:
        raise RuleError(_("Bitte wählen Sie mindestens ein Reallabor."), field="group_ids")
    if draft.audience == Audience.SECTORS and not draft.sectors:
        raise RuleError(_("Bitte wählen Sie mindestens eine Branche."), field="sectors")
    if draft.audience in (Audience.INVITEES, Audience.ATTENDEES) and draft.meeting_id is None:
        raise RuleError(_("Bitte wählen Sie ein Treffen."), field="meeting_id")
    if not is_office(actor):
        own = moderated_group_ids(actor)
        if draft.audience != Audience.GROUPS or not set(draft.group_ids) <= own:
            raise RuleError(_("Als Moderation schreiben Sie nur an die Mitglieder Ihrer Reallabore."),
                            field="group_ids")


def write(actor, draft: Draft, circular: Circular | None = None) -> Circular:
    """Save a draft (new, or the given one changed); sent circulars stay as they went out."""
    _check(actor, draft)
    if circular is None:
        circular = Circular(author_id=actor.id)
        db.session.add(circular)
    elif circular.is_sent:
        raise RuleError(_("Dieses Rundschreiben ist schon verschickt und kann nicht mehr geändert werden."))
    circular.subject, circular.body = draft.subject.strip(), draft.body.strip()
    circular.audience, circular.group_ids = draft.audience, sorted(draft.group_ids)
    circular.sectors, circular.meeting_id = sorted(draft.sectors), draft.meeting_id
    db.session.flush()
    record(actor, "circular.saved", circular, {"subject": (None, circular.subject)})
    return circular


def send(actor, circular: Circular) -> int:
    """Queue one mail per recipient (each in their language) and archive who got it. Once only."""
    locked = db.session.scalar(select(Circular).where(Circular.id == circular.id).with_for_update())
    if locked.is_sent:
        raise RuleError(_("Dieses Rundschreiben ist schon verschickt."))
    people = db.session.scalars(recipients_query(locked)).all()
    if not people:
        raise RuleError(_("Niemand würde dieses Rundschreiben erhalten. Bitte wählen Sie andere Empfänger."))
    link = external_url("circulars.show", circular_id=locked.id)
    for person in people:
        db.session.add(CircularRecipient(circular_id=locked.id, person_id=person.id))
        unsubscribe = external_url("circulars.unsubscribe", token=unsubscribe_token(person))
        notify(person, "circulars_circular", circular=locked, sender=actor, link=link,
               unsubscribe=unsubscribe,
               headers={"List-Unsubscribe": f"<{unsubscribe}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    locked.status, locked.sent_at, locked.recipient_count = CircularStatus.SENT, utcnow(), len(people)
    record(actor, "circular.sent", locked, {"recipients": (None, len(people))})
    return len(people)


def set_receives_circulars(actor, person: Person, receives: bool) -> bool:
    """Opt in or out (from the profile, or by the one-click link without signing in)."""
    if person.receives_circulars != receives:
        record(actor, "person.circulars", person, {"receives_circulars": (person.receives_circulars, receives)})
        person.receives_circulars = receives
    return receives
