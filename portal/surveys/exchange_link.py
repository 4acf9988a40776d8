"""From a submitted answer to the experience exchange: a matrix question marked `links_themes`
whose statements name themes says, per theme, where the organization stands (first scale step:
practised, second: planned, a step that speaks of interest: interested); a linked yes/no question
"Wir teilen unsere Erfahrung dazu" marks the practised themes as shared, with the answering member
as contact. Nothing is written until the answering member confirms (apply)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from portal.exchange import statuses
from portal.exchange.models import Theme, ThemeStatus
from portal.extensions import db
from portal.surveys.models import QuestionKind, SurveyResponse
from portal.types import utcnow


@dataclass
class Proposal:
    theme: Theme
    status: ThemeStatus
    shares: bool


def _status(step_index: int, step: str) -> ThemeStatus | None:
    if step_index == 0:
        return ThemeStatus.PRACTISED
    if step_index == 1:
        return ThemeStatus.PLANNED
    return ThemeStatus.INTERESTED if "interess" in step.lower() else None


def proposed(response: SurveyResponse | None) -> list[Proposal]:
    """What the response would set in the exchange; empty when there is nothing (new) to confirm."""
    if response is None or not response.is_submitted:
        return []
    if response.themes_applied_at and response.themes_applied_at >= (response.submitted_at or response.updated_at):
        return []
    org_id = response.organization_id or (response.person.organization_id if response.person else None)
    if org_id is None:
        return []
    questions = {q.id: q for q in response.survey.questions if q.links_themes}
    if not questions:
        return []
    wanted: dict[str, ThemeStatus] = {}
    shares = False
    for answer in response.answers:
        question = questions.get(answer.question_id)
        if question is None:
            continue
        if question.kind is QuestionKind.SHARE_EXPERIENCE:
            shares = answer.value == "yes"
        elif question.kind.is_matrix and answer.item < len(question.statement_list):
            steps = question.scale_list
            status = _status(steps.index(answer.value), answer.value) if answer.value in steps else None
            if status is not None:
                wanted[question.statement_list[answer.item].lower()] = status
    if not wanted:
        return []
    themes = db.session.scalars(select(Theme).where(func.lower(Theme.name).in_(list(wanted))).order_by(Theme.name))
    return [Proposal(t, wanted[t.name.lower()], shares and wanted[t.name.lower()] is ThemeStatus.PRACTISED)
            for t in themes]


def apply(actor, response: SurveyResponse) -> int:
    """Write the proposals as the organization's statuses (confirmed by `actor`, who answered)."""
    proposals = proposed(response)
    org = response.organization or (response.person.organization if response.person else None)
    for p in proposals:
        statuses.set_status(actor, org, p.theme, p.status, shares=p.shares,
                            contact=actor if p.shares else None)
        if p.theme.survey_id is None:
            p.theme.survey_id = response.survey_id
    response.themes_applied_at = utcnow()
    return len(proposals)
