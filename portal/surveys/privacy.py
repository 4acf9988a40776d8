"""The person's own survey answers and exchange entries in their data download (portal.privacy.export)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.exchange.models import OrganizationTheme
from portal.extensions import db
from portal.members.models import Person
from portal.privacy.export import exporter
from portal.surveys.models import SurveyQuestion, SurveyResponse


@exporter("survey_answers", _l("Antworten auf Umfragen"))
def survey_answers(person: Person) -> list[dict]:
    responses = db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.answered_by_id == person.id)
        .options(joinedload(SurveyResponse.survey), selectinload(SurveyResponse.answers))
        .order_by(SurveyResponse.id)).all()
    question_ids = {a.question_id for r in responses for a in r.answers}
    texts = {row.id: row.text for row in db.session.execute(
        select(SurveyQuestion.id, SurveyQuestion.text).where(SurveyQuestion.id.in_(question_ids)))}
    return [{"survey": r.survey.title, "status": r.status.value,
             "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
             "question": texts.get(a.question_id, ""), "item": a.item, "value": a.value}
            for r in responses for a in r.answers]


@exporter("exchange_contact", _l("Kontaktperson in der Erfahrungsbörse"))
def exchange_contact(person: Person) -> list[dict]:
    rows = db.session.scalars(select(OrganizationTheme).where(OrganizationTheme.contact_id == person.id)
                              .options(joinedload(OrganizationTheme.theme))).all()
    return [{"theme": r.theme.name, "status": r.status.value, "shares": r.shares,
             "updated_at": r.updated_at.isoformat()} for r in rows]
