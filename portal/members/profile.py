"""Changing people: their own profile, the office's edits, deactivation and reactivation.

The view decides which fields a form offers (members change their own contact data and
consent, the office changes organization, email and role); every change lands here and is
written to the audit trail.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from portal.audit.record import apply_changes, record
from portal.database import refused_if_taken
from portal.groups import membership as group_membership
from portal.members.accounts import AccountError, checked_email, email_taken, find_person_by_email
from portal.members.models import ROLES, Organization, Person, Role
from portal.types import utcnow

PHONE_PATTERN = r"^[0-9+()/ .\-]*$"
LOCALES = ("de", "en")
CONSENT_FIELDS = ("show_email", "show_phone")
_UNCHANGED = object()


def check_phone(phone: str) -> str:
    phone = phone.strip()
    if len(phone) > 50 or not re.match(PHONE_PATTERN, phone):
        raise AccountError(_("Telefonnummer: bitte nur Ziffern, Leerzeichen und + ( ) / - . verwenden "
                             "(höchstens 50 Zeichen)."), "phone")
    return phone


def _checked(actor, person: Person, values: dict) -> dict:
    if "name" in values:
        values["name"] = values["name"].strip()
        if not values["name"]:
            raise AccountError(_("Der Name fehlt."), "name")
    if "function" in values:
        values["function"] = values["function"].strip()
    if "phone" in values:
        values["phone"] = check_phone(values["phone"])
    if "email" in values:
        values["email"] = checked_email(values["email"])
        other = find_person_by_email(values["email"])
        if other is not None and other.id != person.id:
            raise email_taken(values["email"])
    if "role" in values:
        if values["role"] not in ROLES:
            raise AccountError(_("Unbekannte Rolle: %(role)s", role=values["role"]), "role")
        if getattr(actor, "id", None) == person.id and values["role"] != person.role:
            raise AccountError(_("Ihre eigene Rolle kann nur eine andere Person der Geschäftsstelle ändern."),
                               "role")
    if "locale" in values and values["locale"] not in LOCALES:
        values["locale"] = None
    return values


def leave_all_groups(actor, person: Person, field: str | None = None) -> None:
    """End the person's group memberships and requests: only active members take part in groups.
    Refused (as AccountError about `field`) if they are the last moderator of a group."""
    try:
        group_membership.end_all(actor, person)
    except group_membership.MembershipError as error:
        raise AccountError(str(error), field) from error


def update_person(actor, person: Person, organization: Organization | None | object = _UNCHANGED,
                  **values) -> dict:
    """Set the given fields (and the organization, if given); returns {field: (before, after)}.

    Switching show_email or show_phone records the time of that choice in consent_changed_at.
    A person whose role changes away from "member" leaves their groups.
    """
    values = _checked(actor, person, values)
    if person.role == Role.MEMBER and values.get("role", Role.MEMBER) != Role.MEMBER:
        leave_all_groups(actor, person, "role")
    with refused_if_taken(email_taken(values.get("email", person.email))):
        changes = apply_changes(person, values)
    if organization is not _UNCHANGED and organization is not person.organization:
        before = person.organization.name if person.organization else None
        person.organization = organization
        changes["organization"] = (before, organization.name if organization else None)
    if any(field in changes for field in CONSENT_FIELDS):
        now = utcnow()
        changes["consent_changed_at"] = (person.consent_changed_at, now)
        person.consent_changed_at = now
    if changes:
        record(actor, "person.updated", person, changes)
    return changes


def deactivate(actor, person: Person) -> None:
    """The person can no longer sign in; their name stays in minutes, groups and history."""
    if getattr(actor, "id", None) == person.id:
        raise AccountError(_("Sie können Ihr eigenes Konto nicht deaktivieren."))
    if not person.active:
        raise AccountError(_("%(name)s ist bereits deaktiviert.", name=person.name))
    leave_all_groups(actor, person)
    person.active = False
    person.left_at = utcnow()
    record(actor, "person.deactivated", person, {"active": (True, False)})


def reactivate(actor, person: Person) -> None:
    if person.active:
        raise AccountError(_("%(name)s ist bereits aktiv.", name=person.name))
    person.active = True
    person.left_at = None
    record(actor, "person.reactivated", person, {"active": (False, True)})
