"""Pages kept per viewer and data version (portal.kept_pages): asked again while nothing changed, a
page costs a few queries; after any change, in another language, for another viewer or another
sign-in, after a minute, or with a message to show, it is rendered anew."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from portal import kept_pages
from portal.auth import sessions
from portal.extensions import db as _db
from portal.jobs.models import Job
from portal.meetings.models import Meeting
from portal.types import utcnow
from tests.conftest import PortalClient


@pytest.fixture
def group(make):
    return make.group(name="Handel der Zukunft", short_name="Handel")


@pytest.fixture
def member(make, group):
    person = make.person(name="Mia Mitglied")
    make.membership(person, group)
    return person


@pytest.fixture
def meeting(make, group, member):
    meeting = make.meeting(group, title="Ladenleerstand im Quartier")
    make.participation(meeting, member, invited_at=utcnow())
    return meeting


@contextmanager
def statements():
    """The SQL statements run inside the block (kept pages stay on, unlike count_queries)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            seen.append(statement)

    event.listen(_db.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(_db.engine, "before_cursor_execute", note)


KEPT = 3  # statements of a kept page: the signed-in person, a new privacy notice to accept?, the version


def kept(browser, path: str) -> None:
    """Ask twice: the first request after a sign-in changes the session (not kept), the second is kept."""
    browser.get(path)
    browser.get(path)


def signed_in(app, person):
    """A client of its own (another browser) with `person` signed in."""
    app.test_client_class = PortalClient
    browser = app.test_client()
    sessions.start(person)
    _db.session.commit()
    with browser.session_transaction() as session:
        session["_user_id"] = person.get_id()
        session["_fresh"] = True
    return browser


def test_a_page_asked_again_costs_the_sign_in_and_the_version_only(client, login_as, member, meeting):
    login_as(member)
    client.get(f"/meetings/{meeting.id}")  # the first request after the sign-in changes the session
    with statements() as first:
        rendered = client.get(f"/meetings/{meeting.id}").text
    with statements() as again:
        served = client.get(f"/meetings/{meeting.id}").text
    assert served == rendered and "Ladenleerstand im Quartier" in served
    assert len(first) > len(again) == KEPT, [s[:60] for s in again]
    assert "page_changes" in again[-1]


def test_an_answer_given_in_the_portal_shows_at_once_with_its_message(client, login_as, member, meeting):
    login_as(member)
    for _ in range(3):
        assert "keine Antwort" in client.get(f"/meetings/{meeting.id}").text
    answered = client.post(f"/meetings/{meeting.id}/rsvp", data={"answer": "accepted"}, follow_redirects=True)
    assert "Ihre Antwort ist gespeichert: Zusage." in answered.text
    again = client.get(f"/meetings/{meeting.id}").text
    assert "Ihre Antwort ist gespeichert" not in again and "keine Antwort" not in again and "Zusage" in again


def test_a_change_from_outside_a_request_shows_at_once(client, login_as, db, member, meeting):
    """The job worker, the CLI and a statement without a flush write through the same session events."""
    login_as(member)
    for _ in range(2):
        assert "Ladenleerstand im Quartier" in client.get("/meetings").text
    meeting.title = "Leerstand und Zwischennutzung"
    db.session.commit()
    assert "Leerstand und Zwischennutzung" in client.get("/meetings").text
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(title="Pop-up-Läden"))
    db.session.commit()
    assert "Pop-up-Läden" in client.get("/meetings").text


def test_bookkeeping_that_pages_show_counts_too(db, make):
    """Only the logs, sign-ins and the search index leave the version alone: a job's state or a
    stored document is shown on pages (a PDF being made, ready)."""
    before = kept_pages.LOG.version()
    make.mail_job()
    db.session.commit()
    after_job = kept_pages.LOG.version()
    db.session.execute(update(Job).values(attempts=Job.attempts + 1))
    db.session.commit()
    assert len({before, after_job, kept_pages.LOG.version()}) == 3


def test_another_viewer_gets_her_own_page(app, client, login_as, make, member, meeting):
    login_as(member)
    client.get(f"/meetings/{meeting.id}")
    as_member = client.get(f"/meetings/{meeting.id}").text
    office = signed_in(app, make.person("office", name="Olga Office"))
    office.get(f"/meetings/{meeting.id}")
    as_office = office.get(f"/meetings/{meeting.id}").text
    assert "Sie sind eingeladen." in as_member and "Sie sind eingeladen." not in as_office
    assert f'/meetings/{meeting.id}/edit"' in as_office and f'/meetings/{meeting.id}/edit"' not in as_member


def test_a_second_browser_of_the_same_person_renders_its_own_page(app, client, login_as, member, meeting):
    """Its forms carry the tokens of its own session."""
    login_as(member)
    kept(client, f"/meetings/{meeting.id}")
    with statements() as first_browser:
        client.get(f"/meetings/{meeting.id}")
    other = signed_in(app, member)
    other.get(f"/meetings/{meeting.id}")
    with statements() as second_browser:
        other.get(f"/meetings/{meeting.id}")
    assert len(second_browser) > len(first_browser) == KEPT
    client.post("/logout")
    assert client.get(f"/meetings/{meeting.id}").status_code == 302  # signed out: to the sign-in
    assert other.get(f"/meetings/{meeting.id}").status_code == 200


def test_the_other_language_is_rendered_anew(client, login_as, db, member, meeting):
    login_as(member)
    for _ in range(2):
        assert "Treffen" in client.get("/meetings").text
    member.locale = "en"
    db.session.commit()
    english = client.get("/meetings").text
    assert "Meetings" in english and 'lang="en"' in english


def test_after_a_minute_the_page_is_rendered_anew(client, login_as, member, meeting, monkeypatch):
    """What depends on the time (overdue, a meeting running) is at most a minute old."""
    login_as(member)
    kept(client, "/meetings")
    with statements() as again:
        client.get("/meetings")
    later = utcnow() + timedelta(minutes=1)
    monkeypatch.setattr(kept_pages, "utcnow", lambda: later)
    with statements() as rendered:
        client.get("/meetings")
    assert len(rendered) > len(again) == KEPT


def test_an_error_page_is_not_kept(client, login_as, member):
    login_as(member)
    for _ in range(2):
        assert client.get("/meetings/999999").status_code == 404
    with statements() as seen:
        client.get("/meetings/999999")
    assert len(seen) > KEPT


def test_pages_beyond_the_memory_are_dropped_least_recently_used_first():
    pages = kept_pages.KeptPages(max_bytes=8 * 100)
    for name in "abcdefghij":
        pages.put(name, b"x" * 100, [])
        pages.get("a")  # a is asked for again and again
    assert pages.size <= 800 and pages.get("a") is not None
    assert pages.get("b") is None and pages.get("j") is not None
    pages.put("big", b"x" * 101, [])  # more than an eighth of the memory: never kept
    assert pages.get("big") is None


def test_no_page_is_kept_when_the_memory_is_zero(app, client, login_as, member, meeting, monkeypatch):
    monkeypatch.delitem(app.extensions, kept_pages.EXTENSION)
    login_as(member)
    kept(client, "/meetings")
    with statements() as seen:
        client.get("/meetings")
    assert len(seen) > KEPT
    assert _db.session.scalar(select(Meeting.title).where(Meeting.id == meeting.id)) in client.get("/meetings").text
