"""Password reset by mail: the same answer for every address, a link valid for one hour
that works once (it carries a fingerprint of the password hash it replaces)."""
from __future__ import annotations

import hmac

from portal import mail
from portal.audit.record import record
from portal.auth import sessions, throttle
from portal.extensions import db
from portal.links import external_url
from portal.members import tokens
from portal.members.accounts import find_person_by_email, normalize_email, set_password
from portal.members.models import Person
from portal.members.tokens import TokenProblem
from portal.notifications import message
from portal.types import utcnow


def request_reset(email: str, client: str | None) -> None:
    """Mail a reset link if an active account with a password has this address and neither it
    nor the client asked too often (throttle); otherwise do nothing. The caller answers the same
    either way, so that nothing is revealed."""
    if throttle.admit("reset", email, client) is None:
        return
    person = find_person_by_email(email)
    known = person is not None and person.active and person.has_password
    # The mail is written for a stand-in too, so that the answer takes as long either way.
    recipient = person if known else Person(id=0, name="", email=normalize_email(email), locale="de")
    built = message(recipient, "auth_password_reset",
                    link=external_url("auth.reset", token=tokens.reset_token(recipient)))
    if known:
        mail.queue(built)
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
    sessions.end_all(person)
    person.last_login_at = utcnow()
    record(person, "person.password_reset", person)
