"""Accounts and their credentials: finding a person by address, creating accounts, setting
passwords. The members area owns them (with tokens.py, passwords.py and invitations.py); the auth
area signs people in and out with them. Shared by the CLI, invitations, resets, the CSV import and
the demo data."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select

from portal.audit.record import record
from portal.database import refused_if_taken
from portal.errors import RuleError
from portal.extensions import db
from portal.members.models import ROLES, Person
from portal.members.passwords import MIN_LENGTH, hash_password


class AccountError(RuleError):
    """A request that cannot be carried out; the message is meant for the user, `field` names
    the form field it is about (if any)."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(Person.email == normalize_email(email)))


def checked_email(email: str) -> str:
    try:
        return validate_email(normalize_email(email), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AccountError(_("Ungültige E-Mail-Adresse: %(email)s", email=email), "email") from error


def email_taken(email: str) -> AccountError:
    return AccountError(_("Die E-Mail-Adresse %(email)s ist bereits vergeben.", email=email), "email")


def create_person(name: str, email: str, role: str, actor=None, password: str | None = None,
                  **fields) -> Person:
    if role not in ROLES:
        raise AccountError(_("Unbekannte Rolle: %(role)s (erlaubt: %(roles)s)", role=role,
                             roles=", ".join(ROLES)), "role")
    email = checked_email(email)
    if not name.strip():
        raise AccountError(_("Der Name fehlt."), "name")
    if find_person_by_email(email) is not None:
        raise email_taken(email)
    person = Person(name=name.strip(), email=email, role=role, **fields)
    if password is not None:
        set_password(person, password)
    with refused_if_taken(email_taken(email)):
        db.session.add(person)
    record(actor, "person.created", person, {"email": (None, email), "role": (None, role)})
    return person


def set_password(person: Person, password: str) -> None:
    """Give the person a new password (which also ends every reset link sent before)."""
    if len(password or "") < MIN_LENGTH:
        raise AccountError(_("Das Passwort muss mindestens %(n)s Zeichen haben.", n=MIN_LENGTH), "password")
    person.password_hash = hash_password(password)
