"""Checking credentials; one answer for every kind of failure, so that nothing is revealed."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit.record import record
from portal.auth.passwords import verify_password
from portal.extensions import db
from portal.members.models import Person
from portal.types import utcnow


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == normalize_email(email)))


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
