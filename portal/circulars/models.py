"""A circular, to whom it was addressed, and who received it."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.meetings.models import Meeting
    from portal.members.models import Person


class Audience(StrEnum):
    ALL_MEMBERS = "all_members"
    GROUPS = "groups"
    INVITEES = "invitees"
    ATTENDEES = "attendees"
    SECTORS = "sectors"


class CircularStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"


class Circular(db.Model):
    __tablename__ = "circulars"
    __table_args__ = (one_of("audience", tuple(Audience)), one_of("status", tuple(CircularStatus)))

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    audience: Mapped[Audience] = mapped_column(state_column(Audience, length=20))
    group_ids: Mapped[list] = mapped_column(JSON, default=list)
    sectors: Mapped[list] = mapped_column(JSON, default=list)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    status: Mapped[CircularStatus] = mapped_column(state_column(CircularStatus), default=CircularStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    recipient_count: Mapped[int] = mapped_column(default=0)

    author: Mapped[Person | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()

    @property
    def is_sent(self) -> bool:
        return self.status == CircularStatus.SENT


class CircularRecipient(db.Model):
    """Who a sent circular went to (their own-data export lists it; they may read it in the portal)."""

    __tablename__ = "circular_recipients"
    __table_args__ = (UniqueConstraint("circular_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    circular_id: Mapped[int] = mapped_column(ForeignKey("circulars.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
