"""Reminders a few days before a survey closes, to those whose organization (or who themselves, in a
person survey) has not submitted. Idempotent like the action-item reminders: a SurveyReminder row
(unique per survey and person) is written in the transaction that queues the mail, one person per
transaction, so a second run sends nothing twice and an interrupted run is completed by the next."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.links import external_url
from portal.notifications import notify
from portal.surveys.editing import invitees
from portal.surveys.models import ResponseStatus, Survey, SurveyReminder, SurveyResponse
from portal.types import local_today

DAYS_BEFORE = 3


def due(today: date) -> list[tuple[int, int]]:
    """(survey id, person id) of the reminders to send today."""
    surveys = db.session.scalars(select(Survey).where(
        Survey.status == "open", Survey.opens_on <= today, Survey.closes_on >= today,
        Survey.closes_on <= today + timedelta(days=DAYS_BEFORE)).order_by(Survey.id))
    result = []
    for survey in surveys:
        done = db.session.execute(select(SurveyResponse.organization_id, SurveyResponse.person_id).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.status == ResponseStatus.SUBMITTED)).all()
        done_orgs, done_people = {r[0] for r in done}, {r[1] for r in done}
        reminded = set(db.session.scalars(select(SurveyReminder.person_id).where(
            SurveyReminder.survey_id == survey.id)))
        for person in invitees(survey):
            answered = person.organization_id in done_orgs if survey.per_organization else person.id in done_people
            if not answered and person.id not in reminded:
                result.append((survey.id, person.id))
    return result


def send_reminders(today: date | None = None) -> int:
    from portal.members.models import Person

    today = today or local_today()
    sent = 0
    for survey_id, person_id in due(today):
        survey, person = db.session.get(Survey, survey_id), db.session.get(Person, person_id)
        try:
            db.session.add(SurveyReminder(survey_id=survey_id, person_id=person_id))
            db.session.flush()
            notify(person, "surveys_reminder", survey=survey, url=external_url("surveys.show", survey_id=survey_id))
            db.session.commit()
        except IntegrityError:  # another run reminded this person a moment ago
            db.session.rollback()
            continue
        sent += 1
    return sent
