"""Attempts at signing in and at resetting a password, counted to slow down guessing; and the
sessions of signed-in people."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow


class AttemptKind(enum.StrEnum):
    LOGIN = "login"
    RESET = "reset"


ATTEMPT_KINDS = tuple(AttemptKind)


class AuthAttempt(db.Model):
    """Kept in the database (not in the process), so that every app server sees the same counts."""

    __tablename__ = "auth_attempts"
    __table_args__ = (one_of("kind", ATTEMPT_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AttemptKind] = mapped_column(state_column(AttemptKind, length=10))
    key: Mapped[str] = mapped_column(String(300), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class LoginSession(db.Model):
    """One row per sign-in: the session and remember cookies name it, logout deletes it, so a
    cookie copied before logout opens nothing afterwards."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
