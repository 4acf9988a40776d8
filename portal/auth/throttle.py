"""Limits on failed logins and reset requests, per email address and per client address."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from portal.auth.models import AuthAttempt
from portal.extensions import db
from portal.types import utcnow

LIMITS = {
    "login": (10, timedelta(minutes=15)),  # failed logins
    "reset": (5, timedelta(hours=1)),      # reset mails requested
}
KEEP = timedelta(days=1)


def _keys(email: str, client: str | None) -> list[str]:
    return [f"email:{email.strip().lower()}"] + ([f"client:{client}"] if client else [])


def is_blocked(kind: str, email: str, client: str | None) -> bool:
    """True when the email address or the client made too many attempts lately."""
    limit, window = LIMITS[kind]
    counts = db.session.execute(
        select(AuthAttempt.key, func.count(AuthAttempt.id))
        .where(AuthAttempt.kind == kind, AuthAttempt.key.in_(_keys(email, client)),
               AuthAttempt.created_at >= utcnow() - window)
        .group_by(AuthAttempt.key)
    ).all()
    return any(count >= limit for _, count in counts)


def note_attempt(kind: str, email: str, client: str | None) -> None:
    now = utcnow()
    db.session.execute(delete(AuthAttempt).where(AuthAttempt.created_at < now - KEEP))
    db.session.add_all(AuthAttempt(kind=kind, key=key, created_at=now) for key in _keys(email, client))


def forget_failures(email: str) -> None:
    """A successful login clears the failures counted against the address."""
    db.session.execute(delete(AuthAttempt).where(
        AuthAttempt.kind == "login", AuthAttempt.key == _keys(email, None)[0]))
