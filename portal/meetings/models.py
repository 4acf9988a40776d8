"""Meetings with their agenda, participants, decisions and minutes."""
from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.groups.models import WorkingGroup
    from portal.members.models import Person



class MeetingKind(StrEnum):
    PLENARY = "plenary"
    GROUP = "group"


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class MinutesStatus(StrEnum):
    NONE = "none"
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"


class AgendaKind(StrEnum):
    INFORMATION = "information"
    DISCUSSION = "discussion"
    DECISION = "decision"
    MINUTES_APPROVAL = "minutes_approval"
    OPEN_ACTIONS = "open_actions"


# The automatic agenda items are stored with these German titles (the catalogue's msgids) and
# titled in the reader's language when shown (AgendaItem.display_title). Older rows may carry
# the English title of an English-speaking creator; both are recognised.
AUTOMATIC_TITLES = {
    AgendaKind.MINUTES_APPROVAL: ("Genehmigung des Protokolls der letzten Sitzung",
                                  "Approval of the minutes of the last meeting"),
    AgendaKind.OPEN_ACTIONS: ("Offene Aufgaben", "Open action items"),
}
# the same titles for the message catalogue (display_title translates them from the table above)
_IN_CATALOGUE = (_l("Genehmigung des Protokolls der letzten Sitzung"), _l("Offene Aufgaben"))


