"""The three users' days, end to end in Chromium against the live demo server.

Each journey goes through the pages the way a person would (links, forms, buttons), reads
the mails the portal wrote into its outbox, and checks the downloads it gets.
"""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    MODERATOR,
    OBSERVER,
    OFFICE,
    csrf_token,
    link_in,
    login,
    logout,
)
from tests.mails import Outbox

pytestmark = pytest.mark.browser  # left out by `make test-fast`

HANDWERK = "Kooperative und digitale Produktionsformen im Handwerk"
GRUENDUNGEN = "Nachhaltige Unternehmensgründungen"


def _today():
    from portal.types import local_today

    return local_today()


def _running_session():
    """Start and end (Berlin) of a session that began an hour ago: minutes go to review only
    once a meeting has begun."""
    from datetime import datetime

    from portal.types import BERLIN

    starts = datetime.now(BERLIN).replace(second=0, microsecond=0) - timedelta(hours=1)
    return starts, min(starts + timedelta(hours=2), starts.replace(hour=23, minute=59))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    assert data.startswith(b"%PDF-")
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _download(page, link_name: str) -> bytes:
    """Follow a download link as the browser does and return what arrived."""
    link = page.get_by_role("link", name=link_name).first
    response = page.request.get(link.get_attribute("href"))
    assert response.ok, response.status
    return response.body()


def _nav(page, name: str) -> None:
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name=name, exact=True).click()


def _flash(page):
    return page.locator(".flashes")


# the office ----------------------------------------------------------------------------------

