"""English that is English (issue 19 point 4): pages of every role, every mail, a meeting's .ics
and the progress report PDF, read by an English-speaking person, contain none of the portal's own
German labels. The user data of these tests is free of the words checked."""
from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale
from pypdf import PdfReader

from portal.meetings.agenda import start_agenda
from portal.meetings.models import AgendaKind
from portal.notifications import message
from tests.routes import all_routes
from tests.routes.world import build_world
from tests.test_notifications import CONTEXTS, MAILS

# The portal's German labels: each a whole word that only the portal itself writes.
GERMAN = ("Tagesordnung", "Seite", "Stand", "Beschluss", "Beschlüsse", "Aufgaben", "Einladung",
          "Protokoll", "Protokolls", "Enthaltung", "Enthaltungen", "Uhr", "Genehmigung", "Offene",
          "Absagen", "Zusagen", "Anwesenheit", "Fortschrittsbericht", "Reallabore")
GERMAN_WORD = re.compile(r"(?<![\w-])(" + "|".join(GERMAN) + r")(?![\w-])")
ROLES = ("member", "moderator", "office", "observer")
STORED_MAILS = "/mails"  # the outbox shows the stored (test fixture: German) subjects of mails as sent


def german_in(text: str) -> list[str]:
    return sorted(set(GERMAN_WORD.findall(text)))


def visible(html: str) -> str:
    """The text a reader sees (and a screen reader reads): tags, scripts and styles removed."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    html = re.sub(r'(?s)<option [^>]*lang="de"[^>]*>.*?</option>', " ", html)  # the language switch
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def world(make):
    world = build_world(make)
    world["plenary"].title = "Plenary eight"  # the world's own data, kept free of the checked words
    for value in world.values():
        if hasattr(value, "locale") and hasattr(value, "email"):
            value.locale = "en"
    return world


def test_the_word_list_finds_what_it_should():
    assert german_in("Page 1 of 2 · Seite 1 von 2") == ["Seite"]
    assert german_in("Agenda: Item 1 · 3 abstentions · Offene-Punkte-Liste") == []


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_english(role, client, world, login_as):
    login_as(world[role])
    found = {}
    for route in all_routes():
        if (route.method != "GET" or route.expect.get(role) != "ok" or route.rule.startswith(STORED_MAILS)
                or route.rule.endswith((".csv", ".pdf", ".ics"))):
            continue
        response = client.get(route.path(world))
        if response.status_code == 200 and response.mimetype == "text/html":
            if words := german_in(visible(response.get_data(as_text=True))):
                found[route.id] = words
    assert found == {}


@pytest.mark.parametrize("template", MAILS)
def test_every_mail_is_english(db, make, template):
    person = make.person(name="Rita Reader", locale="en")
    mail = message(person, template, **CONTEXTS[template](make, person))
    text = mail["Subject"] + "\n" + mail.get_body(preferencelist=("plain",)).get_content()
    assert german_in(text) == []
    assert "„" not in text


def test_an_invitation_carries_an_english_calendar(db, make):
    from portal.calendar.ics import invitation_attachment
    person = make.person(name="Rita Reader", locale="en")
    meeting = make.meeting(make.group(name="Retail lab"), title="Spring session", organizer=make.person())
    make.agenda_item(meeting, title="Welcome")
    mail = message(person, "meetings_invitation", meeting=meeting, link="https://portal.example.org/x",
                   calendar=lambda: invitation_attachment(meeting, person))
    [attachment] = [part for part in mail.walk() if part.get_filename()]  # beside the inline request
    assert attachment.get_filename() == "invitation.ics"
    calendar = attachment.get_content().decode() if isinstance(attachment.get_content(), bytes) \
        else attachment.get_content()
    assert "Agenda:" in calendar and "Item 1: Welcome" in calendar and "In the portal:" in calendar
    assert german_in(calendar) == []


def test_a_meeting_ics_is_english(client, world, login_as):
    login_as(world["member"])
    meeting = world["meeting"]
    response = client.get(f"/meetings/{meeting.id}.ics")
    assert response.status_code == 200
    assert f"meeting-{meeting.id}.ics" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).replace("\r\n ", "")
    assert "Agenda:" in text and "In the portal:" in text
    assert german_in(text) == []


def test_automatic_agenda_items_are_titled_in_the_readers_language(client, make, login_as):
    reader = login_as(make.person("office", locale="en"))
    group = make.group(moderator=reader, name="Retail lab")
    earlier = make.meeting(group, title="Winter session", starts_at=make_time(2030, 1, 10), minutes_status="published")
    meeting = make.meeting(group, title="Spring session", starts_at=make_time(2030, 3, 10))
    make.action_item(reader, group, title="Write the offer", meeting=earlier)
    with client.application.test_request_context(), force_locale("en"):  # an English creator
        start_agenda(reader, meeting)
    stored = {item.kind: item.title for item in meeting.agenda_items}
    assert stored == {AgendaKind.MINUTES_APPROVAL: "Genehmigung des Protokolls der letzten Sitzung",
                      AgendaKind.OPEN_ACTIONS: "Offene Aufgaben"}
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Approval of the minutes of the last meeting" in page and "Open action items" in page
    assert "Genehmigung" not in page


def make_time(*args):
    from tests.factories import utc
    return utc(*args, 16)


def test_the_progress_report_pdf_is_english(client, world, login_as):
    login_as(world["office"])
    response = client.get("/reports/progress.pdf")
    assert response.status_code == 200
    assert "progress-report-" in response.headers["Content-Disposition"]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert re.search(r"Page \d+ of \d+", text)
    assert german_in(text) == []


def test_rsvp_decline_and_the_organizer_say_so(client, world, login_as):
    login_as(world["member"])
    world["meeting"].organizer = world["moderator"]
    page = visible(client.get(f"/meetings/{world['meeting'].id}").get_data(as_text=True))
    assert "Decline" in page and "Organizer" in page
    assert "Cancel" not in page  # the member cannot cancel the meeting; "Cancel" was the RSVP's wrong word
