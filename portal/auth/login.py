"""Checking credentials; one answer for every kind of failure, so that nothing is revealed."""
from __future__ import annotations

from portal.audit.record import record
from portal.auth import throttle
from portal.members.accounts import find_person_by_email
from portal.members.models import Person
from portal.members.passwords import verify_password
from portal.types import utcnow


def authenticate(email: str, password: str) -> Person | None:
    """The person whose active account matches, or None."""
    person = find_person_by_email(email)
    if person is None or not person.active or not verify_password(person.password_hash, password):
        return None
    person.last_login_at = utcnow()
    record(person, "login", person)
    return person


def sign_in(email: str, password: str, client: str | None) -> Person | None:
    """authenticate(); a failure counts against the address and the client (see throttle)."""
    person = authenticate(email, password)
    if person is None:
        throttle.note_attempt("login", email, client)
    else:
        throttle.forget_failures(email)
    return person
