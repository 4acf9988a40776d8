"""Creating accounts: shared by the CLI, the invitation flow and the demo data."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from portal.audit.record import record
from portal.auth.login import find_person_by_email, normalize_email
from portal.auth.passwords import hash_password
from portal.extensions import db
from portal.members.models import ROLES, Person


class AccountError(ValueError):
    """A request that cannot be carried out; the message is meant for the user."""


def checked_email(email: str) -> str:
    try:
        return validate_email(normalize_email(email), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(f"Ungültige E-Mail-Adresse: {email}") from error


def create_person(name: str, email: str, role: str, actor=None, password: str | None = None,
                  **fields) -> Person:
    if role not in ROLES:
        raise AccountError(f"Unbekannte Rolle: {role} (erlaubt: {', '.join(ROLES)})")
    email = checked_email(email)
    if not name.strip():
        raise AccountError("Der Name fehlt.")
    if find_person_by_email(email) is not None:
        raise AccountError(f"Die E-Mail-Adresse {email} ist bereits vergeben.")
    person = Person(name=name.strip(), email=email, role=role, **fields)
    if password:
        person.password_hash = hash_password(password)
    db.session.add(person)
    db.session.flush()
    record(actor, "person.created", person, {"email": (None, email), "role": (None, role)})
    return person
