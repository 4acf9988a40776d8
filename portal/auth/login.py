"""Checking credentials; one answer for every kind of failure, so that nothing is revealed."""
from __future__ import annotations

from portal.audit.record import record
from portal.auth import sessions, throttle
from portal.members.accounts import find_person_by_email
from portal.members.models import Person
from portal.members.passwords import verify_password
from portal.types import utcnow


def authenticate(email: str, password: str) -> Person | None:
    """The person whose active account matches, or None. The password is checked in every case
    (against a stand-in hash for unknown addresses), so the answer takes the same time."""
    person = find_person_by_email(email)
    matches = verify_password(person.password_hash if person else None, password)
    if person is None or not person.active or not matches:
        return None
    person.last_login_at = utcnow()
    record(person, "login", person)
    return person


def sign_in(attempt: throttle.Attempt, email: str, password: str) -> Person | None:
    """authenticate() an attempt the throttle let through; a success clears the failures of its
    address and client and opens a server-side session."""
    person = authenticate(email, password)
    if person is not None:
        throttle.forget_failures(attempt)
        sessions.start(person)
    return person
