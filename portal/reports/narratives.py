"""The office's narratives: of a funding phase (found by the phase, whatever "today" is) or of an
exact period; for the alliance or one working group; for a phase also one per Sachbericht section."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.audit.record import record
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.reports.models import FundingPhase, ReportNarrative
from portal.reports.periods import Period

MAX_LENGTH = 50_000


def _where(period: Period, phase: FundingPhase | None):
    """A phase's narratives are found by the phase, never by dates (a phase's dates may be
    corrected, and the default period moves with "today"); others by their exact period."""
    if phase is not None:
        return [ReportNarrative.phase_id == phase.id]
    return [ReportNarrative.phase_id.is_(None), ReportNarrative.period_start == period.start,
            ReportNarrative.period_end == period.end]


def find_narrative(period: Period, group: WorkingGroup | None, phase: FundingPhase | None = None,
                   section: str | None = None) -> ReportNarrative | None:
    group_id = group.id if group is not None else None
    query = select(ReportNarrative).where(
        *_where(period, phase),
        ReportNarrative.section.is_(None) if section is None else ReportNarrative.section == section,
        ReportNarrative.group_id.is_(None) if group_id is None else ReportNarrative.group_id == group_id,
    ).order_by(ReportNarrative.id)
    return db.session.scalars(query).first()


def report_narratives(period: Period, group: WorkingGroup | None, phase: FundingPhase | None):
    """Every non-empty narrative of the report in one query: {(group id, section): narrative}."""
    query = (select(ReportNarrative).options(joinedload(ReportNarrative.author))
             .where(*_where(period, phase), ReportNarrative.text != ""))
    if group is not None:
        query = query.where(ReportNarrative.group_id == group.id)
    return {(n.group_id, n.section): n for n in db.session.scalars(query)}


def save_narrative(actor, period: Period, group: WorkingGroup | None, text: str,
                   phase: FundingPhase | None = None, section: str | None = None) -> ReportNarrative | None:
    """Keep `text` as the narrative of this phase (or exactly this period), group and section; an
    empty text removes it. Returns the narrative, or None when there is none afterwards."""
    text = (text or "").strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(f"narrative longer than {MAX_LENGTH} characters")
    narrative = find_narrative(period, group, phase, section)
    if narrative is None and not text:
        return None
    if narrative is None:
        narrative = ReportNarrative(period_start=period.start, period_end=period.end,
                                    group_id=group.id if group is not None else None,
                                    phase_id=phase.id if phase is not None else None, section=section,
                                    text=text, author_id=actor.id)
        db.session.add(narrative)
        record(actor, "narrative.create", narrative, {
            "period_start": (None, period.start), "period_end": (None, period.end),
            "group_id": (None, narrative.group_id), "phase_id": (None, narrative.phase_id),
            "section": (None, section), "text": (None, text)})
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
