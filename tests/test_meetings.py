"""Meetings: planning, numbering, agenda, invitations and answers, attendance register, and the
query counts of the list and the meeting page."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import func, insert, select

from portal.actions.models import ActionItem, CarriedActionItem
from portal.audit.models import AuditEvent
from portal.meetings import planning
from portal.meetings.models import AgendaItem, Meeting, Participation
from portal.meetings.series import previous_meeting
from portal.types import utcnow
from tests.factories import utc


@pytest.fixture
def office(make):
    return make.person("office", name="Olga Office", email="olga@example.org")


@pytest.fixture
def moderator(make):
    return make.person(name="Max Moderator", email="max@example.org")


@pytest.fixture
def member(make):
    return make.person(name="Mia Mitglied", email="mia@example.org")


@pytest.fixture
def group(make, moderator, member):
    return make.group(moderator=moderator, members=[member], name="Handel der Zukunft")


def _audit(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _form(**overrides) -> dict:
    data = {"title": "Stadtlogistik", "day": "2031-03-04", "start_time": "16:00", "end_time": "18:00",
            "location": "Rathaus Bottrop, Ernst-Wilmsmann-Platz 1", "room": "Saal 2",
            "organizer_id": "0", "moderator_id": "0", "minute_taker_id": "0"}
    data.update(overrides)
    return data


def _created(db) -> Meeting:
    return db.session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()


# life of a meeting ---------------------------------------------------------------------------

def test_office_plans_invites_and_holds_a_group_session(client, db, login_as, office, moderator, member,
                                                       group, outbox):
    login_as(office)
    response = client.post("/meetings/new", data=_form(series=str(group.id), moderator_id=str(moderator.id),
                                                       minute_taker_id=str(office.id)))
    assert response.status_code == 302
    meeting = _created(db)
    assert response.headers["Location"] == f"/meetings/{meeting.id}"
    assert (meeting.kind, meeting.group_id, meeting.status, meeting.number) == ("group", group.id, "planned", 1)
    assert meeting.starts_at == utc(2031, 3, 4, 15)  # 16:00 in Berlin (winter time) is 15:00 UTC
    assert meeting.organizer_id == office.id

    client.post(f"/meetings/{meeting.id}/agenda", data={
        "title": "Lieferdienst Louise", "kind": "decision", "planned_minutes": "45",
        "presenter_id": str(moderator.id), "description": "Stand des **Pilotprojekts**"})
    client.post(f"/meetings/{meeting.id}/agenda", data={
        "title": "Verschiedenes", "kind": "information", "planned_minutes": "15", "presenter_id": "0"})
    assert [i.title for i in meeting.agenda_items] == ["Lieferdienst Louise", "Verschiedenes"]

    response = client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "y"})
    assert response.status_code == 302
    assert "3 Einladungen werden verschickt." in client.get(response.location).text  # the outbox sends them
    invited = {p.person_id for p in meeting.participations}
    assert invited == {moderator.id, member.id, office.id}
    assert {m["To"] for m in outbox.messages} == {"max@example.org", "mia@example.org", "olga@example.org"}

    login_as(member)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "1. Sitzung des Reallabors „Handel der Zukunft“" in page
    assert "Samstag" not in page and "Dienstag, 4. März 2031, 16:00" in page
    assert "TOP 1" in page and "TOP 2" in page and "<strong>Pilotprojekts</strong>" in page
    assert "16:45" in page  # TOP 2 starts after the 45 minutes of TOP 1
    client.post(f"/meetings/{meeting.id}/rsvp", data={"answer": "accepted"})
    assert next(p for p in meeting.participations if p.person_id == member.id).rsvp == "accepted"

    login_as(office)
    meeting.starts_at, meeting.ends_at = utcnow() - timedelta(hours=2), utcnow()  # time passes
    db.session.flush()
    response = client.post(f"/meetings/{meeting.id}/held")
    assert response.status_code == 302 and meeting.status == "held"
    assert "stattgefunden" in client.get(f"/meetings/{meeting.id}").text
    for action in ("meeting.create", "agenda.add", "meeting.invite", "meeting.rsvp", "meeting.held"):
        assert _audit(db, action), action


def test_meeting_cannot_be_marked_held_before_it_starts(client, db, login_as, office, group, make):
    meeting = make.meeting(group, starts_at=utcnow() + timedelta(days=3))
    db.session.commit()
    login_as(office)
    response = client.post(f"/meetings/{meeting.id}/held", follow_redirects=True)
    assert "erst nach seinem Beginn" in response.text
    assert meeting.status == "planned"


def test_mark_held_is_offered_only_once_the_meeting_has_started(client, db, login_as, office, group, make):
    coming = make.meeting(group, starts_at=utcnow() + timedelta(days=3))
    begun = make.meeting(group, starts_at=utcnow() - timedelta(minutes=10))
    login_as(office)
    assert "Als stattgefunden markieren" not in client.get(f"/meetings/{coming.id}").text
    assert "Als stattgefunden markieren" in client.get(f"/meetings/{begun.id}").text


def test_meeting_whose_minutes_are_approved_can_no_longer_be_moved_or_renamed(client, db, login_as, office,
                                                                              group, make, member):
    meeting = make.meeting(group, title="Stadtlogistik", starts_at=utc(2024, 6, 3, 14), status="held",
                           minutes_status="approved")
    make.participation(meeting, member, rsvp="accepted", attendance="present")
    db.session.commit()
    login_as(office)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Bearbeiten oder verlegen" not in page
    response = client.get(f"/meetings/{meeting.id}/edit", follow_redirects=True)
    assert "Das Protokoll dieses Treffens ist genehmigt" in response.text
    response = client.post(f"/meetings/{meeting.id}/edit", data=_form(title="Anderes Thema", day="2024-06-10"),
                           follow_redirects=True)
    assert "können nicht mehr geändert werden" in response.text
    assert (meeting.title, meeting.starts_at) == ("Stadtlogistik", utc(2024, 6, 3, 14))
    login_as(member)  # a held meeting takes no more answers: no buttons
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Sie sind eingeladen." in page and "rsvp-buttons" not in page


def test_cancelled_meeting_shows_reason_and_refuses_changes(client, db, login_as, office, group, make, member,
                                                           outbox):
    meeting = make.meeting(group, title="Sitzung im März")
    make.participation(meeting, member)
    login_as(office)
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"reason": ""})
    assert response.status_code == 422 and "Bitte einen Grund für die Absage angeben." in response.text
    assert meeting.status == "planned" and outbox.messages == []

    client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Der Saal ist belegt."})
    assert (meeting.status, meeting.cancel_reason, meeting.ical_sequence) == ("cancelled", "Der Saal ist belegt.", 1)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Dieses Treffen ist abgesagt." in page and "Der Saal ist belegt." in page
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 302
    response = client.post(f"/meetings/{meeting.id}/agenda", data={
        "title": "Noch ein Punkt", "kind": "information", "planned_minutes": "5", "presenter_id": "0"},
        follow_redirects=True)
    assert "abgesagten Treffens" in response.text and meeting.agenda_items == []
    assert _audit(db, "meeting.cancel")[0].changes["status"] == ["planned", "cancelled"]


# permissions beyond the route table ----------------------------------------------------------

def test_moderator_plans_only_sessions_of_own_group(client, db, login_as, moderator, group, make):
    other = make.group(name="Handwerk digital")
    login_as(moderator)
    page = client.get("/meetings/new").text
    assert "Handel der Zukunft" in page and "Handwerk digital" not in page and 'value="plenary"' not in page
    assert client.post("/meetings/new", data=_form(series=str(other.id))).status_code == 403
    assert client.post("/meetings/new", data=_form(series="plenary")).status_code == 403
    plenary = make.meeting(None)
    assert client.get(f"/meetings/{plenary.id}/edit").status_code == 403


def test_office_plans_plenary_meetings_numbered_in_their_own_series(client, db, login_as, office, make,
                                                                   group):
    make.meeting(None, number=7, starts_at=utc(2030, 11, 5, 16), status="held")
    make.meeting(group, number=12, starts_at=utc(2030, 12, 5, 16), status="held")
    login_as(office)
    client.post("/meetings/new", data=_form(series="plenary", title="Umwelt- und Gesundheitsmanagement"))
    meeting = _created(db)
    assert (meeting.kind, meeting.group_id, meeting.number) == ("plenary", None, 8)
    assert "8. Treffen der Wirtschaftsallianz Bottrop" in client.get(f"/meetings/{meeting.id}").text
    client.post("/meetings/new", data=_form(series=str(group.id)))
    assert _created(db).number == 13


def test_a_cancelled_meeting_does_not_count_in_the_series(client, db, login_as, office, make, group):
    make.meeting(group, number=3, starts_at=utc(2030, 1, 5, 16), status="held")
    make.meeting(group, number=4, starts_at=utc(2030, 2, 5, 16), status="cancelled")
    login_as(office)
    client.post("/meetings/new", data=_form(series=str(group.id)))
    assert _created(db).number == 4


def test_a_cancelled_meeting_shows_no_number(client, db, login_as, member, make, group):
    cancelled = make.meeting(group, number=4, status="cancelled", cancel_reason="Saal belegt")
    login_as(member)
    page = client.get(f"/meetings/{cancelled.id}").text
    assert "Sitzung des Reallabors „Handel der Zukunft“" in page and "4. Sitzung" not in page


def test_new_session_before_planned_later_ones_moves_their_numbers_up(client, db, login_as, office, make,
                                                                      group):
    make.meeting(group, number=7, starts_at=utc(2031, 1, 5, 16), status="held", minutes_status="published")
    march = make.meeting(group, number=8, starts_at=utc(2031, 3, 5, 16), title="März")
    april = make.meeting(group, number=9, starts_at=utc(2031, 4, 5, 16), title="April")
    june = make.meeting(group, number=12, starts_at=utc(2031, 6, 5, 16), title="Juni")
    login_as(office)
    response = client.post("/meetings/new", data=_form(series=str(group.id), day="2031-02-05", title="Februar"))
    assert response.status_code == 302
    assert (_created(db).number, march.number, april.number, june.number) == (8, 9, 10, 12)
    assert sorted(e.changes["number"] for e in _audit(db, "meeting.renumber")) == [[8, 9], [9, 10]]
    numbers = db.session.scalars(select(Meeting.number).where(Meeting.group_id == group.id)).all()
    assert len(numbers) == len(set(numbers))


def test_numbers_of_held_sessions_stay_and_a_taken_number_is_refused(client, db, login_as, office, make,
                                                                     group):
    make.meeting(group, number=7, starts_at=utc(2026, 1, 5, 16), status="held")
    held = make.meeting(group, number=8, starts_at=utc(2026, 3, 5, 16), status="held", title="Märzsitzung")
    db.session.commit()
    login_as(office)
    response = client.post("/meetings/new", data=_form(series=str(group.id), day="2026-02-05"))
    assert response.status_code == 422 and "zum Beispiel 9" in response.text
    assert 'value="Stadtlogistik"' in response.text and held.number == 8
    response = client.post("/meetings/new", data=_form(series=str(group.id), day="2031-02-05", number="8"))
    assert response.status_code == 422
    assert "Die Nummer 8 trägt in dieser Reihe schon „Märzsitzung“ vom 05.03.2026." in response.text
    assert db.session.scalar(select(func.count()).select_from(Meeting)) == 2
    planned = make.meeting(group, number=9, starts_at=utc(2031, 5, 5, 16))
    db.session.commit()
    response = client.post(f"/meetings/{planned.id}/edit", data=_form(number="8", day="2031-05-05"))
    assert response.status_code == 422 and "Die Nummer 8 trägt" in response.text and planned.number == 9


def test_bad_input_is_shown_at_the_field_and_kept(client, db, login_as, office, group):
    login_as(office)
    response = client.post("/meetings/new", data=_form(series=str(group.id), start_time="18:00",
                                                       end_time="17:00", online_url="javascript:alert(1)"))
    assert response.status_code == 422
    assert "Das Ende muss nach dem Beginn liegen." in response.text
    assert "https://" in response.text
    assert 'value="Stadtlogistik"' in response.text
    response = client.post("/meetings/new", data=_form(series=str(group.id), day="31.02.2031"))
    assert response.status_code == 422 and "Bitte ein gültiges Datum angeben." in response.text
    assert db.session.scalar(select(Meeting.id)) is None


@pytest.mark.parametrize("day", ["9999-12-31", "2205-01-01", "1999-12-31", "0001-01-01"])
def test_meeting_dates_lie_between_2000_and_ten_years_ahead(client, db, login_as, office, group, make, day):
    login_as(office)
    response = client.post("/meetings/new", data=_form(series=str(group.id), day=day, start_time="00:30",
                                                       end_time="01:00"))
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="day-error">([^<]*)</p>', response.text).group(1)
    assert error.startswith("Bitte ein Datum zwischen dem 01.01.2000 und dem ")
    assert db.session.scalar(select(Meeting.id)) is None
    meeting = make.meeting(group, number=1)
    db.session.commit()
    response = client.post(f"/meetings/{meeting.id}/edit", data=_form(day=day))
    assert response.status_code == 422 and 'id="day-error"' in response.text
    assert meeting.starts_at == utc(2030, 3, 10, 16)


def test_planning_logic_refuses_far_dates_too(db, office, group):
    with pytest.raises(planning.MeetingError, match="Bitte ein Datum zwischen") as refused:
        planning.create_meeting(office, kind="group", group=group, title="Tippfehler",
                                starts_at=utc(2205, 3, 1, 15), ends_at=utc(2205, 3, 1, 17))
    assert refused.value.field == "day"


# the automatic first agenda items --------------------------------------------------------------

def test_next_session_starts_with_minutes_approval_open_actions_and_the_last_agenda(
        client, db, login_as, office, make, group, member):
    earlier = make.meeting(group, number=5, starts_at=utc(2030, 1, 10, 16), status="held",
                           minutes_status="published")
    make.agenda_item(earlier, title="Genehmigung des Protokolls der letzten Sitzung", kind="minutes_approval")
    make.agenda_item(earlier, title="Stadtlogistik", kind="discussion", planned_minutes=40)
    make.agenda_item(earlier, title="Förderantrag", kind="decision", planned_minutes=20)
    still_open = make.action_item(member, group, meeting=earlier, title="Händler befragen")
    make.action_item(member, group, meeting=earlier, title="Erledigt", status="done")
    make.meeting(group, starts_at=utc(2030, 2, 10, 16), status="cancelled", minutes_status="none")

    login_as(office)
    client.post("/meetings/new", data=_form(series=str(group.id), day="2030-03-10", copy_previous="y"))
    meeting = _created(db)
    assert previous_meeting(meeting) == earlier
    assert [(i.position, i.kind, i.title) for i in meeting.agenda_items] == [
        (1, "minutes_approval", "Genehmigung des Protokolls der letzten Sitzung"),
        (2, "open_actions", "Offene Aufgaben"),
        (3, "discussion", "Stadtlogistik"),
        (4, "decision", "Förderantrag"),
    ]
    assert meeting.agenda_items[2].planned_minutes == 40
    assert "5. Sitzung" in meeting.agenda_items[0].description
    carried = db.session.scalars(select(CarriedActionItem).where(CarriedActionItem.meeting_id == meeting.id)).all()
    assert [c.action_item_id for c in carried] == [still_open.id]
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Händler befragen" in page  # listed under the "Offene Aufgaben" item


def test_first_session_without_minutes_or_open_actions_starts_empty(client, db, login_as, office, make,
                                                                    group):
    make.meeting(None, starts_at=utc(2030, 1, 10, 16), status="held", minutes_status="published")
    draftless = make.meeting(group, starts_at=utc(2030, 1, 10, 16), status="held", minutes_status="none")
    make.agenda_item(draftless, title="Kennenlernen")
    login_as(office)
    client.post("/meetings/new", data=_form(series=str(group.id)))
    assert _created(db).agenda_items == []


# agenda ----------------------------------------------------------------------------------------

def test_agenda_items_are_reordered_edited_and_removed_without_javascript(client, db, login_as, office,
                                                                         make, group):
    meeting = make.meeting(group, hours=1)
    first = make.agenda_item(meeting, title="Begrüßung", planned_minutes=10)
    second = make.agenda_item(meeting, title="Bericht", planned_minutes=30)
    third = make.agenda_item(meeting, title="Ausblick", planned_minutes=30)
    login_as(office)
    client.post(f"/meetings/{meeting.id}/agenda/{third.id}/move", data={"direction": "up"})
    assert [i.title for i in sorted(meeting.agenda_items, key=lambda i: i.position)] == [
        "Begrüßung", "Ausblick", "Bericht"]
    client.post(f"/meetings/{meeting.id}/agenda/{first.id}/move", data={"direction": "up"})  # stays first
    assert first.position == 1

    response = client.post(f"/meetings/{meeting.id}/agenda/{second.id}", data={
        "title": "Bericht der Geschäftsstelle", "kind": "discussion", "planned_minutes": "abc",
        "presenter_id": "0"})
    assert response.status_code == 422 and second.title == "Bericht"
    client.post(f"/meetings/{meeting.id}/agenda/{second.id}", data={
        "title": "Bericht der Geschäftsstelle", "kind": "discussion", "planned_minutes": "20", "presenter_id": "0"})
    assert (second.title, second.kind, second.planned_minutes) == ("Bericht der Geschäftsstelle", "discussion", 20)

    page = client.get(f"/meetings/{meeting.id}/agenda").text
    assert "überzieht um 0" not in page and "Achtung" not in page  # 10 + 30 + 20 = 60 minutes fit
    client.post(f"/meetings/{meeting.id}/agenda/{first.id}", data={
        "title": "Begrüßung", "kind": "information", "planned_minutes": "25", "presenter_id": "0"})
    assert "überzieht um 15 Minuten" in client.get(f"/meetings/{meeting.id}").text

    client.post(f"/meetings/{meeting.id}/agenda/{third.id}/delete", data={"confirm": "yes"})
    assert [(i.position, i.title) for i in sorted(meeting.agenda_items, key=lambda i: i.position)] == [
        (1, "Begrüßung"), (2, "Bericht der Geschäftsstelle")]
    for action in ("agenda.move", "agenda.update", "agenda.remove"):
        assert _audit(db, action), action


def test_agenda_item_with_a_decision_cannot_be_removed(client, db, login_as, office, make, group):
    meeting = make.meeting(group)
    item = make.agenda_item(meeting, title="Förderantrag")
    make.decision(meeting, agenda_item=item)
    db.session.commit()  # the refusal rolls back the request's changes, not the test's data
    login_as(office)
    response = client.post(f"/meetings/{meeting.id}/agenda/{item.id}/delete", data={"confirm": "yes"}, follow_redirects=True)
    assert "kann nicht entfernt werden" in response.text
    assert db.session.get(AgendaItem, item.id) is not None


def test_agenda_item_of_another_meeting_is_not_found(client, db, login_as, office, make, group):
    meeting, other = make.meeting(group), make.meeting(group)
    item = make.agenda_item(other)
    login_as(office)
    assert client.get(f"/meetings/{meeting.id}/agenda/{item.id}").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/agenda/{item.id}/delete", data={"confirm": "yes"}).status_code == 404
    assert client.get("/meetings/999999").status_code == 404


# invitations, answers and their mails -----------------------------------------------------------

def test_invitation_mail_has_date_place_agenda_link_and_calendar_request(client, db, login_as, office, make,
                                                                         group, member, outbox):
    meeting = make.meeting(group, title="Stadtlogistik", number=4, starts_at=utc(2030, 6, 3, 14),
                           location="Gründerzentrum", room="2.14", online_url="https://meet.example.org/x")
    make.agenda_item(meeting, title="Lieferdienst Louise")
    guest = make.person(name="Gerd Gast", email="gerd@example.org")
    login_as(office)
    client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "", "people": [str(guest.id)]})
    assert [m["To"] for m in outbox.messages] == ["gerd@example.org"]

    client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "y"})
    mails = outbox.to("mia@example.org")
    assert len(mails) == 1 and len(outbox.to("gerd@example.org")) == 1  # nobody twice
    mail = mails[0]
    assert mail["Subject"] == "Einladung: 4. Sitzung des Reallabors „Handel der Zukunft“ – Stadtlogistik"
    text = outbox.text(mail)
    assert "Montag, 3. Juni 2030, 16:00–18:00 Uhr" in text
    assert "Gründerzentrum, 2.14" in text and "https://meet.example.org/x" in text
    assert "TOP 1  Lieferdienst Louise" in text
    assert f"https://portal.example.org/meetings/{meeting.id}" in text
    ics = outbox.calendar(mail).decode()
    assert "METHOD:REQUEST" in ics and "mailto:mia@example.org" in ics


def test_invitee_answers_with_one_click_after_login(client, db, login_as, make, group, member, office):
    meeting = make.meeting(group)
    make.participation(meeting, member, invited_at=utcnow())
    response = client.get(f"/meetings/{meeting.id}")
    assert response.status_code == 302 and f"next=%2Fmeetings%2F{meeting.id}" in response.headers["Location"]
    login_as(member)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Sie sind eingeladen." in page and "keine Antwort" in page
    for answer in ("tentative", "declined"):
        response = client.post(f"/meetings/{meeting.id}/rsvp", data={"answer": answer}, follow_redirects=True)
        assert "Ihre Antwort ist gespeichert" in response.text
    participation = meeting.participations[0]
    assert participation.rsvp == "declined" and participation.rsvp_at is not None
    response = client.post(f"/meetings/{meeting.id}/rsvp", data={"answer": "pending"}, follow_redirects=True)
    assert "Unbekannte Antwort." in response.text and participation.rsvp == "declined"

    login_as(office)  # not invited: may not answer, but sees the answers as organizer
    assert client.post(f"/meetings/{meeting.id}/rsvp", data={"answer": "accepted"}).status_code == 403
    page = client.get(f"/meetings/{meeting.id}").text
    assert "Mia Mitglied" in page and re.search(r"Absage: <strong>1</strong>", page)


def test_rescheduling_mails_every_invitee_with_a_new_calendar_sequence(client, db, login_as, office, make,
                                                                       group, member, moderator, outbox):
    meeting = make.meeting(group, title="Stadtlogistik", starts_at=utc(2030, 6, 3, 14), location="Rathaus",
                           number=3)
    for person in (member, moderator):
        make.participation(meeting, person, invited_at=utcnow())
    make.participation(meeting, guest_name="Gabi Gast")
    login_as(office)
    data = {"title": "Stadtlogistik", "day": "2030-06-03", "start_time": "16:00", "end_time": "18:00",
            "location": "Rathaus", "organizer_id": "0", "moderator_id": "0", "minute_taker_id": "0"}
    client.post(f"/meetings/{meeting.id}/edit", data=dict(data, title="Stadtlogistik und Handel"))
    assert meeting.title == "Stadtlogistik und Handel" and meeting.ical_sequence == 0
    assert meeting.number == 3  # an empty number field keeps the number
    assert outbox.messages == []  # a new title alone is no reason to mail everyone

    response = client.post(f"/meetings/{meeting.id}/edit",
                           data=dict(data, title=meeting.title, start_time="17:00", end_time="19:00",
                                     location="Gründerzentrum"))
    assert response.status_code == 302
    assert meeting.starts_at == utc(2030, 6, 3, 15) and meeting.ical_sequence == 1
    assert sorted(m["To"] for m in outbox.messages) == ["max@example.org", "mia@example.org"]
    mail = outbox.to("mia@example.org")[0]
    assert mail["Subject"].startswith("Geändert: ")
    text = outbox.text(mail)
    assert "Bisher: Montag, 3. Juni 2030, 16:00–18:00 Uhr" in text
    assert "Bisheriger Ort: Rathaus" in text and "17:00–19:00 Uhr" in text and "Gründerzentrum" in text
    ics = outbox.calendar(mail).decode()
    assert "METHOD:REQUEST" in ics and "SEQUENCE:1" in ics
    assert _audit(db, "meeting.reschedule")[0].changes["location"] == ["Rathaus", "Gründerzentrum"]


def test_cancellation_mails_every_invitee_with_a_calendar_cancel(client, db, login_as, office, make, group,
                                                                 member, outbox):
    meeting = make.meeting(group, title="Stadtlogistik")
    make.participation(meeting, member, rsvp="accepted", invited_at=utcnow())
    login_as(office)
    client.post(f"/meetings/{meeting.id}/cancel", data={"reason": "Krankheit der Moderation"})
    (mail,) = outbox.messages
    assert mail["To"] == "mia@example.org" and mail["Subject"].startswith("Abgesagt: ")
    assert "Grund: Krankheit der Moderation" in outbox.text(mail)
    ics = outbox.calendar(mail).decode()
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics and "SEQUENCE:1" in ics


def test_no_invitations_to_a_cancelled_meeting(client, db, login_as, office, make, group, outbox):
    meeting = make.meeting(group, status="cancelled", cancel_reason="x")
    db.session.commit()
    login_as(office)
    response = client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "y"}, follow_redirects=True)
    assert "kann nicht eingeladen werden" in response.text
    assert meeting.participations == [] and outbox.messages == []


def test_invitation_with_nobody_chosen_asks_to_choose(client, db, login_as, office, make, group, outbox):
    meeting = make.meeting(group)
    login_as(office)
    response = client.post(f"/meetings/{meeting.id}/invite", data={"series_members": ""})
    assert response.status_code == 422
    assert "Bitte wählen Sie mindestens eine Person aus." in response.text
    assert "niemanden" not in response.text
    assert meeting.participations == [] and outbox.messages == []


def test_invitation_page_names_the_series_and_offers_one_more_person_by_name(
        client, db, login_as, office, make, group, moderator, member, outbox):
    """The organizer belongs to the series' people: named as not invited yet. "Weitere Person"
    finds anyone without an invitation by name, not those invited already."""
    meeting = make.meeting(group, organizer=office)
    for person in (moderator, member):
        make.participation(meeting, person, invited_at=utcnow())
    guest = make.person(name="Gerd Gast", email="gerd@example.org")
    login_as(office)
    page = client.get(f"/meetings/{meeting.id}/invite").text
    assert "1 Person ist noch nicht eingeladen: Olga Office" in page
    assert 'type="checkbox"' in page and page.count('type="checkbox"') == 1  # the series, no list of people
    suggest = f"/people/suggest?pool=meeting_not_invited&meeting={meeting.id}&q="
    assert [p["name"] for p in client.get(suggest + "ge").json] == ["Gerd Gast"]
    assert client.get(suggest + moderator.name.split()[0]).json == []  # invited already

    response = client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "", "people": "",
                                                                  "people-text": "Gerda Niemand"})
    assert response.status_code == 422
    assert "Keine Person gefunden, die zu „Gerda Niemand“ passt." in response.text
    assert 'value="Gerda Niemand"' in response.text and outbox.messages == []
    response = client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "", "people": str(moderator.id)})
    assert response.status_code == 422 and "Diese Person steht hier nicht zur Wahl." in response.text

    client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "", "people-text": "Gerd Gast"})
    assert [m["To"] for m in outbox.messages] == ["gerd@example.org"]
    client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "y"})
    assert {p.person_id for p in meeting.participations} == {moderator.id, member.id, office.id, guest.id}


# attendance register -----------------------------------------------------------------------------

def test_attendance_is_prefilled_from_answers_and_saved_with_guests(client, db, login_as, moderator, make,
                                                                    group, member, office):
    meeting = make.meeting(group, status="held")
    came = make.participation(meeting, member, rsvp="accepted")
    excused = make.participation(meeting, moderator, rsvp="declined")
    silent = make.participation(meeting, office, rsvp="pending")
    login_as(moderator)
    page = client.get(f"/meetings/{meeting.id}/attendance").text
    for row, guess in ((came, "present"), (excused, "excused"), (silent, "unknown")):
        select_html = re.search(rf'name="attendance-{row.id}".*?</select>', page, re.S).group(0)
        assert f'value="{guess}" selected' in select_html

    client.post(f"/meetings/{meeting.id}/attendance", data={
        f"attendance-{came.id}": "present", f"attendance-{excused.id}": "excused",
        f"attendance-{silent.id}": "absent"})
    assert (came.attendance, excused.attendance, silent.attendance) == ("present", "excused", "absent")
    assert len(_audit(db, "meeting.attendance")) == 3

    response = client.post(f"/meetings/{meeting.id}/attendance/guests", data={"guest_name": ""})
    assert response.status_code == 422 and "Bitte den Namen des Gastes angeben." in response.text
    client.post(f"/meetings/{meeting.id}/attendance/guests",
                data={"guest_name": "Prof. Dr. Gerd Gast", "guest_organization": "Institut Arbeit und Technik"})
    guest = next(p for p in meeting.participations if p.person_id is None)
    assert (guest.guest_name, guest.guest_organization, guest.attendance) == (
        "Prof. Dr. Gerd Gast", "Institut Arbeit und Technik", "present")
    page = client.get(f"/meetings/{meeting.id}/attendance").text
    assert "Prof. Dr. Gerd Gast" in page and "Institut Arbeit und Technik" in page

    client.post(f"/meetings/{meeting.id}/attendance/guests/{guest.id}/delete", data={"confirm": "yes"})
    assert all(p.person_id is not None for p in meeting.participations)
    assert _audit(db, "meeting.guest_add") and _audit(db, "meeting.guest_remove")


def test_member_who_came_uninvited_is_added_as_present(client, db, login_as, office, make, group, member):
    meeting = make.meeting(group, status="held")
    login_as(office)
    client.post(f"/meetings/{meeting.id}/attendance/members", data={"person_id": str(member.id)})
    (participation,) = meeting.participations
    assert participation.person_id == member.id and participation.attendance == "present"
    response = client.post(f"/meetings/{meeting.id}/attendance/members", data={"person_id": str(member.id)})
    assert response.status_code == 422 and len(meeting.participations) == 1


@pytest.mark.parametrize("minutes_status", ["in_review", "approved", "published"])
def test_register_is_frozen_once_minutes_go_to_review(client, db, login_as, office, make, group, member,
                                                      minutes_status):
    """From the review on, the register says who may review the minutes: it no longer changes."""
    meeting = make.meeting(group, status="held", minutes_status=minutes_status)
    row = make.participation(meeting, member, attendance="present")
    db.session.commit()
    login_as(office)
    page = client.get(f"/meetings/{meeting.id}/attendance").text
    assert 'name="attendance-' not in page and "in Abstimmung" in page
    response = client.post(f"/meetings/{meeting.id}/attendance", data={f"attendance-{row.id}": "absent"},
                           follow_redirects=True)
    assert "kann nicht mehr geändert werden" in response.text and row.attendance == "present"
    client.post(f"/meetings/{meeting.id}/attendance/guests", data={"guest_name": "Gerd Gast"})
    assert [p.person_id for p in meeting.participations] == [member.id]


# the list ---------------------------------------------------------------------------------------

def test_list_shows_upcoming_and_past_and_filters_by_group_kind_and_year(client, db, login_as, member, make,
                                                                         group):
    other = make.group(name="Handwerk digital")
    make.meeting(group, title="Kommende Sitzung", starts_at=utcnow() + timedelta(days=10))
    make.meeting(None, title="Kommendes Plenum", starts_at=utcnow() + timedelta(days=20))
    make.meeting(other, title="Alte Handwerkssitzung", starts_at=utc(2021, 5, 1, 10), status="held")
    make.meeting(group, title="Silvester 2021", starts_at=utc(2021, 12, 31, 23, 30), status="held")  # 2022 in Berlin
    login_as(member)
    page = client.get("/meetings").text
    assert page.index("Kommende Sitzung") < page.index("Kommendes Plenum") < page.index("Vergangene Treffen")
    assert page.index("Silvester 2021") < page.index("Alte Handwerkssitzung")
    page = client.get(f"/meetings?group={other.id}").text
    assert "Alte Handwerkssitzung" in page and "Kommende Sitzung" not in page
    page = client.get("/meetings?kind=plenary").text
    assert "Kommendes Plenum" in page and "Kommende Sitzung" not in page
    page = client.get("/meetings?year=2022").text
    assert "Silvester 2021" in page and "Alte Handwerkssitzung" not in page
    page = client.get("/meetings?when=past&kind=nonsense&year=x").text
    assert "Kommende Sitzung" not in page and "Alte Handwerkssitzung" in page


@pytest.mark.parametrize("year", ["-5", "0", "9999", "10000", "abc"])
def test_list_ignores_an_impossible_year_and_says_so(client, db, login_as, member, make, group, year):
    make.meeting(group, title="Kommende Sitzung", starts_at=utcnow() + timedelta(days=10))
    login_as(member)
    response = client.get(f"/meetings?year={year}")
    assert response.status_code == 200
    assert f"„{year}“ ist kein gültiges Jahr; es werden die Treffen aller Jahre gezeigt." in response.text
    assert "Kommende Sitzung" in response.text


def test_empty_list_says_so(client, db, login_as, member):
    login_as(member)
    page = client.get("/meetings").text
    assert "Kein kommendes Treffen." in page and "Kein vergangenes Treffen." in page


# query counts -----------------------------------------------------------------------------------

def _bulk(db, make, group, people, meetings: int, per_meeting: int) -> Meeting:
    """`meetings` meetings in the past and future, each with `per_meeting` agenda items, invitees
    and action items; returns one of them."""
    base = utc(2030, 1, 1, 15)
    rows = [{"kind": "group", "group_id": group.id, "title": f"Sitzung {n}", "number": n,
             "starts_at": base + timedelta(days=7 * n - 700), "ends_at": base + timedelta(days=7 * n - 700, hours=2),
             "organizer_id": people[0].id, "moderator_id": people[1].id, "minute_taker_id": people[2].id,
             "status": "planned", "minutes_status": "none", "ical_sequence": 0, "minutes_version": 0,
             "cancel_reason": "", "location": "Rathaus", "room": "", "online_url": ""}
            for n in range(meetings)]
    db.session.execute(insert(Meeting), rows)
    ids = db.session.scalars(select(Meeting.id).where(Meeting.group_id == group.id)).all()
    db.session.execute(insert(AgendaItem), [
        {"meeting_id": m, "position": k + 1, "title": f"Punkt {k}", "kind": "information", "planned_minutes": 10,
         "presenter_id": people[k % len(people)].id, "description": "", "minutes_text": ""}
        for m in ids for k in range(per_meeting)])
    db.session.execute(insert(Participation), [
        {"meeting_id": m, "person_id": people[k].id, "rsvp": "accepted", "attendance": "unknown",
         "guest_name": "", "guest_organization": ""}
        for m in ids for k in range(per_meeting)])
    db.session.execute(insert(ActionItem), [
        {"title": f"Aufgabe {k}", "owner_id": people[k].id, "group_id": group.id, "meeting_id": m,
         "due_on": date(2031, 1, 1), "status": "open", "description": "", "cancel_reason": ""}
        for m in ids for k in range(per_meeting)])
    return db.session.get(Meeting, ids[-1])


@pytest.mark.parametrize("path", ["/meetings", "/meetings?when=past", "meeting"])
def test_meeting_pages_run_the_same_number_of_queries_for_more_data(client, db, login_as, make, count_queries,
                                                                     office, path):
    people = [make.person(name=f"Person {k:02d}", organization=make.organization()) for k in range(12)]
    counts = []
    for size, per_meeting in ((3, 2), (40, 12)):
        group = make.group(moderator=people[1], members=people[2:per_meeting])
        meeting = _bulk(db, make, group, people, size, per_meeting)
        db.session.add(AgendaItem(meeting_id=meeting.id, position=99, title="Offene Aufgaben", kind="open_actions"))
        db.session.flush()
        login_as(office)
        url = f"/meetings/{meeting.id}" if path == "meeting" else path
        db.session.expire_all()
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_attendance_csv_lists_members_and_guests_guarded_against_formulas(client, login_as, moderator, make,
                                                                          group, member):
    meeting = make.meeting(group, status="held")
    make.participation(meeting, member, rsvp="accepted")
    make.participation(meeting, guest_name="=HYPERLINK(\"x\")", guest_organization="IAT")
    login_as(moderator)
    response = client.get(f"/meetings/{meeting.id}/attendance.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    lines = response.data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "Name;Organisation;Art;Antwort;Anwesenheit"
    assert f"{member.name};" in lines[1] and lines[1].endswith(";Mitglied;Zusage;anwesend")
    assert lines[2].startswith("\"'=HYPERLINK(\"\"x\"\")\";IAT;Gast;")
    login_as(member)
    assert client.get(f"/meetings/{meeting.id}/attendance.csv").status_code == 403


def test_all_present_in_one_step_then_exceptions_each_change_audited(client, db, login_as, moderator, make,
                                                                      group, member, office):
    meeting = make.meeting(group, status="held")
    came = make.participation(meeting, member, rsvp="accepted")
    away = make.participation(meeting, office, rsvp="declined")
    guest = make.participation(meeting, guest_name="Gabi Gast")
    login_as(moderator)
    assert "Alle als anwesend markieren" in client.get(f"/meetings/{meeting.id}/attendance").text
    response = client.post(f"/meetings/{meeting.id}/attendance/all-present", follow_redirects=True)
    assert "Alle sind als anwesend markiert (3 Änderungen)." in response.text
    assert (came.attendance, away.attendance, guest.attendance) == ("present", "present", "present")
    assert len(_audit(db, "meeting.attendance")) == 3
    client.post(f"/meetings/{meeting.id}/attendance", data={f"attendance-{away.id}": "excused"})
    assert away.attendance == "excused" and came.attendance == "present"


def test_all_present_is_refused_before_the_meeting_begins(client, login_as, moderator, make, group, member):
    meeting = make.meeting(group)
    invitee = make.participation(meeting, member, rsvp="accepted")
    login_as(moderator)
    response = client.post(f"/meetings/{meeting.id}/attendance/all-present", follow_redirects=True)
    assert "ab dem Beginn der Sitzung" in response.text
    assert invitee.attendance == "unknown"


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_sign_in_sheet_lists_every_invitee_and_guest_not_the_declined_guest(client, login_as, moderator, make,
                                                                           group, member, office):
    meeting = make.meeting(group, location="Rathaus Bottrop", room="Saal 2")
    make.participation(meeting, member, rsvp="declined")
    make.participation(meeting, office)
    make.participation(meeting, guest_name="Gabi Gast", guest_organization="IAT", rsvp="accepted")
    make.participation(meeting, guest_name="Nora Nein", rsvp="declined")
    login_as(moderator)
    response = client.get(f"/meetings/{meeting.id}/sign-in-sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = _pdf_text(response.data)
    for expected in (member.name, office.name, "Gabi Gast (Gast)", "IAT", "Unterschrift", "Rathaus Bottrop, Saal 2",
                     "Sonntag, 10. März 2030", "Seite 1 von 1", meeting.title):
        assert expected in text
    assert "Nora Nein" not in text
    assert " 11 " in f" {text} "  # 3 named rows, then 8 blank ones


def test_sign_in_sheet_is_for_who_keeps_the_register(client, login_as, make, group, member):
    meeting = make.meeting(group)
    login_as(member)
    assert client.get(f"/meetings/{meeting.id}/sign-in-sheet.pdf").status_code == 403
