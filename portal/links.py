"""Public addresses of portal pages, for mails, calendars and exports (no request needed)."""
from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import current_app, url_for


def external_url(endpoint: str, _anchor: str | None = None, **values) -> str:
    """PORTAL_BASE_URL plus the page's path, e.g. https://allianz.example.org/meetings/7."""
    path = current_app.url_map.bind("portal").build(endpoint, values)
    anchor = f"#{quote(_anchor)}" if _anchor else ""
    return current_app.config["PORTAL_BASE_URL"] + path + anchor


def safe_next(target: str | None) -> str:
    """`target` if it is a path within the portal itself, else the start page (no open redirect)."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlsplit(target).netloc):
        return target
    return url_for("home.index")
