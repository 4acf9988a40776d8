"""Public addresses of portal pages, for mails, calendars and exports (no request needed)."""
from __future__ import annotations

from urllib.parse import quote

from flask import current_app


def external_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """PORTAL_BASE_URL plus the page's path, e.g. https://allianz.example.org/meetings/7."""
    path = current_app.url_map.bind("portal").build(endpoint, values)
    anchor = f"#{quote(_anchor)}" if _anchor else ""
    return current_app.config["PORTAL_BASE_URL"] + path + anchor
