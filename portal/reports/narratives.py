"""The office's narrative of a report period (for the alliance or one working group)."""
from __future__ import annotations

from sqlalchemy import select

from portal.audit.record import record
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.reports.models import ReportNarrative
from portal.reports.periods import Period

MAX_LENGTH = 50_000


def find_narrative(period: Period, group: WorkingGroup | None) -> ReportNarrative | None:
    group_id = group.id if group is not None else None
    query = select(ReportNarrative).where(
        ReportNarrative.period_start == period.start, ReportNarrative.period_end == period.end,
        ReportNarrative.group_id.is_(None) if group_id is None else ReportNarrative.group_id == group_id,
    ).order_by(ReportNarrative.id)
    return db.session.scalars(query).first()


def save_narrative(actor, period: Period, group: WorkingGroup | None, text: str) -> ReportNarrative | None:
    """Keep `text` as the narrative of exactly this period (and group); an empty text removes it.
    Returns the narrative, or None when there is none afterwards."""
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(f"narrative longer than {MAX_LENGTH} characters")
    narrative = find_narrative(period, group)
    if narrative is None and not text:
        return None
    if narrative is None:
        narrative = ReportNarrative(period_start=period.start, period_end=period.end,
                                    group_id=group.id if group is not None else None,
                                    text=text, author_id=actor.id)
        db.session.add(narrative)
        record(actor, "narrative.create", narrative, {
            "period_start": (None, period.start), "period_end": (None, period.end),
            "group_id": (None, narrative.group_id), "text": (None, text)})
        return narrative
    if not text:
        record(actor, "narrative.delete", narrative, {"text": (narrative.text, None)})
        db.session.delete(narrative)
        return None
    if narrative.text != text:
        record(actor, "narrative.update", narrative, {"text": (narrative.text, text)})
        narrative.text = text
        narrative.author_id = actor.id
    return narrative
