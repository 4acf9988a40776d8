"""Meetings with their agenda, participants, decisions and minutes."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, utcnow

if TYPE_CHECKING:
    from portal.groups.models import WorkingGroup
    from portal.members.models import Person

MEETING_KINDS = ("plenary", "group")
MEETING_STATUSES = ("planned", "held", "cancelled")
MINUTES_STATUSES = ("none", "draft", "in_review", "approved", "published")
AGENDA_KINDS = ("information", "discussion", "decision", "minutes_approval", "open_actions")
RSVPS = ("pending", "accepted", "declined", "tentative")
ATTENDANCES = ("unknown", "present", "excused", "absent")
COMMENT_STATUSES = ("open", "answered", "adopted")
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
    kind: Mapped[str] = mapped_column(String(20), default="group")
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
    status: Mapped[str] = mapped_column(String(20), default="planned")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    ical_sequence: Mapped[int] = mapped_column(default=0)
    minutes_status: Mapped[str] = mapped_column(String(20), default="none")
    # Optimistic lock of the minutes: an editor saves against the version they started from.
    minutes_version: Mapped[int] = mapped_column(default=0)
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
    kind: Mapped[str] = mapped_column(String(20), default="information")
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


class Participation(db.Model):
    """An invitee (a person) or a guest (name and organization) of a meeting."""

    __tablename__ = "participations"
    __table_args__ = (
        one_of("rsvp", RSVPS),
        one_of("attendance", ATTENDANCES),
        UniqueConstraint("meeting_id", "person_id"),
        CheckConstraint("person_id IS NOT NULL OR guest_name <> ''", name="person_or_guest"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    guest_name: Mapped[str] = mapped_column(String(200), default="")
    guest_organization: Mapped[str] = mapped_column(String(200), default="")
    rsvp: Mapped[str] = mapped_column(String(20), default="pending")
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attendance: Mapped[str] = mapped_column(String(20), default="unknown")
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="participations")
    person: Mapped[Person | None] = relationship()


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


class MinutesComment(db.Model):
    __tablename__ = "minutes_comments"
    __table_args__ = (one_of("status", COMMENT_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    replied_by: Mapped[Person | None] = relationship(foreign_keys=[replied_by_id])


class MinutesRevision(db.Model):
    """An append-only snapshot of the minutes, written with every save."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    version: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content: Mapped[dict] = mapped_column(db.JSON, default=dict)

    author: Mapped[Person | None] = relationship()


class MinutesAmendment(db.Model):
    """A dated, signed-off correction of published minutes."""

    __tablename__ = "minutes_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    signed_off_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    signed_off_by: Mapped[Person | None] = relationship(foreign_keys=[signed_off_by_id])


class MinutesDocument(db.Model):
    """An archived minutes PDF, rendered once on publication (and per amendment), served unchanged."""

    __tablename__ = "minutes_documents"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    version: Mapped[int]
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("minutes_amendments.id"))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
