"""Data protection: the members' own-data downloads and the record of erasures."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.members.models import Person
from portal.types import UTCDateTime, one_of, state_column, utcnow


class ExportStatus(StrEnum):
    WAITING = "waiting"
    READY = "ready"


EXPORT_STATUSES = tuple(ExportStatus)


class DataExport(db.Model):
    """A ZIP of one person's data (Art. 15/20), built by the job queue, offered for
    PRIVACY_EXPORT_DAYS and then deleted by `privacy purge` (or the next request)."""

    __tablename__ = "data_exports"
    __table_args__ = (one_of("status", EXPORT_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    status: Mapped[ExportStatus] = mapped_column(state_column(ExportStatus, length=10),
                                                 default=ExportStatus.WAITING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])

    @property
    def is_ready(self) -> bool:
        return self.status == ExportStatus.READY and self.content is not None


class ErasureRecord(db.Model):
    """That a person was erased (Art. 17): by id only, no foreign key and nothing about the person,
    so that it survives the erasure itself and a restore can apply it again
    (portal.privacy.erasure.reapply_erasures)."""

    __tablename__ = "erasure_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(unique=True)
    erased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    erased_by_id: Mapped[int | None]
    pseudonym: Mapped[str] = mapped_column(String(200))


def names_erased_person(meeting) -> bool:
    """Whether a person named by the meeting (register, organizer, moderation, minutes) has been
    erased: its archived minutes PDF then still shows the former name (Art. 17(3)), and only the
    office gets that original; everyone else gets the minutes rendered now, with the pseudonym.
    One query, without loading the register (a plenary has thousands of rows)."""
    from portal.meetings.models import Participation

    named = [i for i in (meeting.organizer_id, meeting.moderator_id, meeting.minute_taker_id) if i is not None]
    registered = select(Participation.person_id).where(Participation.meeting_id == meeting.id,
                                                      Participation.person_id.is_not(None))
    condition = ErasureRecord.person_id.in_(registered)
    if named:
        condition = condition | ErasureRecord.person_id.in_(named)
    return db.session.scalar(select(ErasureRecord.id).where(condition).limit(1)) is not None
