"""Invitations: the office invites a person, who sets a password through a signed link.

A link is valid for 14 days and works once: accepting clears the nonce, resending replaces
it (the older link stops working), revoking clears it and deactivates the account.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.audit.record import record
from portal.extensions import db
from portal.links import external_url
from portal.members import tokens
from portal.members.accounts import AccountError, create_person, set_password
from portal.members.models import Organization, Person
from portal.members.profile import leave_all_groups
from portal.members.tokens import TokenProblem
from portal.notifications import notify
from portal.privacy_notice import notices
from portal.types import utcnow


def invite(actor, *, name: str, email: str, role: str, organization: Organization | None = None
           ) -> Person:
    """Create the account (without password) and send the invitation mail."""
    person = create_person(name, email, role, actor=actor, organization=organization)
    send_invitation(actor, person)
    return person


def send_invitation(actor, person: Person) -> str:
    """Send (or send again) the invitation; an older link of this person stops working."""
    if not person.active:
        raise AccountError(_("Das Konto ist deaktiviert; reaktivieren Sie es zuerst."))
    if person.has_password:
        raise AccountError(_("%(name)s hat das Konto bereits eingerichtet.", name=person.name))
    again = person.invitation_nonce is not None
    person.invitation_nonce = secrets.token_urlsafe(16)
    person.invited_at = utcnow()
    person.invited_by_id = getattr(actor, "id", None)
    db.session.flush()
    token = tokens.invitation_token(person)
    notify(person, "members_invitation", inviter=actor, link=external_url("auth.invite", token=token),
           valid_until=expires_at(person))
    record(actor, "person.invitation_resent" if again else "person.invited", person,
           {"invited_at": (None, person.invited_at)})
    return token


def revoke_invitation(actor, person: Person) -> None:
    if not person.invitation_pending:
        raise AccountError(_("Für %(name)s ist keine Einladung offen.", name=person.name))
    leave_all_groups(actor, person)
    person.invitation_nonce = None
    person.active = False
    person.left_at = utcnow()
    record(actor, "person.invitation_revoked", person, {"active": (True, False)})


def expires_at(person: Person) -> datetime | None:
    return person.invited_at + tokens.INVITATION_MAX_AGE if person.invited_at else None


def pending_invitations() -> list[Person]:
    return list(db.session.scalars(
        select(Person)
        .options(joinedload(Person.organization))
        .where(Person.invitation_nonce.is_not(None), Person.password_hash.is_(None),
               Person.active.is_(True))
        .order_by(Person.invited_at.desc())
    ))


def person_for_invitation(token: str) -> Person:
    """The invited person, or TokenProblem("expired" | "used" | "invalid")."""
    person_id, nonce = tokens.read_invitation_token(token)
    person = db.session.get(Person, person_id)
    if person is None:
        raise TokenProblem("invalid")
    if person.has_password:
        raise TokenProblem("used")
    if not person.active or person.invitation_nonce is None or person.invitation_nonce != nonce:
        raise TokenProblem("replaced")
    return person


def accept_invitation(person: Person, password: str) -> None:
    """The invited person sets a password and accepts the privacy notice."""
    set_password(person, password)
    now = utcnow()
    person.invitation_nonce = None
    person.privacy_accepted_at = now
    person.last_login_at = now
    record(person, "person.invitation_accepted", person, {"privacy_accepted_at": (None, now)})
    shown = notices.current()  # the version the invitation page showed
    if shown is not None:
        notices.accept(person, shown.version)
