"""Publishing a new version of the privacy notice and taking note of it."""
from __future__ import annotations

import functools

from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from portal.audit.record import record
from portal.errors import RuleError
from portal.extensions import db
from portal.privacy_notice.models import NoticeAcceptance, PrivacyNotice
from portal.types import utcnow


def current() -> PrivacyNotice | None:
    return db.session.scalar(select(PrivacyNotice).order_by(PrivacyNotice.version.desc()).limit(1))


def versions() -> list[PrivacyNotice]:
    return list(db.session.scalars(select(PrivacyNotice).order_by(PrivacyNotice.version.desc())))


def publish(actor, text: str) -> PrivacyNotice:
    """The text as the next version: everyone is asked to take note of it at their next page."""
    text = text.strip()
    latest = current()
    if not text:
        raise RuleError(_("Bitte geben Sie den Text der Datenschutzhinweise ein."), field="text")
    if latest is not None and latest.text == text:
        raise RuleError(_("Der Text ist unverändert; eine neue Fassung wäre dieselbe."), field="text")
    notice = PrivacyNotice(version=(latest.version + 1) if latest else 1, text=text,
                           published_at=utcnow(), published_by_id=actor.id)
    db.session.add(notice)
    record(actor, "privacy_notice.published", notice, {"version": (None, notice.version)})
    return notice


@functools.cache
def _latest_with_acceptance():
    """The statement of unaccepted_version, built once: it runs before every page, and building a
    statement costs SQLAlchemy more than running it (the person is bound at execution)."""
    return (select(PrivacyNotice.version, NoticeAcceptance.id)
            .outerjoin(NoticeAcceptance, (NoticeAcceptance.version == PrivacyNotice.version)
                       & (NoticeAcceptance.person_id == bindparam("person_id")))
            .order_by(PrivacyNotice.version.desc()).limit(1))


def unaccepted_version(person) -> int | None:
    """The current version if the person has not yet taken note of it (one query)."""
    row = db.session.execute(_latest_with_acceptance(), {"person_id": person.id}).first()
    return row.version if row is not None and row.id is None else None


def accept(person, version: int) -> NoticeAcceptance | None:
    """Record that the person took note of `version` (again: nothing new)."""
    known = db.session.scalar(select(NoticeAcceptance).where(
        NoticeAcceptance.person_id == person.id, NoticeAcceptance.version == version))
    if known is not None:
        return None
    if db.session.scalar(select(PrivacyNotice.id).where(PrivacyNotice.version == version)) is None:
        raise RuleError(_("Diese Fassung der Datenschutzhinweise gibt es nicht."))
    acceptance = NoticeAcceptance(person_id=person.id, version=version, accepted_at=utcnow())
    db.session.add(acceptance)
    record(person, "privacy_notice.accepted", acceptance, {"version": (None, version)})
    return acceptance
