"""Attempts at signing in and at resetting a password, counted to slow down guessing."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.types import UTCDateTime, one_of, utcnow

ATTEMPT_KINDS = ("login", "reset")


class AuthAttempt(db.Model):
    """Kept in the database (not in the process), so that every app server sees the same counts."""

    __tablename__ = "auth_attempts"
    __table_args__ = (one_of("kind", ATTEMPT_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
