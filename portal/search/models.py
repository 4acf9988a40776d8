"""One row per searchable thing, with its text as index terms (the engines index `terms`)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.types import UTCDateTime

# created by the migration for the database at hand, not by the models: SQLite's FTS5 table (and
# its shadow tables) and PostgreSQL's generated tsvector column
ENGINE_TABLES = ("search_fts",)
ENGINE_COLUMNS = ("search_vector",)
ENGINE_INDEXES = ("ix_search_documents_search_vector",)


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "object_id"), Index("ix_search_documents_meeting", "meeting_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    object_id: Mapped[int]
    path: Mapped[str] = mapped_column(String(300))  # the page the hit opens
    title: Mapped[str] = mapped_column(String(300))  # as the user wrote it
    context: Mapped[str] = mapped_column(String(400), default="")  # e.g. the meeting's title
    reference: Mapped[str] = mapped_column(String(40), default="")  # e.g. "7/3", a TOP's number
    body: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text, default="")
    group_id: Mapped[int | None]
    year: Mapped[int | None]
    meeting_id: Mapped[int | None]
    # only for those who may read the minutes of `meeting_id` (draft and in-review minutes)
    restricted: Mapped[bool] = mapped_column(default=False)
    dated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def compared(obj, name: str, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic's include_object: leave out what the migration made for one engine only."""
    if type_ == "table":
        return not name.startswith(ENGINE_TABLES)
    return not ((type_ == "column" and name in ENGINE_COLUMNS) or (type_ == "index" and name in ENGINE_INDEXES))
