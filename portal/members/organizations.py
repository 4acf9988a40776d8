"""Organizations: finding them by name, creating and editing them (with audit events)."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit.record import apply_changes, record
from portal.database import refused_if_taken
from portal.extensions import db
from portal.members.accounts import AccountError
from portal.members.models import SECTORS, Organization


def find_organization(name: str) -> Organization | None:
    """The organization with this name, ignoring case and surrounding spaces."""
    return db.session.scalar(
        select(Organization).where(func.lower(Organization.name) == name.strip().lower())
    )


def _taken(name: str, field: str) -> AccountError:
    return AccountError(_("Die Organisation „%(name)s“ gibt es bereits.", name=name), field)


def create_organization(actor, name: str, sector: str = "Sonstige") -> Organization:
    name = name.strip()
    if not name:
        raise AccountError(_("Der Name der Organisation fehlt."), "new_organization")
    if sector not in SECTORS:
        raise AccountError(_("Unbekannte Branche: %(sector)s", sector=sector), "new_organization")
    if find_organization(name) is not None:
        raise _taken(name, "new_organization")
    organization = Organization(name=name, sector=sector)
    with refused_if_taken(_taken(name, "new_organization")):
        db.session.add(organization)
    record(actor, "organization.created", organization,
           {"name": (None, name), "sector": (None, sector)})
    return organization


def organization_for(actor, existing: Organization | None, new_name: str, new_sector: str
                     ) -> Organization | None:
    """The organization a form asked for: the chosen one, or one named in the "new" field
    (an existing organization of that name is used instead of a duplicate)."""
    if not new_name.strip():
        return existing
    return find_organization(new_name) or create_organization(actor, new_name, new_sector)


def update_organization(actor, organization: Organization, **values) -> dict:
    if "name" in values:
        values["name"] = values["name"].strip()
        if not values["name"]:
            raise AccountError(_("Der Name der Organisation fehlt."), "name")
        other = find_organization(values["name"])
        if other is not None and other.id != organization.id:
            raise _taken(values["name"], "name")
    if "sector" in values and values["sector"] not in SECTORS:
        raise AccountError(_("Unbekannte Branche: %(sector)s", sector=values["sector"]), "sector")
    with refused_if_taken(_taken(values.get("name", organization.name), "name")):
        changes = apply_changes(organization, values)
    if changes:
        record(actor, "organization.updated", organization, changes)
    return changes
