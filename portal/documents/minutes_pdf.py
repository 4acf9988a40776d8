"""The minutes of a meeting as a PDF: rendered live while the minutes are being written,
rendered once and archived (bytes + SHA-256) on publication and on every amendment.

Plain functions; they add to the session and never commit.
"""
from __future__ import annotations

import hashlib

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from portal.audit.record import record
from portal.documents.render import render_pdf
from portal.extensions import db
from portal.meetings.models import Meeting
from portal.minutes.data import MinutesData, load_minutes
from portal.minutes.models import MinutesAmendment, MinutesDocument
from portal.types import BERLIN, utcnow


def document_title(meeting: Meeting) -> str:
    local = meeting.starts_at.astimezone(BERLIN)
    return f"Protokoll: {meeting.title} ({local:%d.%m.%Y})"


def minutes_html(data: MinutesData) -> str:
    """The print template filled in, always in German (the language of the record)."""
    with force_locale("de"):
        return render_template(
            "print/minutes.html", data=data, meeting=data.meeting, draft=data.draft,
            title=document_title(data.meeting),
            logo=current_app.config.get("PORTAL_LOGO", "logo.svg"),
        )


def _render(meeting: Meeting, *, draft: bool | None = None, version: int | None = None) -> bytes:
    data = load_minutes(meeting, draft=draft, version=version)
    return render_pdf(minutes_html(data), title=document_title(data.meeting), lang="de")


def render_minutes_pdf(meeting: Meeting) -> bytes:
    """The minutes as they stand now; "ENTWURF" on every page until they are approved."""
    return _render(meeting)


def archive_minutes(meeting: Meeting, amendment: MinutesAmendment | None = None) -> MinutesDocument:
    """Render the published minutes once and store them as the next version.

    Called by the publication and by every amendment, inside their transaction, after
    the meeting's publication data (and the amendment) are set.
    """
    if amendment is not None and amendment.id is None:
        db.session.flush()
    version = (db.session.scalar(
        select(func.max(MinutesDocument.version)).where(MinutesDocument.meeting_id == meeting.id)
    ) or 0) + 1
    pdf = _render(meeting, draft=False, version=version)
    document = MinutesDocument(
        meeting_id=meeting.id, version=version, pdf=pdf,
        amendment_id=amendment.id if amendment is not None else None,
        sha256=hashlib.sha256(pdf).hexdigest(), created_at=utcnow(),
    )
    db.session.add(document)
    db.session.flush()
    actor = (amendment.signed_off_by or amendment.author) if amendment is not None else meeting.published_by
    record(actor, "minutes.archived", document,
           {"version": (None, version), "sha256": (None, document.sha256)})
    return document


def documents_of(meeting: Meeting) -> list[MinutesDocument]:
    """The archived versions of a meeting's minutes, newest first, without their bytes."""
    return list(db.session.scalars(
        select(MinutesDocument)
        .where(MinutesDocument.meeting_id == meeting.id)
        .options(defer(MinutesDocument.pdf))
        .order_by(MinutesDocument.version.desc())
    ))


def stored_document(meeting: Meeting, version: int | None = None) -> MinutesDocument | None:
    """An archived version with its bytes: the given one, or the latest."""
    query = select(MinutesDocument).where(MinutesDocument.meeting_id == meeting.id)
    if version is None:
        query = query.order_by(MinutesDocument.version.desc()).limit(1)
    else:
        query = query.where(MinutesDocument.version == version)
    return db.session.scalars(query).first()


def pdf_filename(meeting: Meeting, version: int | None = None) -> str:
    local = meeting.starts_at.astimezone(BERLIN)
    suffix = f"-v{version}" if version else ""
    return f"Protokoll-{local:%Y-%m-%d}-{meeting.id}{suffix}.pdf"
