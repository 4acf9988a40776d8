"""Routes of the surveys and the experience exchange × roles. Everyone signed in reads open surveys,
their (aggregated) results and the exchange; the office writes questionnaires, opens them, downloads
the raw answers, makes themes and starts groups from them. Members answer (the world's member for
the organization "Tischlerei Beispiel"; the moderators have no organization and are refused at the
form, 422); a member's organization that plans a theme asks a practising one for contact."""
from __future__ import annotations

from datetime import timedelta

from portal.exchange.models import OrganizationTheme, Theme
from portal.surveys.models import ResponseStatus, Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from portal.types import local_today, utcnow
from tests.routes import EVERYONE, OFFICE, Route, allow

SURVEY = {"survey_id": "survey"}
DRAFT = {"survey_id": "draft_survey"}
THEME = {"theme_id": "theme"}


def surveys_world(make, member, org) -> dict:
    today = local_today()
    survey = make._add(Survey(title="Mobilität 2030", opens_on=today - timedelta(days=1),
                              closes_on=today + timedelta(days=30), status="open"))
    question = make._add(SurveyQuestion(survey=survey, kind="single_choice", text="Wie?", options="Rad\nAuto"))
    response = make._add(SurveyResponse(survey=survey, organization_id=org.id, answered_by_id=member.id,
                                        status=ResponseStatus.SUBMITTED, submitted_at=utcnow()))
    make._add(SurveyAnswer(response=response, question_id=question.id, item=0, value="Rad"))
    draft = make._add(Survey(title="Entwurf", opens_on=today, closes_on=today + timedelta(days=9)))
    draft_question = make._add(SurveyQuestion(survey=draft, kind="number", text="Wie viele?"))
    theme = make._add(Theme(name="Lastenrad-Logistik"))
    helper_org = make.organization(name="Druckerei Hilfreich")
    helper = make.person(name="Hanna Hilfreich", organization=helper_org, show_email=True)
    helper_row = make._add(OrganizationTheme(organization_id=helper_org.id, theme_id=theme.id, status="practised",
                                             shares=True, contact_id=helper.id))
    make._add(OrganizationTheme(organization_id=org.id, theme_id=theme.id, status="planned", contact_id=member.id))
    return {"survey": survey, "survey_question": question, "draft_survey": draft, "theme": theme,
            "draft_question": draft_question,
            "helper_row": helper_row}


NO_ORG = {"moderator": 422, "other_moderator": 422}

ROUTES: list[Route] = [
    Route("/surveys", EVERYONE),
    Route("/surveys/new", OFFICE),
    Route("/surveys/new", OFFICE, method="POST",
          data={"title": "Umfrage", "opens_on": "2030-01-01", "closes_on": "2030-01-31", "respondent": "person"}),
    Route("/surveys/<int:survey_id>", EVERYONE, params=SURVEY),
    Route("/surveys/<int:survey_id>", OFFICE, params=DRAFT, note="draft"),
    Route("/surveys/<int:survey_id>/questions", OFFICE, method="POST", params=DRAFT,
          data={"kind": "short_text", "text": "Was noch?"}),
    Route("/surveys/<int:survey_id>/questions/<int:question_id>/remove", OFFICE, method="POST",
          params={"survey_id": "draft_survey", "question_id": "draft_question"}),
    Route("/surveys/<int:survey_id>/open", OFFICE, method="POST", params=DRAFT),
    Route("/surveys/<int:survey_id>/answer", allow("member", **NO_ORG), method="POST", params=SURVEY,
          data=lambda w: {"submit": "1", f"q{w['survey_question'].id}": "0"}),
    Route("/surveys/<int:survey_id>/themes", allow("member"), method="POST", params=SURVEY),
    Route("/surveys/<int:survey_id>/results", EVERYONE, params=SURVEY),
    Route("/surveys/<int:survey_id>/results.csv", OFFICE, params=SURVEY),
    Route("/surveys/<int:survey_id>/results.xlsx", OFFICE, params=SURVEY),
    Route("/exchange", EVERYONE),
    Route("/exchange", OFFICE, method="POST", data={"name": "Betriebliches Gesundheitsmanagement"}),
    Route("/exchange/<int:theme_id>", EVERYONE, params=THEME),
    Route("/exchange/<int:theme_id>/status", allow("member"), method="POST", params=THEME,
          data={"status": "practised", "shares": "y"}),
    Route("/exchange/<int:theme_id>/contact/<int:row_id>", allow("member", **NO_ORG), method="POST",
          params={"theme_id": "theme", "row_id": "helper_row"}, data={"message": "Wie fangen wir an?"}),
    Route("/exchange/<int:theme_id>/group", OFFICE, method="POST", params=THEME,
          data=lambda w: {"name": "Lastenrad-Reallabor", "moderator": w["moderator"].id}),
]
