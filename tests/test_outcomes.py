"""Outcomes (projects such as "Louise") with dated milestones, managed by the office."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db as _db
from portal.reports.models import Milestone, Outcome
from portal.reports.outcomes import OutcomeError, OutcomeInput, create_outcome
from tests.factories import utc


@pytest.fixture
def office(make, login_as):
    return login_as(make.person("office", password=None))


@pytest.fixture
def origin(make):
    group = make.group(name="Handel der Zukunft")
    meeting = make.meeting(group, starts_at=utc(2017, 6, 14, 15), status="held", title="2. Sitzung")
    decision = make.decision(meeting, text="Louise wird als Projekt verfolgt.")
    other = make.meeting(None, starts_at=utc(2017, 3, 16, 16), status="held", title="Plenum")
    return {"group": group, "meeting": meeting, "decision": decision, "other": other}


def audit(action: str) -> list[AuditEvent]:
    return list(_db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_office_creates_outcome_with_origin_and_milestones(client, office, origin):
    response = client.post("/outcomes/new", data={
        "title": "Louise – Stadtlogistik", "description": "Software für den **Handel**",
        "partners": "Werbegemeinschaft", "status": "running", "group": "",
        "origin_meeting": "", "origin_decision": str(origin["decision"].id),
        "milestones-0-title": "Pilot", "milestones-0-due_on": "2018-09-30", "milestones-0-reached_on": "2018-10-12",
        "milestones-1-title": "", "milestones-1-due_on": "",
        "milestones-2-title": "Regelbetrieb", "milestones-2-due_on": "2027-03-31",
    })
    assert response.status_code == 302
    outcome = _db.session.scalars(select(Outcome)).one()
    # the decision names its meeting, and the meeting its group
    assert outcome.origin_meeting_id == origin["meeting"].id
    assert outcome.group_id == origin["group"].id
    assert [(m.title, m.due_on, m.reached_on) for m in outcome.milestones] == [
        ("Pilot", date(2018, 9, 30), date(2018, 10, 12)), ("Regelbetrieb", date(2027, 3, 31), None)]
    assert len(audit("outcome.create")) == 1 and len(audit("milestone.create")) == 2
    page = client.get(response.headers["Location"]).text
    assert "Louise – Stadtlogistik" in page and "<strong>Handel</strong>" in page
    assert "2. Sitzung" in page and "Regelbetrieb" in page


def test_office_edits_outcome_changes_removes_and_adds_milestones(client, office, make, origin):
    outcome = make.outcome(origin["group"], title="Louise", status="idea")
    pilot = make.milestone(outcome, title="Pilot", due_on=date(2018, 9, 30))
    concept = make.milestone(outcome, title="Konzept", due_on=date(2017, 12, 1))
    form = client.get(f"/outcomes/{outcome.id}/edit").text
    assert 'value="Pilot"' in form and 'value="Konzept"' in form
    response = client.post(f"/outcomes/{outcome.id}/edit", data={
        "title": "Louise", "status": "completed", "group": str(origin["group"].id),
        "milestones-0-id": str(concept.id), "milestones-0-title": "Konzept", "milestones-0-due_on": "2017-12-01",
        "milestones-0-remove": "y",
        "milestones-1-id": str(pilot.id), "milestones-1-title": "Pilot mit 8 Geschäften",
        "milestones-1-due_on": "2018-09-30", "milestones-1-reached_on": "2018-10-12",
        "milestones-2-title": "Regelbetrieb", "milestones-2-due_on": "2027-03-31",
    })
    assert response.status_code == 302
    _db.session.expire_all()
    outcome = _db.session.get(Outcome, outcome.id)
    assert outcome.status == "completed"
    assert [(m.title, m.reached_on) for m in outcome.milestones] == [
        ("Pilot mit 8 Geschäften", date(2018, 10, 12)), ("Regelbetrieb", None)]
    assert _db.session.get(Milestone, concept.id) is None
    assert audit("outcome.update")[0].changes == {"status": ["idea", "completed"]}
    assert len(audit("milestone.delete")) == 1 and len(audit("milestone.update")) == 1


def test_milestone_of_another_outcome_is_never_touched(client, office, make, origin):
    outcome = make.outcome(origin["group"], title="Louise")
    foreign = make.milestone(make.outcome(None, title="Anderes"), title="Fremd", due_on=date(2020, 1, 1))
    response = client.post(f"/outcomes/{outcome.id}/edit", data={
        "title": "Louise", "status": "idea",
        "milestones-0-id": str(foreign.id), "milestones-0-title": "Gekapert", "milestones-0-due_on": "2020-01-01",
        "milestones-0-remove": "y",
    })
    assert response.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Milestone, foreign.id).title == "Fremd"


@pytest.mark.parametrize("data,message", [
    ({"title": "", "status": "idea"}, "Bitte einen Titel angeben."),
    ({"title": "Louise", "status": "idea", "milestones-0-title": "Pilot"}, "Bitte ein Datum angeben."),
    ({"title": "Louise", "status": "idea", "milestones-0-due_on": "2020-01-01"}, "Bitte einen Titel angeben."),
    ({"title": "Louise", "status": "idea", "milestones-0-title": "Pilot", "milestones-0-due_on": "2020-02-31"},
     "Datum"),
    ({"title": "Louise", "status": "erfunden"}, "Status"),
    ({"title": "Louise", "status": "idea", "milestones-0-title": "Pilot", "milestones-0-due_on": "2020-01-01",
      "milestones-0-reached_on": "2999-01-01"}, "nicht in der Zukunft"),
])
def test_bad_input_rerenders_with_message_and_keeps_what_was_typed(client, office, data, message):
    response = client.post("/outcomes/new", data=data)
    assert response.status_code == 422
    assert message in response.text
    assert "Bitte prüfen Sie Ihre Eingaben." in response.text or "nicht in der Zukunft" in response.text
    if data.get("milestones-0-title"):
        assert f'value="{data["milestones-0-title"]}"' in response.text
    assert _db.session.scalars(select(Outcome)).all() == []


def test_decision_of_another_meeting_is_refused(client, office, origin):
    response = client.post("/outcomes/new", data={
        "title": "Louise", "status": "idea", "origin_meeting": str(origin["other"].id),
        "origin_decision": str(origin["decision"].id)})
    assert response.status_code == 422
    assert "Der Beschluss gehört nicht zum gewählten Treffen." in response.text


def test_unknown_choices_and_ids(client, office, origin):
    response = client.post("/outcomes/new", data={"title": "X", "status": "idea", "group": "99999"})
    assert response.status_code == 422
    assert client.get("/outcomes/99999").status_code == 404
    assert client.get("/outcomes/99999/edit").status_code == 404


def test_logic_refuses_blank_title(db, make):
    with pytest.raises(OutcomeError):
        create_outcome(make.person("office", password=None), OutcomeInput(title="  "))


def test_outcomes_list_filters_and_shows_milestone_progress(client, login_as, make, origin):
    login_as(make.person("member", password=None))
    louise = make.outcome(origin["group"], title="Louise", status="running")
    make.milestone(louise, title="Pilot", due_on=date(2018, 9, 30), reached_on=date(2018, 10, 1))
    make.milestone(louise, title="Regelbetrieb", due_on=date(2027, 3, 31))
    make.outcome(None, title="Stammtisch", status="stopped")
    page = client.get("/outcomes").text
    assert "Louise" in page and "Stammtisch" in page and "Regelbetrieb" in page and "1 / 2" in page
    running = client.get("/outcomes?status=running").text
    assert "Louise" in running and "Stammtisch" not in running
    by_group = client.get(f"/outcomes?group={origin['group'].id}").text
    assert "Louise" in by_group and "Stammtisch" not in by_group
    assert "Ergebnis erfassen" not in page  # members read, the office writes


# deleting --------------------------------------------------------------------------------------

REPORT = "/reports?start=2018-01-01&end=2018-12-31"
OUTCOMES = "/outcomes"  # the dashboard counts the outcomes; their list (linked from there) names them


def test_office_deletes_a_test_outcome_after_confirming_and_the_audit_keeps_it(client, office, make, origin):
    outcome = make.outcome(origin["group"], title="Testergebnis bitte löschen", status="running",
                           partners="Niemand")
    pilot = make.milestone(outcome, title="Testmeilenstein", due_on=date(2018, 9, 30),
                           reached_on=date(2018, 10, 1))
    ids = (outcome.id, pilot.id)
    assert "Testergebnis bitte löschen" in client.get(OUTCOMES).text and "läuft: <strong>1<" in client.get(REPORT).text
    assert f"/outcomes/{outcome.id}/delete" in client.get(f"/outcomes/{outcome.id}").text

    question = client.get(f"/outcomes/{outcome.id}/delete")
    assert question.status_code == 200 and "Ergebnis löschen?" in question.text
    assert "Testergebnis bitte löschen" in question.text and 'name="confirm" value="yes"' in question.text
    client.post(f"/outcomes/{outcome.id}/delete")  # sent without the confirming button: asks again
    assert _db.session.get(Outcome, ids[0]) is not None

    response = client.post(f"/outcomes/{outcome.id}/delete", data={"confirm": "yes"}, follow_redirects=True)
    assert "wurde gelöscht" in response.text
    _db.session.expire_all()
    assert _db.session.get(Outcome, ids[0]) is None and _db.session.get(Milestone, ids[1]) is None
    assert "Testergebnis bitte löschen" not in client.get(OUTCOMES).text
    assert "läuft: <strong>" not in client.get(REPORT).text
    [deleted] = audit("outcome.delete")
    assert deleted.entity_id == ids[0] and deleted.actor_id == office.id
    assert deleted.changes["title"] == ["Testergebnis bitte löschen", None]
    assert deleted.changes["partners"] == ["Niemand", None]
    assert deleted.changes["status"] == ["running", None]
    assert deleted.changes["group_id"] == [origin["group"].id, None]
    [milestone] = audit("milestone.delete")
    assert milestone.entity_id == ids[1] and milestone.changes["outcome_id"] == [ids[0], None]
    assert milestone.changes["due_on"] == ["2018-09-30", None]
    assert milestone.changes["reached_on"] == ["2018-10-01", None]


def test_office_deletes_one_milestone_after_confirming(client, office, make, origin):
    outcome = make.outcome(origin["group"], title="Louise")
    wrong = make.milestone(outcome, title="Versehentlich angelegt", due_on=date(2018, 5, 1))
    kept = make.milestone(outcome, title="Pilot", due_on=date(2018, 9, 30))
    assert "Versehentlich angelegt" in client.get(f"/outcomes/{outcome.id}").text
    page = client.get(f"/outcomes/{outcome.id}").text
    assert f"/outcomes/{outcome.id}/milestones/{wrong.id}/delete" in page

    question = client.get(f"/outcomes/{outcome.id}/milestones/{wrong.id}/delete")
    assert "Meilenstein löschen?" in question.text and "Versehentlich angelegt" in question.text
    response = client.post(f"/outcomes/{outcome.id}/milestones/{wrong.id}/delete", data={"confirm": "yes"})
    assert response.headers["Location"].endswith(f"/outcomes/{outcome.id}")
    assert "wurde gelöscht" in client.get(response.headers["Location"]).text
    _db.session.expire_all()
    assert [m.title for m in outcome.milestones] == ["Pilot"] and kept.id
    [event] = audit("milestone.delete")
    assert event.changes["title"] == ["Versehentlich angelegt", None]
    assert "Versehentlich angelegt" not in client.get(f"/outcomes/{outcome.id}").text


def test_a_milestone_is_deleted_only_through_its_own_outcome(client, office, make, origin):
    louise, other = make.outcome(origin["group"], title="Louise"), make.outcome(None, title="Anderes")
    milestone = make.milestone(other)
    response = client.post(f"/outcomes/{louise.id}/milestones/{milestone.id}/delete", data={"confirm": "yes"})
    assert response.status_code == 404 and _db.session.get(Milestone, milestone.id) is not None
    assert client.get("/outcomes/999999/delete").status_code == 404


def test_only_the_office_sees_the_delete_links(client, login_as, make, origin):
    outcome = make.outcome(origin["group"], title="Louise")
    make.milestone(outcome)
    login_as(make.person("observer"))
    page = client.get(f"/outcomes/{outcome.id}").text
    assert "/delete" not in page
