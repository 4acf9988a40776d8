"""Funding phases and their Sachbericht: the sections the office writes, one narrative each."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.audit.record import apply_changes, record, record_deletion
from portal.errors import RuleError
from portal.extensions import db
from portal.reports import narratives
from portal.reports.models import FundingPhase, ReportNarrative
from portal.reports.periods import Period

# the sections of a Sachbericht, in the order funders expect them: (key, title)
SECTIONS = (
    ("situation", _l("Ausgangslage und Ziele")),
    ("activities", _l("Maßnahmen und Aktivitäten")),
    ("results", _l("Ergebnisse")),
    ("deviations", _l("Abweichungen vom Plan")),
    ("outlook", _l("Ausblick")),
)
SECTION_KEYS = tuple(key for key, _ in SECTIONS)


@dataclass
class PhaseInput:
    name: str
    starts_on: date
    ends_on: date
    funder: str = ""
    reference: str = ""
    goals: str = ""


def phase_period(phase: FundingPhase) -> Period:
    return Period(phase.starts_on, phase.ends_on, "funding")


def all_phases() -> list[FundingPhase]:
    return list(db.session.scalars(select(FundingPhase).order_by(FundingPhase.starts_on, FundingPhase.id)))


def _check(values: PhaseInput, phase: FundingPhase | None) -> dict:
    name = values.name.strip()
    if values.ends_on < values.starts_on:
        raise RuleError(str(_l("Das Ende liegt vor dem Beginn.")), field="ends_on")
    same = select(FundingPhase.id).where(FundingPhase.name == name)
    if phase is not None:
        same = same.where(FundingPhase.id != phase.id)
    if db.session.scalar(same) is not None:
        raise RuleError(str(_l("Eine Förderphase dieses Namens gibt es schon.")), field="name")
    return {"name": name, "starts_on": values.starts_on, "ends_on": values.ends_on,
            "funder": values.funder.strip(), "reference": values.reference.strip(), "goals": values.goals.strip()}


def create_phase(actor, values: PhaseInput) -> FundingPhase:
    fields = _check(values, None)
    phase = FundingPhase(**fields)
    db.session.add(phase)
    record(actor, "phase.create", phase, {k: (None, v) for k, v in fields.items()})
    return phase


def update_phase(actor, phase: FundingPhase, values: PhaseInput) -> FundingPhase:
    changes = apply_changes(phase, _check(values, phase))
    if changes:
        record(actor, "phase.update", phase, changes)
    return phase


def delete_phase(actor, phase: FundingPhase) -> None:
    """The phase goes, with its narratives (the Sachbericht texts)."""
    for narrative in db.session.scalars(select(ReportNarrative)
                                        .where(ReportNarrative.phase_id == phase.id)):
        record_deletion(actor, "narrative.delete", narrative)
        db.session.delete(narrative)
    record_deletion(actor, "phase.delete", phase)
    db.session.delete(phase)


def section_texts(phase: FundingPhase) -> dict[str, str]:
    """The text of each Sachbericht section of the phase ('' when not written yet)."""
    found = narratives.report_narratives(phase_period(phase), None, phase)
    return {key: found[(None, key)].text if (None, key) in found else "" for key in SECTION_KEYS}


def save_sachbericht(actor, phase: FundingPhase, texts: dict[str, str]) -> list[str]:
    """Keep each section's text (an empty one removes it); returns the keys still empty."""
    period = phase_period(phase)
    for key in SECTION_KEYS:
        narratives.save_narrative(actor, period, None, texts.get(key, ""), phase, key)
    return [key for key in SECTION_KEYS if not (texts.get(key) or "").strip()]
