"""Sessions kept on the server: a sign-in opens a row, logout deletes it.

The session cookie and the "angemeldet bleiben" cookie carry "person id:password fingerprint:token";
a cookie is honoured only while its row exists and the password is unchanged. So logging out ends
the session everywhere, even for a copy of the cookie, and a new password ends every session.
"""
from __future__ import annotations

import functools
import hmac
import secrets
from datetime import timedelta

from sqlalchemy import bindparam, delete, select

from portal.auth.models import LoginSession
from portal.extensions import db
from portal.members.models import Person
from portal.params import parse_int
from portal.types import utcnow

MAX_AGE = timedelta(days=30)  # as REMEMBER_COOKIE_DURATION in config.py


def start(person: Person) -> None:
    """Open a session for `person`; from now on `person.get_id()` names it. The caller commits."""
    db.session.execute(delete(LoginSession).where(LoginSession.created_at < utcnow() - MAX_AGE))
    person.login_token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token=person.login_token, person_id=person.id))
    db.session.flush()


def end(person: Person) -> None:
    """End the session `person` is signed in with (logout)."""
    if person.login_token:
        db.session.execute(delete(LoginSession).where(LoginSession.token == person.login_token))


def end_all(person: Person) -> None:
    """End every session of `person` (a new password)."""
    db.session.execute(delete(LoginSession).where(LoginSession.person_id == person.id))


@functools.cache
def _open_session_person():
    """The statement of signed_in_person, built once: it runs on every request, and building a
    statement costs SQLAlchemy more than running it (the values are bound at execution)."""
    return (select(Person).join(LoginSession, LoginSession.person_id == Person.id)
            .where(Person.id == bindparam("person_id"), LoginSession.token == bindparam("token"),
                   LoginSession.created_at >= bindparam("since")))


def signed_in_person(session_id: str) -> Person | None:
    """The person a session or remember cookie names, while the session is open, the account
    active and the password unchanged."""
    person_id, _, rest = session_id.partition(":")
    fingerprint, _, token = rest.partition(":")
    if parse_int(person_id) is None or not token:
        return None
    person = db.session.scalar(_open_session_person(), {
        "person_id": parse_int(person_id), "token": token, "since": utcnow() - MAX_AGE})
    if person is None or not person.active or not hmac.compare_digest(fingerprint, person.password_fingerprint):
        return None
    person.login_token = token
    return person
