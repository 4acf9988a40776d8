"""Password reset by mail: the same answer for every address, a link valid for one hour
that works once (it carries a fingerprint of the password hash it replaces)."""
from __future__ import annotations

import hmac

from flask_babel import gettext as _

from portal.audit.record import record
from portal.auth import tokens
from portal.auth.login import find_person_by_email
from portal.auth.tokens import TokenProblem
from portal.extensions import db
from portal.members.accounts import set_password
from portal.members.models import Person
from portal.notifications import notify
from portal.types import utcnow
from portal.links import external_url


def request_reset(email: str) -> None:
    """Mail a reset link if an active account with a password has this address; otherwise
    do nothing. The caller answers the same either way."""
    person = find_person_by_email(email)
    if person is None or not person.active or not person.has_password:
        return
    notify(person, "auth_password_reset", link=external_url("auth.reset", token=tokens.reset_token(person)))
    record(None, "person.password_reset_requested", person)


def person_for_reset(token: str) -> Person:
    """The person of a genuine, unexpired, unused reset link, or TokenProblem."""
    person_id, fingerprint = tokens.read_reset_token(token)
    person = db.session.get(Person, person_id)
    if person is None or not person.active:
        raise TokenProblem("invalid")
    if not hmac.compare_digest(fingerprint, person.password_fingerprint):
        raise TokenProblem("used")
    return person


def reset_password(person: Person, password: str) -> None:
    set_password(person, password)
    person.last_login_at = utcnow()
    record(person, "person.password_reset", person)
