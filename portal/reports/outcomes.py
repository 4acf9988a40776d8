"""Outcomes (projects such as "Louise") and their dated milestones.

Plain functions: they take the acting person and objects, add to the session and never commit.
A rule a user can break raises OutcomeError (a ValueError) with a German message.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.audit.record import apply_changes, record, record_deletion
from portal.errors import RuleError
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.meetings.models import Decision, Meeting
from portal.reports.models import OUTCOME_STATUSES, Milestone, Outcome, OutcomeStatus
from portal.types import local_today

DECISION_LABEL_LENGTH = 90
TITLE_MAX = 300  # the columns of outcome and milestone titles


class OutcomeError(RuleError):
    """Input that the rules of outcomes do not allow; the message is for the user."""


@dataclass
class OutcomeInput:
    title: str
    description: str = ""
    partners: str = ""
    status: str = OutcomeStatus.IDEA
    group: WorkingGroup | None = None
    origin_meeting: Meeting | None = None
    origin_decision: Decision | None = None


@dataclass
class MilestoneInput:
    id: int | None
    title: str
    due_on: date | None
    reached_on: date | None = None
    remove: bool = False

    @property
    def is_blank(self) -> bool:
        return self.id is None and not self.title.strip() and self.due_on is None and self.reached_on is None


def _values(data: OutcomeInput) -> dict:
    title = (data.title or "").strip()
    if not title:
        raise OutcomeError(_("Bitte einen Titel angeben."), "title")
    if len(title) > TITLE_MAX:
        raise OutcomeError(_("Der Titel darf höchstens 300 Zeichen lang sein."), "title")
    if data.status not in OUTCOME_STATUSES:
        raise OutcomeError(_("Unbekannter Status."), "status")
    meeting, decision = data.origin_meeting, data.origin_decision
    if decision is not None:
        if meeting is not None and decision.meeting_id != meeting.id:
            raise OutcomeError(_("Der Beschluss gehört nicht zum gewählten Treffen."), "origin_decision")
        meeting = decision.meeting
    group = data.group
    if group is None and meeting is not None:
        group = meeting.group
    return {
        "title": title, "description": (data.description or "").strip(),
        "partners": (data.partners or "").strip(), "status": data.status,
        "group_id": group.id if group is not None else None,
        "origin_meeting_id": meeting.id if meeting is not None else None,
        "origin_decision_id": decision.id if decision is not None else None,
    }


def _check_milestones(milestones: list[MilestoneInput]) -> list[MilestoneInput]:
    """The rows that mean something; a row with a title needs a due date and vice versa."""
    today = local_today()
    kept = []
    for row in milestones:
        if row.is_blank or (row.remove and row.id is None):
            continue
        if not row.remove:
            if not row.title.strip():
                raise OutcomeError(_("Jeder Meilenstein braucht einen Titel."))
            if len(row.title.strip()) > TITLE_MAX:
                raise OutcomeError(_("Der Titel eines Meilensteins darf höchstens 300 Zeichen lang sein."))
            if row.due_on is None:
                raise OutcomeError(_("Jeder Meilenstein braucht ein Datum."))
            if row.reached_on is not None and row.reached_on > today:
                raise OutcomeError(_("„Erreicht am“ darf nicht in der Zukunft liegen."))
        kept.append(row)
    return kept


def create_outcome(actor, data: OutcomeInput, milestones: list[MilestoneInput] = ()) -> Outcome:
    values = _values(data)
    rows = _check_milestones(list(milestones))
    outcome = Outcome(**values)
    db.session.add(outcome)
    record(actor, "outcome.create", outcome, {k: (None, v) for k, v in values.items()})
    _apply_milestones(actor, outcome, rows)
    return outcome


def update_outcome(actor, outcome: Outcome, data: OutcomeInput,
                   milestones: list[MilestoneInput] = ()) -> Outcome:
    values = _values(data)
    rows = _check_milestones(list(milestones))
    changes = apply_changes(outcome, values)
    if changes:
        record(actor, "outcome.update", outcome, changes)
    _apply_milestones(actor, outcome, rows)
    return outcome


def _apply_milestones(actor, outcome: Outcome, rows: list[MilestoneInput]) -> None:
    existing = {m.id: m for m in outcome.milestones}
    for row in rows:
        milestone = existing.get(row.id) if row.id is not None else None
        if row.id is not None and milestone is None:
            continue  # not a milestone of this outcome: ignored, never touched
        if milestone is not None and row.remove:
            delete_milestone(actor, milestone)
            continue
        values = {"title": row.title.strip(), "due_on": row.due_on, "reached_on": row.reached_on}
        if milestone is None:
            milestone = Milestone(**values)
            outcome.milestones.append(milestone)
            db.session.flush()
            record(actor, "milestone.create", milestone,
                   {"outcome_id": (None, outcome.id), **{k: (None, v) for k, v in values.items()}})
        else:
            changes = apply_changes(milestone, values)
            if changes:
                record(actor, "milestone.update", milestone, changes)
    outcome.milestones.sort(key=lambda m: (m.due_on, m.id or 0))


def delete_milestone(actor, milestone: Milestone) -> Outcome:
    """Delete one milestone; the audit keeps all its fields."""
    outcome = milestone.outcome
    record_deletion(actor, "milestone.delete", milestone)
    outcome.milestones.remove(milestone)
    return outcome


def delete_outcome(actor, outcome: Outcome) -> None:
    """Delete the outcome with its milestones; the audit keeps every field of each."""
    for milestone in list(outcome.milestones):
        delete_milestone(actor, milestone)
    record_deletion(actor, "outcome.delete", outcome)
    db.session.delete(outcome)


# -- reading -------------------------------------------------------------------------------------

def outcome_query():
    return select(Outcome).options(
        joinedload(Outcome.group), joinedload(Outcome.origin_meeting),
        joinedload(Outcome.origin_decision), selectinload(Outcome.milestones),
    )


def list_query(group_id: int | None = None, status: str | None = None):
    query = outcome_query().order_by(Outcome.title)
    if group_id:
        query = query.where(Outcome.group_id == group_id)
    if status in OUTCOME_STATUSES:
        query = query.where(Outcome.status == status)
    return query


def group_choices() -> list[tuple[int, str]]:
    groups = db.session.scalars(
        select(WorkingGroup).where(WorkingGroup.archived_at.is_(None)).order_by(WorkingGroup.name))
    return [(g.id, g.name) for g in groups]


def origin_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(meetings, decisions) an outcome can come from: meetings held, their decisions; newest first."""
    meetings = db.session.scalars(
        select(Meeting).options(joinedload(Meeting.group), selectinload(Meeting.decisions))
        .where(Meeting.status == "held").order_by(Meeting.starts_at.desc())
    ).unique().all()
    meeting_choices, decision_choices = [], []
    for meeting in meetings:
        day = format_date(meeting.starts_at, "medium")
        where = meeting.group.short_name or meeting.group.name if meeting.group else _("Plenum")
        meeting_choices.append((meeting.id, f"{day} · {meeting.title} ({where})"))
        for decision in meeting.decisions:
            text = " ".join(decision.text.split())
            if len(text) > DECISION_LABEL_LENGTH:
                text = text[:DECISION_LABEL_LENGTH - 1] + "…"
            decision_choices.append((decision.id, _("%(day)s · %(title)s · Nr. %(number)s: %(text)s", day=day, title=meeting.title, number=decision.number, text=text)))
    return meeting_choices, decision_choices
