"""Pages kept per viewer and data version: a signed-in viewer who asks again for a page while
nothing changed gets the bytes rendered the first time, without the queries and the template.

The key is everything a page depends on: the address, who asks (person and sign-in, so another
browser of the same person renders its own forms' tokens), language, time zone, the minute (what
depends on the time: overdue, a meeting running, a check-in link), and the data version of
`page_changes` — one row per transaction that changed any table but the few below, so a page is
never older than the data it shows. Kept in each worker process's memory, the least recently used
dropped beyond KEPT_PAGES_MB; 0 keeps nothing.

A view is kept only when it answered 200 and left the session as it was; a request with messages
to show (flash) is always rendered.
"""
from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from datetime import datetime

from flask import Flask, Response, current_app, make_response, request, session
from flask_login import current_user
from sqlalchemy.orm import Mapped, mapped_column

from portal.change_log import ChangeLog
from portal.extensions import db
from portal.i18n import current_locale, current_timezone
from portal.types import UTCDateTime, utcnow

# bookkeeping that no kept page shows (besides the change logs): sign-in sessions and attempts
# (the key names the session; a closed one is refused before any page), the search index
IGNORED_TABLES = frozenset({"login_sessions", "auth_attempts", "search_documents"})
EXTENSION = "kept_pages"


class PageChange(db.Model):
    """One transaction that changed what pages show (portal.change_log)."""

    __tablename__ = "page_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


LOG = ChangeLog(PageChange, lambda table, _state: table not in IGNORED_TABLES)
forget_old = LOG.forget_old


class KeptPages:
    """The kept responses of one process (threads share it), least recently used first."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.size = 0
        self._entries: OrderedDict[str, tuple[bytes, list]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, list] | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, body: bytes, headers: list) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self.size += len(body) - (len(old[0]) if old else 0)
            self._entries[key] = (body, headers)
            while self.size > self.max_bytes:
                _, (dropped, _) = self._entries.popitem(last=False)
                self.size -= len(dropped)


def register(app: Flask) -> None:
    megabytes = app.config["KEPT_PAGES_MB"]
    if megabytes > 0:
        app.extensions[EXTENSION] = KeptPages(megabytes * 1024 * 1024)


def kept(view):
    """The view's page, kept for the viewer while nothing changed (see the module's text)."""
    @functools.wraps(view)
    def keeping(*args, **kwargs):
        pages: KeptPages | None = current_app.extensions.get(EXTENSION)
        if (pages is None or request.method != "GET" or not current_user.is_authenticated
                or "_flashes" in session):
            return view(*args, **kwargs)
        key = _key()  # before the view reads anything: a change meanwhile makes a newer version
        entry = pages.get(key)
        if entry is not None:
            return Response(entry[0], 200, entry[1])
        response = make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified and not response.is_streamed:
            headers = [(k, v) for k, v in response.headers.items() if k not in ("Set-Cookie", "Content-Length")]
            pages.put(key, response.get_data(), headers)
        return response
    return keeping


def _key() -> str:
    parts = (request.host, request.full_path, current_user.get_id(), session.get("csrf_token", ""),
             str(current_locale()), str(current_timezone()), utcnow().strftime("%Y-%m-%dT%H:%M"),
             LOG.version())
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()
