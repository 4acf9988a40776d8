"""Rendered PDFs kept per kind of document, request parameters and data version (portal.documents.stored)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow


class StoredStatus(enum.StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


class DocumentKind(enum.StrEnum):
    REPORT = "report"  # a progress report (portal.reports.stored)
    MINUTES = "minutes"  # the minutes of a meeting as they stand (portal.documents.minutes_pdf)


class StoredDocument(db.Model):
    """A rendered PDF of one kind, for one request's parameters and one version of the data it shows."""

    __tablename__ = "stored_documents"
    __table_args__ = (UniqueConstraint("kind", "key", "version"), one_of("status", tuple(StoredStatus)),
                      one_of("kind", tuple(DocumentKind)))

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(state_column(DocumentKind))
    key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(JSON)
    version: Mapped[str] = mapped_column(String(64))
    status: Mapped[StoredStatus] = mapped_column(state_column(StoredStatus), default=StoredStatus.WAITING)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_ready(self) -> bool:
        return self.status == StoredStatus.READY

    @property
    def is_failed(self) -> bool:
        return self.status == StoredStatus.FAILED

    @property
    def is_pending(self) -> bool:
        return self.status in (StoredStatus.WAITING, StoredStatus.RUNNING)
