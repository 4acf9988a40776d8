"""The dashboard's cache (portal.reports.dashboard_cache) and the change log it is checked against
(portal.reports.changes)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.types import UTCDateTime, utcnow


class DataChange(db.Model):
    """One transaction that changed what reports show: a row of its own per transaction (never an
    update of a shared row, so concurrent writers do not wait for each other). Only the newest rows
    are kept; the newest id and how many rows are near it are the data version."""

    __tablename__ = "data_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DashboardEntry(db.Model):
    """The rendered parts of one dashboard (period, group, phase, language) for one data version."""

    __tablename__ = "dashboard_entries"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    params: Mapped[dict] = mapped_column(JSON)
    version: Mapped[str] = mapped_column(String(64))
    parts: Mapped[dict] = mapped_column(JSON)  # {"reader": {part: html}, "writer": {...}}
    build_ms: Mapped[int] = mapped_column(default=0)  # how long building it took
    built_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    refresh_asked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a job builds a newer one
