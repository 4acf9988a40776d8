"""What invitees hear and how meetings and people are named (issue 14, points 14, 15 and 17):
a changed agenda reaches the invitees with an updated calendar entry; deactivated people are
not invited, not assumed present and marked where a meeting's history keeps them; a meeting
has one name on its page, in the minutes PDF, in mails and in calendars."""
from __future__ import annotations

import io
from datetime import timedelta

import icalendar
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.meetings.invitations import InvitationError, behind_on_agenda, invite
from portal.meetings.models import Participation
from portal.minutes import workflow
from portal.types import utcnow
from tests.factories import utc

NAME = "8. Treffen der Wirtschaftsallianz Bottrop – Umwelt- und Gesundheitsmanagement"
NAME_EN = "Meeting 8 of the Wirtschaftsallianz Bottrop – Umwelt- und Gesundheitsmanagement"


@pytest.fixture
def office(make):
    return make.person("office", name="Olga Office", email="olga@example.org")


@pytest.fixture
def plenary(make, office):
    return make.meeting(None, number=8, title="Umwelt- und Gesundheitsmanagement", organizer=office,
                        starts_at=utcnow().replace(microsecond=0) + timedelta(days=14),
                        location="Rathaus Bottrop")


def _event(body: bytes) -> icalendar.Event:
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    return event


def _calendar(outbox, message) -> icalendar.Event:
    return _event(outbox.calendar(message))


def _words(text: str) -> str:
    return " ".join(text.split())


# 14: a changed agenda reaches the invitees ----------------------------------------------------

def test_changed_agenda_goes_once_to_every_invitee_who_has_not_declined_with_the_entry_updated(
        client, db, login_as, make, office, plenary, outbox):
    anna = make.person(name="Anna Zusage", email="anna@example.org")
    bert = make.person(name="Bert Offen", email="bert@example.org")
    carla = make.person(name="Carla Absage", email="carla@example.org")
    make.agenda_item(plenary, title="Begrüßung")
    login_as(office)
    assert client.post(f"/meetings/{plenary.id}/invite", data={"series_members": "y"}).status_code == 302
    assert {m["To"] for m in outbox.messages} == {"anna@example.org", "bert@example.org", "carla@example.org",
                                                  "olga@example.org"}
    # the organizer gets a copy without a request for her own meeting (issue 19)
    invited = {m["To"]: _calendar(outbox, m) for m in outbox.messages if m["To"] != "olga@example.org"}
    assert outbox.calendar(outbox.to("olga@example.org")[0]) is None
    assert "Geänderte Tagesordnung senden" not in client.get(f"/meetings/{plenary.id}/agenda").text
    for person, rsvp in ((anna, "accepted"), (carla, "declined")):
        db.session.scalar(select(Participation).where(Participation.person_id == person.id)).rsvp = rsvp
    client.post(f"/meetings/{plenary.id}/agenda", data={
        "title": "Betriebliches Gesundheitsmanagement", "kind": "information", "planned_minutes": "30",
        "presenter_id": "0"})
    page = client.get(f"/meetings/{plenary.id}/agenda").text
    assert "Die Tagesordnung hat sich geändert, seit 3 Eingeladene sie bekommen haben." in page
    assert "Geänderte Tagesordnung senden" in page
    outbox.clear()

    response = client.post(f"/meetings/{plenary.id}/agenda/send", follow_redirects=True)

    assert "Die geänderte Tagesordnung wird an 3 Personen verschickt." in response.text
    assert sorted(m["To"] for m in outbox.messages) == ["anna@example.org", "bert@example.org",
                                                        "olga@example.org"]  # not Carla, who declined
    for message in outbox.messages:
        assert message["Subject"] == f"Geänderte Tagesordnung: {NAME}"
        text = outbox.text(message)
        assert "TOP 1  Begrüßung" in text and "TOP 2  Betriebliches Gesundheitsmanagement" in text
        if message["To"] == "olga@example.org":  # the organizer: a copy, no request
            assert outbox.calendar(message) is None
            continue
        event, before = _calendar(outbox, message), invited[message["To"]]
        assert icalendar.Calendar.from_ical(outbox.calendar(message))["METHOD"] == "REQUEST"
        assert event["UID"] == before["UID"]
        assert event["SEQUENCE"] == before["SEQUENCE"] + 1
        assert "TOP 2: Betriebliches Gesundheitsmanagement" in str(event["DESCRIPTION"])
    assert bert.email in {m["To"] for m in outbox.messages}  # no answer yet: still told
    (audit,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "meeting.agenda_sent"))
    assert audit.changes["ical_sequence"] == [0, 1]
    # sent: nothing more to send until the agenda changes again
    assert "Geänderte Tagesordnung senden" not in client.get(f"/meetings/{plenary.id}/agenda").text
    outbox.clear()
    response = client.post(f"/meetings/{plenary.id}/agenda/send", follow_redirects=True)
    assert "Die Eingeladenen haben die Tagesordnung schon so, wie sie jetzt ist." in response.text
    assert outbox.messages == [] and plenary.ical_sequence == 1


def test_agenda_is_not_sent_before_invitations_nor_for_a_cancelled_meeting(
        client, db, login_as, make, office, plenary, outbox):
    make.person(name="Anna Zusage", email="anna@example.org")
    login_as(office)
    page = client.get(f"/meetings/{plenary.id}/agenda").text
    assert "Geänderte Tagesordnung senden" not in page

    response = client.post(f"/meetings/{plenary.id}/agenda/send", follow_redirects=True)

    assert "Es ist noch niemand eingeladen" in response.text
    assert outbox.messages == [] and plenary.ical_sequence == 0
    plenary.status = "cancelled"
    response = client.post(f"/meetings/{plenary.id}/agenda/send", follow_redirects=True)
    assert "nur vor einem geplanten Treffen" in response.text and outbox.messages == []


