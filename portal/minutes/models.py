"""The minutes' own tables: review comments, revisions of the text, amendments and the archived
PDFs. The minutes' state lives on the meeting (portal.meetings.models.Meeting.minutes_status)."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.members.models import Person



class CommentStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    ADOPTED = "adopted"


COMMENT_STATUSES = tuple(CommentStatus)


class MinutesComment(db.Model):
    __tablename__ = "minutes_comments"
    __table_args__ = (one_of("status", COMMENT_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[CommentStatus] = mapped_column(state_column(CommentStatus), default=CommentStatus.OPEN)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[Person | None] = relationship(foreign_keys=[author_id])
    replied_by: Mapped[Person | None] = relationship(foreign_keys=[replied_by_id])

    @property
    def is_open(self) -> bool:
        return self.status == CommentStatus.OPEN

    @property
    def is_adopted(self) -> bool:
        return self.status == CommentStatus.ADOPTED


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
