"""The minutes of a meeting as a PDF: as they stand while the minutes are being written (kept per
version of what they print, by the job worker when large: portal.documents.stored), rendered once
and archived (bytes + SHA-256) on publication and on every amendment.

Plain functions; they add to the session and never commit.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import defer

from portal.audit.record import record
from portal.documents import stored as documents
from portal.documents.models import DocumentKind, StoredDocument
from portal.documents.render import Printable, render_pdf
from portal.extensions import db
from portal.meetings.models import Meeting
from portal.minutes.data import MinutesData, load_minutes
from portal.minutes.models import MinutesAmendment, MinutesDocument
from portal.types import BERLIN, utcnow

KIND = DocumentKind.MINUTES
JOB_KIND = documents.job_kind(KIND)
# the time the version's HTML is rendered at: the version changes with what is printed, not with when
_VERSION_TIME = datetime(2000, 1, 1, tzinfo=UTC)


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


@dataclass
class LiveMinutes:
    """The minutes as they stand now ("ENTWURF" on every page until they are approved), with the
    version of what they print and how many rows they have."""

    data: MinutesData
    version: str

    @property
    def params(self) -> dict:
        return {"meeting": self.data.meeting.id}

    @property
    def rows(self) -> int:
        data = self.data
        return (sum(len(people) for people in data.attendance.values()) + len(data.guests) + len(data.agenda)
                + sum(len(entry.decisions) for entry in data.agenda) + len(data.other_decisions)
                + len(data.action_items) + len(data.carried) + len(data.amendments))

    @property
    def is_small(self) -> bool:
        """Few enough rows to render within the request (MINUTES_INLINE_ROWS)."""
        return self.rows <= current_app.config["MINUTES_INLINE_ROWS"]

    def render(self) -> bytes:
        return render_pdf(minutes_html(self.data), title=document_title(self.data.meeting), lang="de")


def live_minutes(meeting: Meeting) -> LiveMinutes:
    """The minutes as they stand; their version is the digest of their HTML rendered at a fixed
    time, so that it changes with everything printed (texts, attendance, agenda, action items,
    materials, publication state, pseudonyms) and with nothing else."""
    data = load_minutes(meeting)
    rendered_at, data.rendered_at = data.rendered_at, _VERSION_TIME
    version = documents.version_of(minutes_html(data))
    data.rendered_at = rendered_at
    return LiveMinutes(data, version)


def find_live(live: LiveMinutes) -> StoredDocument | None:
    return documents.find(KIND, live.params, live.version)


def keep_live(live: LiveMinutes, pdf: bytes) -> StoredDocument:
    return documents.keep(KIND, live.params, live.version, pdf)


def request_live(live: LiveMinutes) -> StoredDocument:
    """A waiting document and its job, in the caller's transaction."""
    return documents.request(KIND, live.params, live.version)


def stored_of(meeting: Meeting, stored_id: int) -> StoredDocument | None:
    """A stored rendering of this meeting's minutes as they stood."""
    stored = documents.of_kind(KIND, stored_id)
    return stored if stored is not None and stored.params.get("meeting") == meeting.id else None


def _build(params: dict) -> Printable | None:
    meeting = db.session.get(Meeting, params["meeting"])
    if meeting is None:
        return None
    return Printable(minutes_html(load_minutes(meeting)), document_title(meeting))


def _too_large(limit: str) -> str:
    return _("Das Protokoll ist zu umfangreich, um es als PDF zu erzeugen (%(limit)s). Bitte wenden Sie sich "
             "an die Geschäftsstelle.", limit=limit)


# the job handler: render each waiting minutes PDF in a limited child process and keep it
work = partial(documents.work, documents.Source(KIND, _build, _too_large))


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
