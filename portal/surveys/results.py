"""Results of a survey: counts and shares per choice, the matrix as a table, numbers as median and
range, texts listed (never in anonymous surveys). A group of answers (the whole survey or a filter)
is shown only when at least SURVEY_MIN_GROUP answered, so that no single company can be read off.

Everything is computed from four queries, however many answers there are."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.groups.models import Membership, WorkingGroup
from portal.labels import LABELS
from portal.members.models import Organization, Person
from portal.reports.display import figure
from portal.surveys.editing import invitees
from portal.surveys.models import QuestionKind, ResponseStatus, Survey, SurveyQuestion, SurveyResponse


def min_group() -> int:
    return int(current_app.config.get("SURVEY_MIN_GROUP", 5))


@dataclass
class Share:
    label: str
    count: int
    share: float  # 0..1 of the answers to the question


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    shares: list[Share] = field(default_factory=list)  # choices and yes/no
    matrix: list[tuple[str, list[Share]]] = field(default_factory=list)  # statement -> one share per step
    median: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    texts: list[tuple[str, str]] = field(default_factory=list)  # (who, text); who empty when anonymous


@dataclass
class SectorRate:
    sector: str
    answered: int
    asked: int

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0


@dataclass
class Results:
    survey: Survey
    count: int  # submitted answers in the group shown (after filters)
    minimum: int
    questions: list[QuestionResult]
    asked: int  # organizations or people asked
    answered: int  # of them, submitted (without filters)
    sectors: list[SectorRate]
    missing: list[str]  # who has not answered (empty in anonymous surveys)

    @property
    def shown(self) -> bool:
        return self.count >= self.minimum

    @property
    def rate(self) -> float:
        return self.answered / self.asked if self.asked else 0.0

    @property
    def rate_text(self) -> str:
        return figure(self.rate, "percent")


def submitted(survey: Survey) -> list[SurveyResponse]:
    return list(db.session.scalars(
        select(SurveyResponse)
        .where(SurveyResponse.survey_id == survey.id, SurveyResponse.status == ResponseStatus.SUBMITTED)
        .options(joinedload(SurveyResponse.organization), joinedload(SurveyResponse.person)
                 .joinedload(Person.organization), joinedload(SurveyResponse.answered_by),
                 selectinload(SurveyResponse.answers))
        .order_by(SurveyResponse.id)))


def respondent_org(response: SurveyResponse) -> Organization | None:
    return response.organization or (response.person.organization if response.person else None)


def respondent_name(response: SurveyResponse) -> str:
    if response.organization is not None:
        return response.organization.name
    return response.person.name if response.person else ""


def _group_members(group_id: int) -> tuple[set[int], set[int]]:
    """(person ids, organization ids) of the active members of a working group."""
    rows = db.session.execute(
        select(Person.id, Person.organization_id).join(Membership, Membership.person_id == Person.id)
        .where(Membership.group_id == group_id, Membership.status == "active")).all()
    return {r[0] for r in rows}, {r[1] for r in rows if r[1] is not None}


def filtered(responses: list[SurveyResponse], sector: str | None, group_id: int | None) -> list[SurveyResponse]:
    if sector:
        responses = [r for r in responses if (org := respondent_org(r)) is not None and org.sector == sector]
    if group_id:
        people, orgs = _group_members(group_id)
        responses = [r for r in responses
                     if (r.organization_id in orgs if r.organization_id else r.person_id in people)]
    return responses


def compute(survey: Survey, *, sector: str | None = None, group_id: int | None = None) -> Results:
    everyone = submitted(survey)
    responses = filtered(everyone, sector, group_id)
    minimum = min_group()
    questions = [question_result(q, responses, survey.anonymous) for q in survey.questions] \
        if len(responses) >= minimum else []
    asked, sectors, missing = _participation(survey, everyone)
    return Results(survey, len(responses), minimum, questions, asked, len(everyone), sectors, missing)


def question_result(question: SurveyQuestion, responses: list[SurveyResponse], anonymous: bool) -> QuestionResult:
    result = QuestionResult(question)
    answers = [(r, a) for r in responses for a in r.answers if a.question_id == question.id]
    result.answered = len({r.id for r, _a in answers})
    kind = question.kind
    if kind.has_options or kind is QuestionKind.SHARE_EXPERIENCE:
        labels = question.option_list if kind.has_options else ["yes", "no"]
        counts = Counter(a.value for _r, a in answers)
        total = result.answered or 1
        result.shares = [Share(label, counts[label], counts[label] / total) for label in labels]
    elif kind.is_matrix:
        steps = question.scale_list
        for item, statement in enumerate(question.statement_list):
            counts = Counter(a.value for _r, a in answers if a.item == item)
            total = sum(counts.values()) or 1
            result.matrix.append((statement, [Share(step, counts[step], counts[step] / total) for step in steps]))
    elif kind is QuestionKind.NUMBER:
        numbers = sorted(Decimal(a.value) for _r, a in answers)
        if numbers:
            result.median = statistics.median(numbers)
            result.low, result.high = numbers[0], numbers[-1]
    elif not anonymous:
        result.texts = [(respondent_name(r), a.value) for r, a in answers]
    return result


def _participation(survey: Survey, responses: list[SurveyResponse]) -> tuple[int, list[SectorRate], list[str]]:
    """How many were asked, the response rate per sector, and who is missing (not when anonymous)."""
    people = invitees(survey)
    if survey.per_organization:
        orgs = {p.organization_id: p.organization for p in people}
        answered = {r.organization_id for r in responses}
        asked = [(org.sector, org.name, org_id in answered) for org_id, org in orgs.items()]
    else:
        answered = {r.person_id for r in responses}
        asked = [(p.organization.sector if p.organization else "Sonstige", p.name, p.id in answered)
                 for p in people]
    sectors = []
    for sector in LABELS["sector"]:
        rows = [a for a in asked if a[0] == sector]
        if rows:
            sectors.append(SectorRate(sector, sum(1 for a in rows if a[2]), len(rows)))
    missing = [] if survey.anonymous else sorted(name for _s, name, done in asked if not done)
    return len(asked), sectors, missing


def group_choices() -> list[tuple[int, str]]:
    return [(row.id, row.name) for row in db.session.execute(
        select(WorkingGroup.id, WorkingGroup.name).where(WorkingGroup.archived_at.is_(None))
        .order_by(WorkingGroup.name))]
