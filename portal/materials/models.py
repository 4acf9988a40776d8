"""A material's metadata, its versions, and the bytes of each version in a table of their own:
list pages load the metadata and never the bytes."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.actions.models import ActionItem
    from portal.meetings.models import AgendaItem, Meeting
    from portal.members.models import Person


class Material(db.Model):
    """A file (its versions) or a link on a meeting, on one of its agenda items, or on an action
    item (then `meeting_id` is empty). `internal`: seen only by those who may manage the meeting
    (the action item)."""
    __tablename__ = "materials"
    __table_args__ = (CheckConstraint("(meeting_id IS NULL) <> (action_item_id IS NULL)", name="one_home"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"),
                                                       index=True)
    action_item_id: Mapped[int | None] = mapped_column(ForeignKey("action_items.id", ondelete="CASCADE"),
                                                       index=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(2000))
    internal: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    action_item: Mapped[ActionItem | None] = relationship()
    created_by: Mapped[Person | None] = relationship()
    versions: Mapped[list[MaterialVersion]] = relationship(
        back_populates="material", order_by="MaterialVersion.number.desc()", cascade="all, delete-orphan")

    @property
    def is_link(self) -> bool:
        return self.url is not None

    @property
    def current(self) -> MaterialVersion | None:
        return self.versions[0] if self.versions else None


class MaterialVersion(db.Model):
    __tablename__ = "material_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    material: Mapped[Material] = relationship(back_populates="versions")
    uploaded_by: Mapped[Person | None] = relationship()


class MaterialBlob(db.Model):
    """The bytes of one version, loaded only for its download."""
    __tablename__ = "material_blobs"

    version_id: Mapped[int] = mapped_column(ForeignKey("material_versions.id", ondelete="CASCADE"),
                                            primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
