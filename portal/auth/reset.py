"""Password reset by mail: the same answer for every address, a link valid for one hour
that works once (it carries a fingerprint of the password hash it replaces)."""
from __future__ import annotations

import hmac

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from portal import mail
from portal.audit.record import record
from portal.auth import throttle
from portal.extensions import db
from portal.links import external_url
from portal.members import tokens
from portal.members.accounts import find_person_by_email, set_password
from portal.members.models import Person
from portal.members.tokens import TokenProblem
from portal.types import utcnow


def request_reset(email: str, client: str | None) -> None:
    """Mail a reset link if an active account with a password has this address and neither it
    nor the client asked too often (throttle); otherwise do nothing. The caller answers the same
    either way, so that nothing is revealed."""
    if throttle.is_blocked("reset", email, client):
        return
    throttle.note_attempt("reset", email, client)
    person = find_person_by_email(email)
    if person is None or not person.active or not person.has_password:
        return
    link = external_url("auth.reset", token=tokens.reset_token(person))
    with force_locale(person.locale or "de"):
        subject = _("Neues Passwort für das Portal der Wirtschaftsallianz")
        text = render_template("auth/mail_reset.txt", person=person, link=link)
    mail.queue(mail.build(person.email, subject, text))
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
