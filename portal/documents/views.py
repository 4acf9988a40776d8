"""Request handlers for documents (minutes PDF): load, authorize, call, send."""
from __future__ import annotations

from flask import Blueprint, abort, request

from portal.documents.minutes_pdf import pdf_filename, render_minutes_pdf, stored_document
from portal.downloads import download
from portal.extensions import db
from portal.meetings.models import Meeting
from portal.params import parse_int
from portal.permissions import authorize, can

bp = Blueprint("documents", __name__)


@bp.get("/meetings/<int:meeting_id>/minutes.pdf")
def minutes_pdf(meeting_id: int):
    """The archived PDF once the minutes are published (?version=N for an earlier one),
    otherwise the minutes as they stand, rendered now."""
    meeting = db.get_or_404(Meeting, meeting_id)
    authorize("minutes.view", meeting)
    version = request.args.get("version")
    if version is not None and parse_int(version) is None:
        abort(404)
    document = stored_document(meeting, parse_int(version) if version else None)
    if document is None and version is not None:
        abort(404)
    if document is not None and not can("minutes.archived_original", meeting):
        document = None  # names an erased person: rendered now, with the pseudonym (portal.privacy)
    if document is None:
        return download(render_minutes_pdf(meeting), pdf_filename(meeting), "application/pdf", inline=True)
    response = download(document.pdf, pdf_filename(meeting, document.version), "application/pdf",
                        inline=True, cache="private, no-cache")
    response.headers["X-Content-SHA256"] = document.sha256
    response.set_etag(document.sha256)
    return response.make_conditional(request)