def test_only_invitees_who_got_an_older_agenda_are_behind_on_it(client, db, login_as, make, office, plenary):
    first, second = make.agenda_item(plenary, title="Begrüßung"), make.agenda_item(plenary, title="Bericht")
    early = make.participation(plenary, make.person(name="Anna Früh"), invited_at=utcnow())
    login_as(office)
    assert behind_on_agenda(plenary) == []

    client.post(f"/meetings/{plenary.id}/agenda/{second.id}/move", data={"direction": "up"})
    late = make.participation(plenary, make.person(name="Bert Spät"), invited_at=utcnow())

    assert behind_on_agenda(plenary) == [early.person]  # Bert was invited with the new order
    assert late.person not in behind_on_agenda(plenary) and first.position == 2


# 15: deactivated people -------------------------------------------------------------------------

def test_a_deactivated_person_is_not_offered_and_refused_when_posted(
        client, db, login_as, make, office, plenary, outbox):
    make.person(name="Anna Aktiv", email="anna@example.org")
    gone = make.person(name="Gerd Gegangen", email="gerd@example.org", active=False)
    login_as(office)
    page = client.get(f"/meetings/{plenary.id}/invite").text
    assert "Anna Aktiv" in page and "Gerd Gegangen" not in page
    suggest = f"/people/suggest?pool=meeting_not_invited&meeting={plenary.id}&q=ge"
    assert client.get(suggest).json == []

    response = client.post(f"/meetings/{plenary.id}/invite", data={"people": str(gone.id)})

    assert response.status_code == 422
    assert "Diese Person steht hier nicht zur Wahl." in response.text
    assert plenary.participations == [] and outbox.messages == []
    with pytest.raises(InvitationError, match="Deaktivierte Konten können nicht eingeladen werden: Gerd Gegangen."):
        invite(office, plenary, [gone])  # the rule holds for every caller, not only the page


def test_a_deactivated_invitee_is_not_assumed_present_gets_no_review_mail_and_is_marked(
        client, db, login_as, make, office, outbox):
    group = make.group(name="Handel der Zukunft")
    meeting = make.meeting(group, number=3, title="Stadtlogistik", status="held", minutes_status="draft",
                           starts_at=utc(2026, 3, 10, 16), minute_taker=office)
    anna = make.person(name="Anna Aktiv", email="anna@example.org")
    gerd = make.person(name="Gerd Gegangen", email="gerd@example.org")
    make.participation(meeting, anna, rsvp="accepted", invited_at=utc(2026, 3, 1))
    gerd_row = make.participation(meeting, gerd, rsvp="accepted", invited_at=utc(2026, 3, 1))
    gerd.active = False
    login_as(office)

    page = client.get(f"/meetings/{meeting.id}/attendance").text
    assert '<option value="unknown" selected>' in page.split(f'name="attendance-{gerd_row.id}"')[1].split("</select>")[0]
    assert "Gerd Gegangen (inaktiv)" in page
    assert "Gerd Gegangen (inaktiv)" in client.get(f"/meetings/{meeting.id}").text

    # history keeps him where he was recorded present, marked as inactive
    gerd_row.attendance = "present"
    participation = db.session.scalar(select(Participation).where(Participation.person_id == anna.id))
    participation.attendance = "present"
    assert "Gerd Gegangen (inaktiv)" in client.get(f"/meetings/{meeting.id}/minutes").text
    pdf = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert "Gerd Gegangen (inaktiv)" in _words(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages))
    workflow.submit_for_review(office, meeting)
    db.session.commit()
    assert [m["To"] for m in outbox.messages] == ["anna@example.org"]


# 17: one name -----------------------------------------------------------------------------------

def test_a_meeting_has_one_name_on_its_page_in_the_pdf_in_mails_and_in_calendars(
        client, db, login_as, make, office, plenary, outbox):
    make.person(name="Anna Zusage", email="anna@example.org")
    make.person(name="Emma English", email="emma@example.org", locale="en")
    login_as(office)

    assert NAME in client.get(f"/meetings/{plenary.id}").text
    assert _event(client.get(f"/meetings/{plenary.id}.ics").data)["SUMMARY"] == NAME
    client.post(f"/meetings/{plenary.id}/invite", data={"series_members": "y"})
    (german,) = outbox.to("anna@example.org")
    assert german["Subject"] == f"Einladung: {NAME}" and NAME in outbox.text(german)
    assert _calendar(outbox, german)["SUMMARY"] == NAME
    (english,) = outbox.to("emma@example.org")  # the same function, in the reader's language
    assert NAME_EN in english["Subject"] and NAME_EN in outbox.text(english)
    assert _calendar(outbox, english)["SUMMARY"] == NAME_EN

    plenary.status, plenary.minutes_status = "held", "draft"
    pdf = client.get(f"/meetings/{plenary.id}/minutes.pdf")
    text = _words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages))
    assert NAME in text and "Sitzung der Reihe" not in text
    assert NAME in client.get(f"/meetings/{plenary.id}/minutes").text


def test_a_group_session_is_named_after_its_working_group_everywhere(client, db, login_as, make, office):
    group = make.group(name="Handel der Zukunft")
    meeting = make.meeting(group, number=3, title="Stadtlogistik", status="held", minutes_status="draft",
                           starts_at=utc(2026, 3, 10, 16))
    name = "3. Sitzung des Reallabors „Handel der Zukunft“ – Stadtlogistik"
    login_as(office)
    assert name in client.get(f"/meetings/{meeting.id}").text
    pdf = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert name in _words(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages))
    assert _event(client.get(f"/meetings/{meeting.id}.ics").data)["SUMMARY"] == name
