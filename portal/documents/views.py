"""Request handlers for documents (minutes PDF): load, authorize, call, send."""
from __future__ import annotations

import hashlib

from flask import Blueprint, abort, redirect, render_template, request, url_for

from portal.documents import minutes_pdf as minutes
from portal.documents.minutes_pdf import pdf_filename, stored_document
from portal.documents.models import StoredDocument
from portal.downloads import download
from portal.extensions import db
from portal.meetings.models import Meeting
from portal.params import parse_int
from portal.permissions import authorize, can
from portal.responses import store

bp = Blueprint("documents", __name__)


@bp.get("/meetings/<int:meeting_id>/minutes.pdf")
def minutes_pdf(meeting_id: int):
    """The archived PDF once the minutes are published (?version=N for an earlier one),
    otherwise the minutes as they stand: stored per version of what they print, rendered now
    when small, else by the job worker (a page shows its progress)."""
    meeting = db.get_or_404(Meeting, meeting_id)
    authorize("minutes.view", meeting)
    version = request.args.get("version")
    if version is not None and parse_int(version) is None:
        abort(404)
    document = stored_document(meeting, parse_int(version) if version else None)
    if document is None and version is not None:
        abort(404)
    if document is not None and not can("minutes.archived_original", meeting):
        document = None  # names an erased person: the minutes as they stand, with the pseudonym (portal.privacy)
    if document is None:
        return _live(meeting)
    return _pdf(document.pdf, pdf_filename(meeting, document.version), document.sha256, "private, no-cache")


def _live(meeting: Meeting):
    live = minutes.live_minutes(meeting)
    kept = minutes.find_live(live)
    if kept is not None and kept.is_ready:
        return _stored_pdf(meeting, kept)
    if kept is None and live.is_small:
        pdf = live.render()
        return store(lambda: minutes.keep_live(live, pdf), lambda done: _stored_pdf(meeting, done))
    if kept is None:
        return store(lambda: minutes.request_live(live), lambda waiting: redirect(
            url_for("documents.stored_minutes", meeting_id=meeting.id, stored_id=waiting.id)))
    return redirect(url_for("documents.stored_minutes", meeting_id=meeting.id, stored_id=kept.id))


def _stored_pdf(meeting: Meeting, kept: StoredDocument):
    """Minutes as they stood (a draft, perhaps): kept out of the browser's cache, like every download."""
    return _pdf(kept.pdf, pdf_filename(meeting), hashlib.sha256(kept.pdf).hexdigest(), "private, no-store")


def _pdf(pdf: bytes, filename: str, sha256: str, cache: str):
    response = download(pdf, filename, "application/pdf", inline=True, cache=cache)
    response.headers["X-Content-SHA256"] = sha256
    response.set_etag(sha256)
    return response.make_conditional(request)


@bp.get("/meetings/<int:meeting_id>/minutes/pdf/<int:stored_id>")
def stored_minutes(meeting_id: int, stored_id: int):
    """Minutes the worker renders: its progress (the page reloads itself), then the download."""
    meeting = db.get_or_404(Meeting, meeting_id)
    authorize("minutes.view", meeting)
    kept = minutes.stored_of(meeting, stored_id) or abort(404)
    if kept.is_ready and request.args.get("download"):
        return _stored_pdf(meeting, kept)
    return render_template("documents/stored.html", stored=kept, meeting=meeting)