class Rsvp(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    TENTATIVE = "tentative"


class Attendance(StrEnum):
    UNKNOWN = "unknown"
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


MEETING_KINDS = tuple(MeetingKind)
MEETING_STATUSES = tuple(MeetingStatus)
MINUTES_STATUSES = tuple(MinutesStatus)
AGENDA_KINDS = tuple(AgendaKind)
RSVPS = tuple(Rsvp)
ATTENDANCES = tuple(Attendance)
# The meetings that carry their number (see series.py): a cancelled meeting keeps the column
# but shows no number, and its number is free again.
_NUMBERED = "number IS NOT NULL AND status <> 'cancelled'"
_PLENARY_NUMBERED = text(f"kind = 'plenary' AND {_NUMBERED}")
_GROUP_NUMBERED = text(f"kind = 'group' AND {_NUMBERED}")


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        one_of("kind", MEETING_KINDS),
        one_of("status", MEETING_STATUSES),
        one_of("minutes_status", MINUTES_STATUSES),
        CheckConstraint("kind = 'plenary' OR group_id IS NOT NULL", name="group_meeting_has_group"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        # one number per series: the plenary series, and each group's series
        Index("uq_meetings_plenary_number", "number", unique=True,
              sqlite_where=_PLENARY_NUMBERED, postgresql_where=_PLENARY_NUMBERED),
        Index("uq_meetings_group_number", "group_id", "number", unique=True,
              sqlite_where=_GROUP_NUMBERED, postgresql_where=_GROUP_NUMBERED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MeetingKind] = mapped_column(state_column(MeetingKind), default=MeetingKind.GROUP)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"), index=True)
    number: Mapped[int | None]
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    location: Mapped[str] = mapped_column(String(300), default="")
    room: Mapped[str] = mapped_column(String(100), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    minute_taker_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    status: Mapped[MeetingStatus] = mapped_column(state_column(MeetingStatus), default=MeetingStatus.PLANNED)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    ical_sequence: Mapped[int] = mapped_column(default=0)
    # the UID of its calendar event, fixed at first use (portal.calendar.ics.meeting_uid)
    ical_uid: Mapped[str | None] = mapped_column(String(255))
    # The agenda's last change and its last mailing to the invitees: while an invitee's invitation
    # and the last mailing are both older than the change, they have not seen the agenda.
    agenda_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agenda_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes_status: Mapped[MinutesStatus] = mapped_column(state_column(MinutesStatus),
                                                         default=MinutesStatus.NONE)
    # Optimistic lock of the minutes: an editor saves against the version they started from.
    minutes_version: Mapped[int] = mapped_column(default=0)
    # the last day (in Berlin) of the review set on submission: approving earlier asks first
    review_until: Mapped[date | None]
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_in_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group: Mapped[WorkingGroup | None] = relationship()
    organizer: Mapped[Person | None] = relationship(foreign_keys=[organizer_id])
    moderator: Mapped[Person | None] = relationship(foreign_keys=[moderator_id])
    minute_taker: Mapped[Person | None] = relationship(foreign_keys=[minute_taker_id])
    approved_by: Mapped[Person | None] = relationship(foreign_keys=[approved_by_id])
    published_by: Mapped[Person | None] = relationship(foreign_keys=[published_by_id])
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )
    participations: Mapped[list[Participation]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="meeting", order_by="Decision.number", cascade="all, delete-orphan"
    )

    @property
    def has_started(self) -> bool:
        return self.starts_at <= utcnow()

    @property
    def is_running(self) -> bool:
        """Planned or held, begun and not yet ended: the time for self check-in."""
        return not self.is_cancelled and self.has_started and utcnow() < self.ends_at

    @property
    def is_plenary(self) -> bool:
        return self.kind == MeetingKind.PLENARY

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == MeetingStatus.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def has_minutes(self) -> bool:
        """The minutes have begun (in whatever state they are now)."""
        return self.minutes_status != MinutesStatus.NONE

    @property
    def minutes_recorded(self) -> bool:
        """Approved or published minutes record the meeting as it was."""
        return self.minutes_status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED)

    @property
    def minutes_published(self) -> bool:
        return self.minutes_status == MinutesStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.title!r}>"


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (one_of("kind", AGENDA_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[AgendaKind] = mapped_column(state_column(AgendaKind), default=AgendaKind.INFORMATION)
    planned_minutes: Mapped[int] = mapped_column(default=15)
    presenter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    minutes_text: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenter: Mapped[Person | None] = relationship()
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="agenda_item", order_by="Decision.number"
    )

    @property
    def display_title(self) -> str:
        """The title in the reader's language: automatic items (still carrying their stored
        default title) are titled by kind; every other title is the user's own text."""
        known = AUTOMATIC_TITLES.get(self.kind, ())
        return gettext(known[0]) if self.title in known else self.title

    @property
    def approves_minutes(self) -> bool:
        """The item "Genehmigung des Protokolls": the previous meeting's minutes are approved here."""
        return self.kind == AgendaKind.MINUTES_APPROVAL

    @property
    def takes_up_actions(self) -> bool:
        """The item "Offene Aufgaben": open action items of earlier meetings are reported on."""
        return self.kind == AgendaKind.OPEN_ACTIONS


class Participation(db.Model):
    """An invitee (a person) or a guest (name and organization) of a meeting."""

    __tablename__ = "participations"
    __table_args__ = (
        one_of("rsvp", RSVPS),
        one_of("attendance", ATTENDANCES),
        UniqueConstraint("meeting_id", "person_id"),
        CheckConstraint("person_id IS NOT NULL OR guest_name <> ''", name="person_or_guest"),
        # the report counts attendance per meeting from this index alone (portal.reports.queries)
        Index("ix_participations_meeting_attendance", "meeting_id", "attendance", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    guest_name: Mapped[str] = mapped_column(String(200), default="")
    guest_organization: Mapped[str] = mapped_column(String(200), default="")
    guest_email: Mapped[str] = mapped_column(String(254), default="")  # a guest invited by mail
    rsvp: Mapped[Rsvp] = mapped_column(state_column(Rsvp), default=Rsvp.PENDING)
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[Attendance] = mapped_column(state_column(Attendance), default=Attendance.UNKNOWN)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # self check-in (QR code, guest link)

    meeting: Mapped[Meeting] = relationship(back_populates="participations")
    person: Mapped[Person | None] = relationship()

    @property
    def is_guest(self) -> bool:
        """Someone without an account (a walk-in or a guest invited by mail)."""
        return self.person_id is None

    @property
    def checked_in(self) -> bool:
        """Present by her own check-in, and not corrected since by the minute-taker."""
        return self.checked_in_at is not None and self.attendance == Attendance.PRESENT

    @property
    def stayed_away(self) -> bool:
        """Marked excused or absent."""
        return self.attendance in (Attendance.EXCUSED, Attendance.ABSENT)


class Decision(db.Model):
    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"), index=True)
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    votes_yes: Mapped[int | None]
    votes_no: Mapped[int | None]
    votes_abstain: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="decisions")
    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="decisions")

    @property
    def reference(self) -> str:
        """How minutes cite the decision: "<meeting number or id>/<n>", e.g. "7/3"."""
        return f"{self.meeting.number or self.meeting.id}/{self.number}"
