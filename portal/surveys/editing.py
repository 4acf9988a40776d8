"""The office writes a questionnaire: the survey, its questions, and opening it (with the invitations)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.audit.record import record, record_deletion
from portal.errors import RuleError
from portal.extensions import db
from portal.links import external_url
from portal.members.models import Person
from portal.notifications import notify
from portal.surveys.models import QuestionKind, Survey, SurveyQuestion, SurveyStatus
from portal.types import utcnow


def _check_dates(opens_on: date, closes_on: date) -> None:
    if closes_on < opens_on:
        raise RuleError(_("Das Ende liegt vor dem Beginn."), "closes_on")


def create(actor, **fields) -> Survey:
    _check_dates(fields["opens_on"], fields["closes_on"])
    survey = Survey(**fields)
    db.session.add(survey)
    db.session.flush()
    record(actor, "survey.create", survey, {"title": (None, survey.title)})
    return survey


def add_question(actor, survey: Survey, *, kind: str, text: str, section: str = "", required: bool = False,
                 options: str = "", statements: str = "", scale: str = "", links_themes: bool = False
                 ) -> SurveyQuestion:
    if not survey.is_draft:
        raise RuleError(_("Eine geöffnete Umfrage bekommt keine neuen Fragen mehr."))
    kind = QuestionKind(kind)
    position = (db.session.scalar(
        select(func.max(SurveyQuestion.position)).where(SurveyQuestion.survey_id == survey.id)) or 0) + 1
    question = SurveyQuestion(position=position, kind=kind, text=text.strip(), section=section.strip(),
                              required=required, options=options, statements=statements, scale=scale,
                              links_themes=kind is QuestionKind.SHARE_EXPERIENCE
                              or (links_themes and kind.is_matrix))
    if kind.has_options and len(question.option_list) < 2:
        raise RuleError(_("Bitte mindestens zwei Antwortmöglichkeiten angeben, eine je Zeile."), "options")
    if kind.is_matrix:
        if not question.statement_list:
            raise RuleError(_("Bitte mindestens eine Aussage angeben, eine je Zeile."), "statements")
        if len(question.scale_list) < 2:
            raise RuleError(_("Bitte mindestens zwei Stufen der Skala angeben, eine je Zeile."), "scale")
    question.survey = survey
    db.session.add(question)
    db.session.flush()
    record(actor, "survey.question_add", question, {"kind": (None, kind.value), "text": (None, question.text)})
    return question


def remove_question(actor, survey: Survey, question: SurveyQuestion) -> None:
    """A question of a draft taken out again (an open survey keeps its questions: answers refer to them)."""
    if not survey.is_draft:
        raise RuleError(_("Eine geöffnete Umfrage behält ihre Fragen."))
    record_deletion(actor, "survey.question_remove", question)
    survey.questions.remove(question)
    for position, rest in enumerate(survey.questions, start=1):
        rest.position = position
    db.session.flush()


def invitees(survey: Survey) -> list[Person]:
    """Who is asked to answer: the active members (organization surveys: those with an organization)."""
    query = (select(Person).where(Person.active, Person.role == "member")
             .options(joinedload(Person.organization)).order_by(Person.name, Person.id))
    if survey.per_organization:
        query = query.where(Person.organization_id.is_not(None))
    return list(db.session.scalars(query))


def publish(actor, survey: Survey) -> int:
    """Open the survey for answers and invite everyone who may answer; returns how many were invited."""
    if not survey.is_draft:
        raise RuleError(_("Die Umfrage ist schon geöffnet."))
    if not survey.questions:
        raise RuleError(_("Eine Umfrage ohne Fragen kann nicht geöffnet werden."))
    survey.status = SurveyStatus.OPEN
    survey.published_at = utcnow()
    people = invitees(survey)
    record(actor, "survey.open", survey, {"status": ("draft", "open"), "invited": (None, len(people))})
    url = external_url("surveys.show", survey_id=survey.id)
    for person in people:
        notify(person, "surveys_invitation", survey=survey, url=url)
    return len(people)
