"""PDFs kept per data version, and rendered by the job queue when they are large: the machinery
every stored document shares (progress reports: portal.reports.stored; minutes:
portal.documents.minutes_pdf).

A PDF is stored with its kind, the request's parameters and a version of the data it shows: the
same document asked again is served from the table without rendering, until the data changes.
A small document is rendered in the request and kept; a larger one becomes a job (`<kind>_pdf`)
that the worker renders in a child process with a memory and a time limit
(portal.documents.limited), while a page shows its progress. A document too large for the limits
fails with a message that the page shows, not with a killed worker. Only the newest finished
version of each document is kept.

Plain functions; they add to the session and never commit (the worker's handler commits).
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from portal.database import writing
from portal.documents.limited import DocumentTooLarge, render_limited
from portal.documents.models import DocumentKind, StoredDocument, StoredStatus
from portal.documents.render import Printable
from portal.extensions import db
from portal.jobs.queue import Failure, enqueue
from portal.types import utcnow


@dataclass(frozen=True)
class Source:
    """What the worker needs from the area of one kind of document."""

    kind: DocumentKind
    build: Callable[[dict], Printable | None]  # params -> the document in the params' locale; None: gone
    too_large: Callable[[str], str]  # the limit that was hit -> the message the page shows

    @property
    def job_kind(self) -> str:
        return job_kind(self.kind)


def job_kind(kind: DocumentKind) -> str:
    return f"{kind}_pdf"


def locale_of(params: dict) -> str:
    return params.get("locale", "de")


def _key(params: dict) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


ROOT = Path(__file__).resolve().parents[2]


def version_of(*parts) -> str:
    """A data version from whatever identifies the data (aggregates, the document's HTML) and the
    portal's own code and templates: after an update documents are printed the new way, not
    served as the old code printed them."""
    return hashlib.sha256(repr((software_fingerprint(ROOT), parts)).encode()).hexdigest()


@functools.cache
def software_fingerprint(root: Path) -> str:
    """A digest of the Python code under portal/ and of everything under templates/ (read once
    per process)."""
    digest = hashlib.sha256()
    for folder, pattern in (("portal", "*.py"), ("templates", "*")):
        for path in sorted(p for p in (root / folder).rglob(pattern) if p.is_file()):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def find(kind: DocumentKind, params: dict, version: str) -> StoredDocument | None:
    return db.session.scalar(select(StoredDocument).where(
        StoredDocument.kind == kind, StoredDocument.key == _key(params), StoredDocument.version == version))


def of_kind(kind: DocumentKind, stored_id: int) -> StoredDocument | None:
    stored = db.session.get(StoredDocument, stored_id)
    return stored if stored is not None and stored.kind == kind else None


def keep(kind: DocumentKind, params: dict, version: str, pdf: bytes) -> StoredDocument:
    """A document rendered in the request, stored ready; older versions of it are forgotten."""
    stored, new = _insert(StoredDocument(kind=kind, key=_key(params), params=params, version=version,
                                         status=StoredStatus.READY, pdf=pdf, finished_at=utcnow()))
    if new:
        _forget_older(stored)
    return stored


def request(kind: DocumentKind, params: dict, version: str) -> StoredDocument:
    """A waiting document and its job, in the caller's transaction."""
    stored, new = _insert(StoredDocument(kind=kind, key=_key(params), params=params, version=version,
                                         status=StoredStatus.WAITING))
    if new:
        enqueue(job_kind(kind), json.dumps({"stored_id": stored.id}).encode())
    return stored


def _insert(stored: StoredDocument) -> tuple[StoredDocument, bool]:
    """The document added, or the same one that a request at the same time stored first (and False)."""
    try:
        with db.session.begin_nested():
            db.session.add(stored)
    except IntegrityError:
        return find(stored.kind, stored.params, stored.version), False
    return stored, True


def _forget_older(stored: StoredDocument) -> None:
    """Finished versions of the same document other than this one (a waiting one has a job)."""
    db.session.execute(delete(StoredDocument).where(
        StoredDocument.kind == stored.kind, StoredDocument.key == stored.key, StoredDocument.id != stored.id,
        StoredDocument.status.in_((StoredStatus.READY, StoredStatus.FAILED))))


def work(source: Source, payloads: list[bytes], config) -> list[Failure | None]:
    """The job handler of one kind: render each waiting document in a limited child process and keep it."""
    results: list[Failure | None] = []
    for payload in payloads:
        stored = db.session.get(StoredDocument, json.loads(payload)["stored_id"])
        if stored is not None and stored.is_pending:  # RUNNING: a worker died while rendering it
            _render(source, stored, config)
            db.session.commit()
        results.append(None)
    return results


def _render(source: Source, stored: StoredDocument, config) -> None:
    stored.status = StoredStatus.RUNNING
    db.session.commit()
    locale = locale_of(stored.params)
    # a request context for the templates' URLs; its transactions still take the write lock
    # first, as all work outside requests does (portal.database.writing)
    with current_app.test_request_context(base_url=config["PORTAL_BASE_URL"]), force_locale(locale), writing():
        built = source.build(stored.params)
        if built is None:
            stored.status = StoredStatus.FAILED
            stored.error = _("Was dieses Dokument zeigen sollte, gibt es nicht mehr.")
        else:
            try:
                stored.pdf = render_limited(built, locale, memory_mb=config["DOCUMENT_MEMORY_MB"],
                                            timeout_s=config["DOCUMENT_TIMEOUT_S"])
                stored.status = StoredStatus.READY
            except DocumentTooLarge as error:
                stored.status = StoredStatus.FAILED
                stored.error = source.too_large(str(error))
    stored.finished_at = utcnow()
    db.session.flush()
    if stored.is_ready:
        _forget_older(stored)