def test_office_prepares_moderates_and_publishes_a_reallabor_session(page, live_server):
    title = "Werkstattbesuch: digitales Aufmaß"
    login(page, OFFICE)

    # plan the session
    _nav(page, "Treffen")
    page.get_by_role("link", name="Neues Treffen planen").click()
    page.get_by_label("Reihe", exact=True).select_option(label=HANDWERK)
    page.get_by_label("Thema", exact=True).fill(title)
    starts, ends = _running_session()
    page.get_by_label("Datum", exact=True).fill(starts.date().isoformat())
    page.get_by_label("Beginn", exact=True).fill(f"{starts:%H:%M}")
    page.get_by_label("Ende", exact=True).fill(f"{ends:%H:%M}")
    page.get_by_label("Ort (Adresse)", exact=True).fill("Tischlerei Hövelmann, Gladbecker Straße 88, 46236 Bottrop")
    page.get_by_label("Raum", exact=True).fill("Werkstatt")
    _choose_person(page, "Protokoll", "Sandra Kuhlmann")
    page.get_by_role("button", name="Treffen anlegen").click()
    # the session began an hour ago: the form asks before it takes a start in the past
    page.get_by_label("Ja, das Datum in der Vergangenheit übernehmen").check()
    page.get_by_role("button", name="Treffen anlegen").click()
    expect(_flash(page)).to_contain_text("Das Treffen ist angelegt")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    meeting_url = page.url.split("#")[0]

    # build its agenda: the series' automatic first items, plus the topic of the day
    page.get_by_role("link", name="Tagesordnung bearbeiten").click()
    agenda = page.locator("main table").first
    expect(agenda).to_contain_text("Genehmigung des Protokolls der letzten Sitzung")
    expect(agenda).to_contain_text("Offene Aufgaben")
    page.get_by_label("Titel", exact=True).fill("Digitales Aufmaß mit dem Tablet")
    page.get_by_label("Art", exact=True).select_option(label="Beschluss")
    page.get_by_label("Geplante Minuten", exact=True).fill("45")
    _choose_person(page, "Vortragende Person", "Markus Hövelmann")
    page.get_by_role("button", name="Hinzufügen").click()
    expect(page.locator("main table").first).to_contain_text("Digitales Aufmaß mit dem Tablet")

    # invite the group
    page.goto(meeting_url)
    page.get_by_role("link", name="Einladen", exact=True).click()
    page.get_by_role("button", name="Einladungen verschicken").click()
    expect(_flash(page)).to_be_visible()
    invitation = [m for m in live_server.mails_to(MODERATOR) if title in m["Subject"]]
    assert invitation, "the group's moderator got no invitation mail"

    # attendance: the moderator and two more are there, one is excused
    page.goto(meeting_url)
    page.get_by_role("link", name="Anwesenheit erfassen").click()
    rows = page.locator("table.attendance-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 4
    for index in range(rows.count()):
        mark = "entschuldigt" if index == 3 else "anwesend" if index < 3 else "abwesend"
        rows.nth(index).locator("select").select_option(label=mark)
    page.get_by_role("row").filter(has_text="Markus Hövelmann").locator("select").select_option(label="anwesend")
    page.get_by_role("button", name="Anwesenheit speichern").click()
    expect(_flash(page)).to_be_visible()

    # moderate: start, go to the topic, write minutes, take a decision, assign an action item
    page.goto(meeting_url)
    page.get_by_role("link", name="Sitzung moderieren").click()
    page.get_by_role("button", name="Sitzung beginnen").click()
    # another TOP is a button of the minutes text form: what was typed is saved on the way
    page.get_by_role("button", name=re.compile("Digitales Aufmaß mit dem Tablet")).click()
    page.get_by_role("button", name="Diesen TOP jetzt beginnen").click()
    expect(page.locator("#timer")).to_contain_text("läuft seit")
    page.get_by_label("Protokolltext (Markdown)", exact=True).fill(
        "Herr Hövelmann zeigt das **Aufmaß mit dem Tablet**; drei Betriebe wollen es testen.")
    page.get_by_role("button", name="Protokolltext speichern").click()
    expect(_flash(page)).to_be_visible()
    page.get_by_label("Wortlaut des Beschlusses", exact=True).fill(
        "Das Reallabor testet das digitale Aufmaß drei Monate lang in drei Betrieben.")
    page.get_by_label("Ja-Stimmen", exact=True).first.fill("3")
    page.get_by_label("Nein-Stimmen", exact=True).first.fill("0")
    page.get_by_label("Enthaltungen", exact=True).first.fill("1")
    page.get_by_role("button", name="Beschluss aufnehmen").click()
    expect(page.locator("#decisions")).to_contain_text("drei Monate lang")
    page.get_by_label("Aufgabe", exact=True).fill("Testbetriebe für das Tablet-Aufmaß benennen")
    _choose_person(page, "Verantwortlich", "Markus Hövelmann")
    page.get_by_label("Frist", exact=True).fill((_today() + timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Aufgabe anlegen").click()
    expect(page.locator("#action-items")).to_contain_text("Testbetriebe für das Tablet-Aufmaß benennen")

    # the last TOP has begun: ending the meeting marks it held and leads to the minutes
    page.get_by_role("button", name="Sitzung beenden").click()
    expect(_flash(page)).to_contain_text("Die Sitzung ist beendet")

    # the minutes: draft -> in review -> approved -> published
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    expect(page.locator("main")).to_contain_text("Aufmaß mit dem Tablet")
    mails_before = len(live_server.mails_to(MODERATOR))
    page.get_by_role("button", name="Zur Abstimmung geben").click()
    expect(page.locator(".minutes-status")).to_contain_text("in Abstimmung")
    review = live_server.mails_to(MODERATOR)[mails_before:]
    assert review and "/minutes" in Outbox.text(review[0]), "the attendees got no mail asking for review"
    # approving seconds after submitting: the review period has not ended, so it asks first
    page.get_by_label("Ja, schon vor dem Ende der Abstimmung genehmigen").check()
    page.get_by_role("button", name="Genehmigen").click()
    expect(page.locator(".minutes-status")).to_contain_text("genehmigt")
    page.get_by_role("button", name="Veröffentlichen").click()
    expect(page.locator(".minutes-status")).to_contain_text("veröffentlicht")

    # the PDF, as everyone may now download it
    text = _pdf_text(_download(page, "Protokoll als PDF"))
    assert title in text
    assert "Markus Hövelmann" in text
    assert "drei Monate lang" in text
    assert "ENTWURF" not in text
    assert not page.problems, page.problems


# an entrepreneur -----------------------------------------------------------------------------

def test_entrepreneur_accepts_the_invitation_joins_answers_and_finishes_an_action_item(open_page, live_server):
    name, email = "Lea Brandt", "lea.brandt@example.org"
    office, entrepreneur = open_page(), open_page()
    login(office, OFFICE)

    # the office invites her, with her new company
    _nav(office, "Mitglieder")
    office.goto("/members/new")
    office.get_by_label("Name", exact=True).fill(name)
    office.get_by_label("E-Mail-Adresse", exact=True).fill(email)
    office.get_by_label("… oder neue Organisation", exact=True).fill("Brandt Lastenradkurier")
    office.get_by_label("Branche der neuen Organisation", exact=True).select_option(label="Gründung")
    office.get_by_label("Rolle", exact=True).select_option(label="Mitglied")
    office.get_by_role("button", name="Einladung senden").click()
    expect(_flash(office)).to_be_visible()

    # she follows the link in the mail and sets her password
    (mail,) = live_server.mails_to(email)
    entrepreneur.goto(link_in(mail, "/invite/"))
    expect(entrepreneur.get_by_role("heading", level=1)).to_contain_text(name)
    entrepreneur.get_by_label("Neues Passwort", exact=True).fill("Lastenrad-auf-Tour-2026")
    entrepreneur.get_by_label("Passwort wiederholen", exact=True).fill("Lastenrad-auf-Tour-2026")
    entrepreneur.get_by_label("Ich habe den Datenschutzhinweis gelesen und bin einverstanden.").check()
    entrepreneur.get_by_role("button", name="Konto einrichten").click()
    expect(_flash(entrepreneur)).to_contain_text(f"Willkommen, {name}")
    logout(entrepreneur)
    login(entrepreneur, email, "Lastenrad-auf-Tour-2026")

    # she joins the open founders' group and asks to join the (moderated) retail group
    _nav(entrepreneur, "Reallabore")
    entrepreneur.get_by_role("link", name=GRUENDUNGEN).first.click()
    entrepreneur.get_by_role("link", name=re.compile("^Beitr")).first.click()
    entrepreneur.get_by_role("button", name="Jetzt beitreten").click()
    expect(_flash(entrepreneur)).to_be_visible()
    _nav(entrepreneur, "Reallabore")
    entrepreneur.get_by_role("link", name="Handel der Zukunft").first.click()
    entrepreneur.get_by_role("link", name=re.compile("^Beitr")).first.click()
    entrepreneur.get_by_label(re.compile("Nachricht")).fill("Ich liefere mit dem Lastenrad – gern auch für Louise.")
    entrepreneur.get_by_role("button", name="Anfrage senden").click()
    expect(_flash(entrepreneur)).to_be_visible()

    # the office invites the founders' group to its next session; she answers from the mail
    office.goto("/meetings?group=" + _group_id(office, GRUENDUNGEN))
    office.locator("main tbody th[scope=row] a").first.click()  # its next session
    meeting_title = office.locator("h1").evaluate("h => h.firstChild.textContent.trim()")
    office.get_by_role("link", name="Einladen", exact=True).click()
    expect(office.locator("main")).to_contain_text(name)
    office.get_by_role("button", name="Einladungen verschicken").click()
    expect(_flash(office)).to_be_visible()
    invitation = live_server.mails_to(email)[-1]
    assert meeting_title in invitation["Subject"] + Outbox.text(invitation)
    entrepreneur.goto(link_in(invitation, "/meetings/"))
    expect(entrepreneur.locator("h1")).to_contain_text(meeting_title)
    entrepreneur.get_by_role("button", name="Zusagen").click()
    expect(_flash(entrepreneur)).to_contain_text("Zusage")
    expect(entrepreneur.locator("#rsvp")).to_contain_text("Zusage")

    # the office gives her an action item; she reports it done with a comment
    office.goto("/actions/new")
    office.get_by_label("Reallabor", exact=True).select_option(label=GRUENDUNGEN)
    office.get_by_label("Titel", exact=True).fill("Lastenrad-Route für den Pop-up-Markt planen")
    _choose_person(office, "Verantwortlich", name)
    office.get_by_label("Frist", exact=True).fill((_today() + timedelta(days=14)).isoformat())
    office.get_by_role("button", name="Aufgabe anlegen").click()
    expect(_flash(office)).to_be_visible()

    entrepreneur.goto("/actions/mine")
    entrepreneur.get_by_role("link", name="Lastenrad-Route für den Pop-up-Markt planen").click()
    entrepreneur.get_by_label("Status", exact=True).select_option(label="erledigt")
    entrepreneur.get_by_label("Kommentar", exact=True).fill("Route steht, drei Stopps in der Innenstadt.")
    entrepreneur.get_by_role("button", name="Speichern", exact=True).click()
    expect(entrepreneur.locator(".timeline")).to_contain_text("Route steht, drei Stopps in der Innenstadt.")
    expect(entrepreneur.locator("main")).to_contain_text("erledigt")

    # she copies her calendar feed from the profile; her calendar program fetches it, no login
    _nav(entrepreneur, "Mein Profil")
    feed = entrepreneur.get_by_label("Adresse zum Abonnieren", exact=True).input_value()
    assert feed.startswith(live_server.url + "/calendar/")
    summaries = _calendar_summaries(feed)
    assert any(meeting_title in summary for summary in summaries), summaries
    assert not office.problems + entrepreneur.problems, office.problems + entrepreneur.problems


def _calendar_summaries(url: str) -> list[str]:
    """The event titles of a calendar feed, fetched like a calendar program does (no cookies)."""
    import urllib.request

    import icalendar

    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    return [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]


def _group_id(page, group_name: str) -> str:
    """The id of a group, read from the link on the groups page."""
    page.goto("/groups")
    href = page.get_by_role("link", name=group_name).first.get_attribute("href")
    return href.rstrip("/").rsplit("/", 1)[1]


# the mayor's office --------------------------------------------------------------------------

ALLOWED_POSTS = ("/logout", "/language", "/profile/calendar-token")


WRITE_PAGES = re.compile(r"/(new|edit|import|invite|agenda|attendance|moderate|cancel|goals)$")


def _edit_controls(page) -> list[str]:
    """Forms that post (other than ALLOWED_POSTS) and links to pages that change things."""
    posts = page.evaluate("""() => [...document.querySelectorAll('form')]
        .filter(f => f.method.toLowerCase() === 'post')
        .map(f => new URL(f.action, location.href).pathname)""")
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => new URL(a.href).pathname)")
    return ([f"form {p}" for p in posts if not p.endswith(ALLOWED_POSTS)]
            + [f"link {p}" for p in links if WRITE_PAGES.search(p)])


def test_observer_reads_the_whole_phase_downloads_the_report_and_cannot_change_anything(page, live_server, demo):
    login(page, OBSERVER)
    _nav(page, "Berichte")
    page.get_by_role("link", name="Gesamte Projektphase").click()
    expect(page.locator(".lead")).to_contain_text("Gesamte Projektphase")
    expect(page.locator("main")).to_contain_text("Louise")
    text = _pdf_text(_download(page, "Als PDF herunterladen"))
    assert "Fortschrittsbericht" in text
    assert "Louise" in text

    visited = ["/", "/reports?period=phase", "/members", f"/members/{demo['moderator']}", "/groups",
               f"/groups/{demo['group']}", "/meetings", f"/meetings/{demo['published']}",
               f"/meetings/{demo['published']}/minutes", f"/meetings/{demo['upcoming']}", "/actions",
               f"/actions/{demo['action']}", "/outcomes", "/profile"]
    edit_controls = {}
    for path in visited:
        page.goto(path)
        if controls := _edit_controls(page):
            edit_controls[path] = controls
    assert edit_controls == {}

    token = csrf_token(page)
    # the forger's method works: a POST the observer may make goes through
    assert page.request.post("/language", form={"csrf_token": token, "locale": "de", "next": "/"},
                             max_redirects=0).status == 302
    forged = {
        "/members/new": {"name": "Falsch", "email": "falsch@example.org", "role": "member"},
        f"/members/{demo['moderator']}/deactivate": {},
        "/groups/new": {"name": "Falsche Gruppe"},
        f"/groups/{demo['group']}/join": {"message": "bitte"},
        f"/groups/{demo['group']}/archive": {},
        "/meetings/new": {"series": "plenary", "title": "Falsch", "day": "2027-01-01",
                          "start_time": "10:00", "end_time": "11:00"},
        f"/meetings/{demo['upcoming']}/edit": {"title": "Falsch"},
        f"/meetings/{demo['upcoming']}/rsvp": {"answer": "accepted"},
        f"/meetings/{demo['upcoming']}/cancel": {"reason": "Falsch"},
        f"/meetings/{demo['draft']}/moderate/next": {},
        f"/meetings/{demo['draft']}/minutes/submit": {},
        f"/meetings/{demo['published']}/minutes/amend": {"amendment-text": "Falsch"},
        "/actions/new": {"title": "Falsch"},
        f"/actions/{demo['action']}/update": {"update-status": "done"},
        "/reports?period=phase": {"text": "Falsch"},
        "/outcomes/new": {"title": "Falsch"},
    }
    answers = {path: page.request.post(path, form={"csrf_token": token, **data}, max_redirects=0).status
               for path, data in forged.items()}
    assert answers == {path: 403 for path in forged}
    assert not page.problems, page.problems


def _choose_person(page, label: str, name: str) -> None:
    """A person field (issue 21): type the name and take it from the suggestions, by keyboard."""
    field = page.get_by_role("combobox", name=label, exact=True)
    field.fill(name)
    expect(page.get_by_role("option", name=re.compile(re.escape(name))).first).to_be_visible()
    field.press("ArrowDown")
    field.press("Enter")
    expect(field).to_have_value(name)
    expect(field).to_have_attribute("aria-expanded", "false")
