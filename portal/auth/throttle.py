"""Limits on failed logins and reset requests.

Failed logins count per address *and* client (one client cannot guess one address's password,
yet an attacker elsewhere cannot lock the owner out) and per client (one client cannot try many
addresses). Reset mails count per address and per client.

An attempt is recorded before the password is checked, in a short transaction of its own that
commits at once and holds a lock on its keys while it counts: however many requests arrive at
the same moment, no more than the limit get through to the password check.
"""
from __future__ import annotations

import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import Engine, delete, func, insert, select

from portal.auth.models import AuthAttempt
from portal.extensions import db
from portal.types import utcnow

LIMITS = {
    "login": (10, timedelta(minutes=15)),  # failed logins
    "reset": (5, timedelta(hours=1)),      # reset mails requested
}
KEEP = timedelta(days=1)
KEY_LENGTH = 300  # the column's


@dataclass
class Attempt:
    """An attempt let through: the keys it counts under and the rows that record it."""
    kind: str
    keys: list[str]
    ids: list[int] = field(default_factory=list)


def _key(name: str, value: str) -> str:
    key = f"{name}:{value}"
    return key if len(key) <= KEY_LENGTH else f"{name}:sha256:{hashlib.sha256(value.encode()).hexdigest()}"


def _keys(kind: str, email: str, client: str | None) -> list[str]:
    email = email.strip().lower()
    client_keys = [_key("client", client)] if client else []
    if kind == "login":
        return [_key("pair", f"{client or '-'} {email}")] + client_keys
    return [_key("email", email)] + client_keys


@contextmanager
def _own_transaction():
    """A connection in a transaction of its own that commits when the block ends, whatever the
    request's session does later. Where the session is bound to one connection (the tests'
    rolled-back transaction), a savepoint on it stands in."""
    bind = db.session.get_bind()
    if isinstance(bind, Engine):
        if bind.dialect.name == "sqlite":
            # The request's read transaction (loading the user) holds a shared lock that would
            # keep this commit waiting on its own request; nothing is written before admit().
            db.session.rollback()
        with bind.begin() as connection:
            yield connection
    else:
        with bind.begin_nested():
            yield bind


def _lock(connection, keys: list[str]) -> None:
    """Serialize the attempts on the same keys. SQLite: the DELETE that follows takes the
    database's write lock. PostgreSQL: an advisory lock per key, until the commit."""
    if connection.dialect.name != "postgresql":
        return
    for lock_id in sorted(int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True)
                          for k in keys):
        connection.execute(select(func.pg_advisory_xact_lock(lock_id)))


def admit(kind: str, email: str, client: str | None) -> Attempt | None:
    """Record an attempt and return it, or None (nothing recorded) when one of its keys has
    reached the limit. Call it before the request writes anything."""
    limit, window = LIMITS[kind]
    keys = _keys(kind, email, client)
    now = utcnow()
    with _own_transaction() as connection:
        _lock(connection, keys)
        connection.execute(delete(AuthAttempt).where(AuthAttempt.created_at < now - KEEP))
        counts = connection.execute(
            select(func.count(AuthAttempt.id))
            .where(AuthAttempt.kind == kind, AuthAttempt.key.in_(keys),
                   AuthAttempt.created_at >= now - window)
            .group_by(AuthAttempt.key)
        ).scalars().all()
        if any(count >= limit for count in counts):
            return None
        attempt = Attempt(kind, keys)
        for key in keys:
            result = connection.execute(insert(AuthAttempt).values(kind=kind, key=key, created_at=now))
            attempt.ids.append(result.inserted_primary_key[0])
    return attempt


def forget_failures(attempt: Attempt) -> None:
    """A successful login is no failure, and clears the failures of its address and client."""
    db.session.execute(delete(AuthAttempt).where(
        AuthAttempt.kind == attempt.kind,
        AuthAttempt.id.in_(attempt.ids) | (AuthAttempt.key == attempt.keys[0])))
