"""Company surveys: the walk from writing a questionnaire to its results and exports (issue 16)."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from portal.privacy.export import EXPORTERS
from portal.surveys.models import ResponseStatus, Survey, SurveyResponse
from portal.surveys.reminders import send_reminders
from portal.types import local_today


def _new_survey(client, **overrides) -> None:
    today = local_today()
    data = {"title": "Nachhaltige Mobilität", "intro": "Wie kommen Ihre Leute zur Arbeit?",
            "opens_on": today.isoformat(), "closes_on": (today + timedelta(days=14)).isoformat(),
            "respondent": "organization", **overrides}
    response = client.post("/surveys/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def _survey(db) -> Survey:
    return db.session.scalar(select(Survey).order_by(Survey.id.desc()))


QUESTIONS = [
    {"kind": "single_choice", "text": "Wie kommen die meisten?", "options": "Auto\nRad\nÖPNV", "required": "y"},
    {"kind": "matrix", "text": "Was gibt es bei Ihnen?", "statements": "Jobrad\nJobticket",
     "scale": "eingeführt\ngeplant\nkein Thema", "required": "y"},
    {"kind": "number", "text": "Wie viele Beschäftigte?"},
    {"kind": "long_text", "text": "Was hat sich bewährt?"},
]


def _write(client, db, **overrides) -> Survey:
    _new_survey(client, **overrides)
    survey = _survey(db)
    for question in QUESTIONS:
        assert client.post(f"/surveys/{survey.id}/questions", data=question).status_code == 302
    return survey


def _answer(kind="submit", **values):
    return {kind: "1", **values}


def test_walk_from_questionnaire_to_results_and_exports(app, client, db, make, login_as, outbox):
    office = make.person("office", name="Olga Office")
    org_a, org_b = make.organization(name="Bäckerei Korn", sector="Handwerk"), make.organization(name="Kaufhaus Ost", sector="Handel")
    anna = make.person(name="Anna Korn", organization=org_a)
    bert = make.person(name="Bert Korn", organization=org_a)
    cara = make.person(name="Cara Ost", organization=org_b)
    login_as(office)
    survey = _write(client, db)
    assert survey.is_draft and len(survey.questions) == 4
    q1, q2, q3, q4 = survey.questions
    # a question of a kind without its options is refused at the field, as typed
    bad = client.post(f"/surveys/{survey.id}/questions", data={"kind": "single_choice", "text": "Welche?",
                                                                "options": "nur eine"})
    assert bad.status_code == 422 and "mindestens zwei Antwortmöglichkeiten" in bad.get_data(as_text=True)
    assert "nur eine" in bad.get_data(as_text=True)

    # members do not see a draft; opening it invites them
    login_as(anna)
    assert client.get(f"/surveys/{survey.id}").status_code == 403
    login_as(office)
    assert client.post(f"/surveys/{survey.id}/open").status_code == 302
    assert {m["To"] for m in outbox.messages} >= {anna.email, bert.email, cara.email}

    # Anna: on the start page; a wrong answer is refused per question and nothing typed is lost
    login_as(anna)
    assert "Nachhaltige Mobilität" in client.get("/").get_data(as_text=True)
    bad = client.post(f"/surveys/{survey.id}/answer", data=_answer(**{
        f"q{q1.id}": "1", f"q{q2.id}-0": "0", f"q{q3.id}": "zwölf", f"q{q4.id}": "Jobrad seit 2017"}))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Bitte eine Zahl eingeben" in page and "Bitte jede Zeile beantworten." in page
    assert "Jobrad seit 2017" in page and 'value="zwölf"' in page
    assert db.session.scalar(select(SurveyResponse)) is None
    # a draft keeps what is there and may be incomplete
    assert client.post(f"/surveys/{survey.id}/answer", data=_answer("draft", **{
        f"q{q1.id}": "1", f"q{q2.id}-0": "0"})).status_code == 302
    response = db.session.scalar(select(SurveyResponse))
    assert response.status is ResponseStatus.DRAFT and response.organization_id == org_a.id
    assert 'value="1" checked' in client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    # Bert sees who is answering for the organization and cannot answer
    login_as(bert)
    assert "Anna Korn" in client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    refused = client.post(f"/surveys/{survey.id}/answer", data=_answer(**{f"q{q1.id}": "0"}))
    assert refused.status_code == 422 and "schon geantwortet" in refused.get_data(as_text=True)
    # Anna completes and submits; then changes her answer before the close
    login_as(anna)
    done = _answer(**{f"q{q1.id}": "1", f"q{q2.id}-0": "0", f"q{q2.id}-1": "1", f"q{q3.id}": "12",
                      f"q{q4.id}": "Jobrad seit 2017"})
    assert client.post(f"/surveys/{survey.id}/answer", data=done).status_code == 302
    assert client.post(f"/surveys/{survey.id}/answer", data={**done, f"q{q3.id}": "14"}).status_code == 302
    db.session.refresh(response)
    assert response.is_submitted and any(a.value == "14" for a in response.answers)
    login_as(bert)
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "Beantwortet für Bäckerei Korn von Anna Korn" in page and "Antwort abschicken" not in page

    # results: hidden below the threshold (2 < 5), shown above it (threshold 2)
    login_as(cara)
    assert client.post(f"/surveys/{survey.id}/answer", data=_answer(**{
        f"q{q1.id}": "0", f"q{q2.id}-0": "1", f"q{q2.id}-1": "1", f"q{q3.id}": "40"})).status_code == 302
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert "Zu wenige Antworten" in page and "Jobrad seit 2017" not in page
    app.config["SURVEY_MIN_GROUP"] = 2
    try:
        page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
        assert "Zu wenige Antworten" not in page
        assert "Median 27" in page and "Jobrad seit 2017" in page and "<svg" in page
        # a filter to one sector is a group of one: hidden again
        assert "Zu wenige Antworten" in client.get(f"/surveys/{survey.id}/results?sector=Handel").get_data(as_text=True)
    finally:
        app.config["SURVEY_MIN_GROUP"] = 5

    # exports: the office only; CSV and XLSX open
    assert client.get(f"/surveys/{survey.id}/results.csv").status_code == 403
    login_as(office)
    csv_text = client.get(f"/surveys/{survey.id}/results.csv").data.decode("utf-8-sig")
    assert "Bäckerei Korn" in csv_text and "Was gibt es bei Ihnen?: Jobrad" in csv_text
    book = load_workbook(io.BytesIO(client.get(f"/surveys/{survey.id}/results.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[0][0] == "Antwortende"
    assert {r[0] for r in rows[1:]} == {"Bäckerei Korn", "Kaufhaus Ost"} and "14" in rows[1] + rows[2]

    # when Anna leaves, Bert takes over the organization's answer
    anna.active = False
    db.session.commit()
    login_as(bert)
    assert client.post(f"/surveys/{survey.id}/answer", data={**done, f"q{q3.id}": "15"}).status_code == 302
    db.session.refresh(response)
    assert response.answered_by_id == bert.id
    anna.active = True
    db.session.commit()

    # after the close: refused with a clear message
    survey.closes_on = local_today() - timedelta(days=1)
    db.session.commit()
    login_as(bert)
    late = client.post(f"/surveys/{survey.id}/answer", data=done)
    assert late.status_code == 422 and "geschlossen" in late.get_data(as_text=True)


def test_person_survey_takes_one_answer_per_person(client, db, make, login_as):
    office = make.person("office")
    org = make.organization()
    anna, bert = make.person(organization=org), make.person(organization=org)
    login_as(office)
    survey = _write(client, db, respondent="person", anonymous="y")
    client.post(f"/surveys/{survey.id}/open")
    q1, q2 = survey.questions[:2]
    for person in (anna, bert):
        login_as(person)
        assert client.post(f"/surveys/{survey.id}/answer", data=_answer(**{
            f"q{q1.id}": "2", f"q{q2.id}-0": "0", f"q{q2.id}-1": "2"})).status_code == 302
    responses = db.session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)).all()
    assert sorted(r.person_id for r in responses) == sorted([anna.id, bert.id])
    login_as(office)
    page = client.get(f"/surveys/{survey.id}/results").get_data(as_text=True)
    assert "Noch nicht geantwortet" not in page  # anonymous: nobody named
    # each person's own answers are in their data download
    rows = EXPORTERS["survey_answers"](anna)
    assert {r["survey"] for r in rows} == {"Nachhaltige Mobilität"} and {r["value"] for r in rows} >= {"ÖPNV"}


def test_reminders_go_once_to_those_whose_organization_has_not_answered(client, db, make, login_as, outbox):
    office = make.person("office")
    done_org, late_org = make.organization(), make.organization()
    answered = make.person(organization=done_org)
    colleague = make.person(organization=done_org)
    late = make.person(organization=late_org)
    login_as(office)
    survey = _write(client, db)
    client.post(f"/surveys/{survey.id}/open")
    q1, q2 = survey.questions[:2]
    login_as(answered)
    client.post(f"/surveys/{survey.id}/answer", data=_answer(**{f"q{q1.id}": "0", f"q{q2.id}-0": "0",
                                                                   f"q{q2.id}-1": "0"}))
    outbox.clear()
    day = survey.closes_on - timedelta(days=2)
    assert send_reminders(day) == 1
    assert [m["To"] for m in outbox.messages] == [late.email]
    assert send_reminders(day) == 0
    assert colleague.email not in [m["To"] for m in outbox.messages]


@pytest.mark.parametrize("path", ["/surveys", "/surveys/{id}/results", "/"])
def test_pages_do_not_grow_with_answers(client, db, make, login_as, count_queries, path, app):
    office = make.person("office")
    login_as(office)
    survey = _write(client, db)
    client.post(f"/surveys/{survey.id}/open")
    q1, q2 = survey.questions[:2]
    app.config["SURVEY_MIN_GROUP"] = 1
    counts = []
    try:
        for size in (2, 6):
            while db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)
                                    .order_by(SurveyResponse.id.desc()).offset(size - 1)) is None:
                member = make.person(organization=make.organization())
                login_as(member)
                client.post(f"/surveys/{survey.id}/answer", data=_answer(**{
                    f"q{q1.id}": "0", f"q{q2.id}-0": "0", f"q{q2.id}-1": "1", f"q{survey.questions[2].id}": "3"}))
            login_as(office)
            with count_queries() as counter:
                assert client.get(path.format(id=survey.id)).status_code == 200
            counts.append(counter.count)
    finally:
        app.config["SURVEY_MIN_GROUP"] = 5
    assert counts[0] == counts[1], counts


def test_results_filter_by_working_group_and_the_reminder_command(app, client, db, make, login_as, runner):
    office = make.person("office")
    in_group, outside = make.organization(name="Rad & Tat"), make.organization(name="Autohaus Blech")
    anna, otto = make.person(organization=in_group), make.person(organization=outside)
    group = make.group(members=[anna], name="Mobilität im Quartier")
    login_as(office)
    survey = _write(client, db)
    client.post(f"/surveys/{survey.id}/open")
    q1, q2 = survey.questions[:2]
    for person, mode in ((anna, "1"), (otto, "0")):
        login_as(person)
        client.post(f"/surveys/{survey.id}/answer", data=_answer(**{
            f"q{q1.id}": mode, f"q{q2.id}-0": "0", f"q{q2.id}-1": "0"}))
    app.config["SURVEY_MIN_GROUP"] = 1
    try:
        page = client.get(f"/surveys/{survey.id}/results?group={group.id}").get_data(as_text=True)
    finally:
        app.config["SURVEY_MIN_GROUP"] = 5
    assert "Ausgewertet: 1 Antwort." in page
    # nonsense in the filter is ignored, not a 500
    assert client.get(f"/surveys/{survey.id}/results?group=x&sector=Unbekannt").status_code == 200
    result = runner.invoke(args=["send-survey-reminders"])
    assert result.exit_code == 0 and "Umfrage-Erinnerung" in result.output


def test_the_office_takes_a_question_out_of_a_draft_and_every_step_is_recorded(client, db, make, login_as):
    from portal.audit.models import AuditEvent

    office = login_as(make.person("office", name="Olga Office"))
    member = make.person(name="Mia Korn", organization=make.organization(name="Bäckerei Korn"))
    survey = _write(client, db)
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "(Einfachauswahl, Pflicht)" in page and "(Matrix (Aussagen × Skala), Pflicht)" in page
    assert "single_choice" not in page.split("<form")[0]  # the kind in words, not its code
    assert 'data-confirm="Die Umfrage öffnen' in page  # opening invites everyone: asked first
    number = survey.questions[2]
    assert client.post(f"/surveys/{survey.id}/questions/{number.id}/remove").status_code == 302
    db.session.refresh(survey)
    assert [q.text for q in survey.questions] == ["Wie kommen die meisten?", "Was gibt es bei Ihnen?",
                                                   "Was hat sich bewährt?"]
    assert [q.position for q in survey.questions] == [1, 2, 3]
    assert client.post(f"/surveys/{survey.id}/questions/99999/remove").status_code == 404

    assert client.post(f"/surveys/{survey.id}/open").status_code == 302
    first = survey.questions[0]
    refused = client.post(f"/surveys/{survey.id}/questions/{first.id}/remove", follow_redirects=True)
    assert "Eine geöffnete Umfrage behält ihre Fragen." in refused.get_data(as_text=True)
    assert len(survey.questions) == 3
    login_as(member)
    client.post(f"/surveys/{survey.id}/answer", data=_answer("draft", **{f"q{first.id}": "1"}))
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["survey.create", *["survey.question_add"] * 4, "survey.question_remove", "survey.open",
                       "survey.answer_draft"]
    answered = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.answer_draft"))
    assert answered.actor_id == member.id and "Rad" not in str(answered.changes)  # no answers in the log
    assert office.id == db.session.scalar(select(AuditEvent.actor_id).where(AuditEvent.action == "survey.open"))


def test_a_share_question_speaks_for_the_linked_matrix_without_a_tick(client, db, make, login_as):
    """'Wir teilen unsere Erfahrung dazu' exists for the exchange: it applies to the linked matrix's
    themes without the office having to tick 'füllt die Erfahrungsbörse' on it as well."""
    from portal.exchange.models import OrganizationTheme, Theme

    theme = make._add(Theme(name="Lastenrad-Logistik"))
    login_as(make.person("office"))
    survey = _write(client, db)
    matrix = client.post(f"/surveys/{survey.id}/questions", data={
        "kind": "matrix", "text": "Was gibt es?", "statements": "Lastenrad-Logistik",
        "scale": "eingeführt\ngeplant\nkein Thema", "links_themes": "y"})
    share = client.post(f"/surveys/{survey.id}/questions", data={"kind": "share_experience", "text": "Teilen Sie?"})
    assert matrix.status_code == share.status_code == 302
    db.session.refresh(survey)
    matrix, share = survey.questions[-2:]
    assert share.links_themes
    client.post(f"/surveys/{survey.id}/open")
    member = login_as(make.person(name="Paul Rad", organization=make.organization(name="Radhaus")))
    first, second = survey.questions[:2]
    assert client.post(f"/surveys/{survey.id}/answer", data=_answer(**{
        f"q{first.id}": "1", f"q{second.id}-0": "0", f"q{second.id}-1": "0", f"q{matrix.id}-0": "0",
        f"q{share.id}": "yes"})).status_code == 302
    assert "Wir teilen unsere Erfahrung (Sie als Kontaktperson)" in client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    client.post(f"/surveys/{survey.id}/themes")
    row = db.session.scalar(select(OrganizationTheme).where(OrganizationTheme.theme_id == theme.id))
    assert row.status == "practised" and row.shares and row.contact_id == member.id


def test_a_survey_closed_in_the_period_has_its_section_in_dashboard_and_pdf(client, make, login_as):
    """Response rate and the charts with their number tables; a survey still running is not reported."""
    from pypdf import PdfReader

    from portal.surveys.models import SurveyAnswer, SurveyQuestion

    today = local_today()
    closed = make._add(Survey(title="Mobilität im Betrieb", opens_on=today - timedelta(days=40),
                              closes_on=today - timedelta(days=10), status="open"))
    running = make._add(Survey(title="Noch offen", opens_on=today - timedelta(days=2),
                               closes_on=today, status="open"))
    share = make._add(SurveyQuestion(survey=closed, kind="share_experience", text="Teilen Sie Ihre Erfahrung?",
                                     position=1))
    for n in range(6):
        person = make.person(name=f"Inhaberin {n}", organization=make.organization(name=f"Betrieb {n}"))
        response = make._add(SurveyResponse(survey=closed, organization_id=person.organization_id,
                                            answered_by_id=person.id, status=ResponseStatus.SUBMITTED))
        make._add(SurveyAnswer(response=response, question_id=share.id, item=0, value="yes" if n < 4 else "no"))
    make.person(name="Ohne Antwort", organization=make.organization(name="Betrieb 6"))
    login_as(make.person("observer"))
    period = {"start": (today - timedelta(days=60)).isoformat(), "end": (today + timedelta(days=30)).isoformat()}
    page = client.get("/reports", query_string=period).get_data(as_text=True)
    assert "Umfrage: Mobilität im Betrieb" in page and "Rücklauf 85,7 %: 6 von 7." in page
    assert "Antworten je Möglichkeit (6 Organisationen haben geantwortet)." in page
    assert "<svg" in page and "66,7 %" in page  # the chart and its table: 4 of 6 share
    assert "Noch offen" not in page
    pdf = client.get("/reports/progress.pdf", query_string=period)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Umfrage: Mobilität im Betrieb" in text and "Noch offen" not in text
    assert running.id  # made, and left out
