"""Reading (and, at first use, fixing) the stored values.

The mail domain: PORTAL_MAIL_DOMAIN when it is set; otherwise the domain stored at first use
(by the migration that made the table, or by the first mail or calendar of a new database):
the host of PORTAL_BASE_URL as it was then. Changing PORTAL_BASE_URL later changes neither
Message-IDs nor UIDs, and every meeting keeps the UID it got first (Meeting.ical_uid).

The installation: a random id of this database, fixed by its migration. A backup restored carries
it, a new database has another one (the erasure ledger applies only to its own database).
"""
from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app

from portal.extensions import db
from portal.site_settings.models import SiteSetting

MAIL_DOMAIN = "mail_domain"
INSTALLATION = "installation"


def base_url_host(base_url: str) -> str:
    return urlsplit(base_url).hostname or "portal"


def stored(key: str, first) -> str:
    """The stored value of key; at first use `first()`, added to the session (it is kept with
    the action that first needs it; until then the same value is derived again). Read once per
    session (a calendar asks for every event)."""
    known = db.session.info.setdefault("site_settings", {})
    if key not in known:
        setting = db.session.get(SiteSetting, key)
        if setting is None:
            setting = SiteSetting(key=key, value=first())
            db.session.add(setting)
        known[key] = setting.value
    return known[key]


def mail_domain() -> str:
    configured = (current_app.config.get("PORTAL_MAIL_DOMAIN") or "").strip()
    if configured:
        return configured
    return stored(MAIL_DOMAIN, lambda: base_url_host(current_app.config["PORTAL_BASE_URL"]))


def installation() -> str:
    return stored(INSTALLATION, lambda: secrets.token_hex(16))


def stored_installation() -> str | None:
    """The installation's id if the database has one, without fixing it."""
    setting = db.session.get(SiteSetting, INSTALLATION)
    return setting.value if setting is not None else None
