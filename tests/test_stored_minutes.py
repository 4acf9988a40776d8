"""Minutes PDFs as they stand, kept per version of what they print and rendered by the job worker
when large (portal.documents.stored); the archive of published minutes is tests/test_minutes_pdf.py."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.actions.models import ActionItem
from portal.documents import minutes_pdf
from portal.documents.models import StoredDocument, StoredStatus
from portal.jobs import worker
from tests.test_minutes_pdf import _minutes


@pytest.fixture
def draft(make):
    meeting, office, moderator, people = _minutes(make, agenda=1, attendees=1)
    make.session.commit()
    return meeting, office, moderator, people


def _url(meeting) -> str:
    return f"/meetings/{meeting.id}/minutes.pdf"


def _stored(db) -> list[StoredDocument]:
    db.session.expire_all()
    return db.session.scalars(select(StoredDocument).where(StoredDocument.kind == "minutes")).all()


def _work(app, db):
    worker.run_due(db.session, app.config, kinds=(minutes_pdf.JOB_KIND,))


def test_minutes_are_rendered_once_and_then_served_as_stored(app, db, client, login_as, draft, monkeypatch):
    meeting, office, _, _ = draft
    login_as(office)
    first = client.get(_url(meeting))
    assert first.status_code == 200 and first.data.startswith(b"%PDF") and first.headers["ETag"]
    [kept] = _stored(db)
    assert kept.is_ready and kept.params == {"meeting": meeting.id}

    def renders(*args, **kwargs):
        raise AssertionError("stored minutes must not be rendered again")

    monkeypatch.setattr(minutes_pdf, "render_pdf", renders)
    again = client.get(_url(meeting))
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert [row.id for row in _stored(db)] == [kept.id]
    assert client.get(_url(meeting), headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("change", ["decision text", "attendance", "agenda", "action item", "publication"])
def test_whatever_is_printed_changes_the_version(app, db, client, login_as, draft, make, change):
    meeting, office, _, people = draft
    login_as(office)
    before = minutes_pdf.live_minutes(meeting).version
    assert minutes_pdf.live_minutes(meeting).version == before  # the time of rendering does not count
    if change == "decision text":
        meeting.decisions[0].text = "Die Gruppe beschließt Maßnahme X."  # as long as before
    elif change == "attendance":
        next(p for p in meeting.participations if p.person == people["absent"][0]).attendance = "excused"
    elif change == "agenda":
        meeting.agenda_items[0].title = "Thema Z"
    elif change == "action item":
        db.session.scalars(select(ActionItem).where(ActionItem.meeting_id == meeting.id)).first().title = "Z"
    else:
        meeting.minutes_status = "published"
    db.session.commit()
    assert minutes_pdf.live_minutes(meeting).version != before


def test_an_edited_decision_gives_a_new_stored_version(app, db, client, login_as, draft):
    meeting, office, _, _ = draft
    login_as(office)
    first = client.get(_url(meeting))
    [old] = [(row.id, row.version) for row in _stored(db)]
    meeting.decisions[0].text = "Die Gruppe beschließt Maßnahme 9."
    db.session.commit()
    second = client.get(_url(meeting))
    assert second.status_code == 200 and second.headers["ETag"] != first.headers["ETag"]
    [new] = _stored(db)  # the older version is forgotten
    assert (new.id, new.version) != old and new.version != old[1]
    assert new.version == minutes_pdf.live_minutes(meeting).version


def test_large_minutes_are_made_by_the_worker_while_a_page_shows_progress(app, db, client, login_as, draft,
                                                                          monkeypatch):
    meeting, office, _, _ = draft
    monkeypatch.setitem(app.config, "MINUTES_INLINE_ROWS", 3)
    assert minutes_pdf.live_minutes(meeting).rows > 3
    login_as(office)
    response = client.get(_url(meeting))
    location = response.headers["Location"]
    assert response.status_code == 302 and f"/meetings/{meeting.id}/minutes/pdf/" in location
    waiting = client.get(location)
    assert waiting.status_code == 200
    assert "Das Protokoll wird erstellt" in waiting.text and 'http-equiv="refresh"' in waiting.text
    assert client.get(_url(meeting)).headers["Location"] == location  # no second job
    _work(app, db)
    ready = client.get(location)
    assert "Das Protokoll ist fertig." in ready.text and 'http-equiv="refresh"' not in ready.text
    download = client.get(location + "?download=1")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    served = client.get(_url(meeting))  # now served from the table, at once
    assert served.status_code == 200 and served.data == download.data


def test_minutes_too_large_for_the_limits_fail_with_a_message(app, db, client, login_as, draft, monkeypatch):
    meeting, office, _, _ = draft
    monkeypatch.setitem(app.config, "MINUTES_INLINE_ROWS", 0)
    monkeypatch.setitem(app.config, "DOCUMENT_MEMORY_MB", 64)  # less than WeasyPrint needs
    login_as(office)
    location = client.get(_url(meeting)).headers["Location"]
    _work(app, db)
    page = client.get(location)
    assert page.status_code == 200 and 'role="alert"' in page.text
    assert "Das Protokoll ist zu umfangreich, um es als PDF zu erzeugen" in page.text
    assert [row.status for row in _stored(db)] == [StoredStatus.FAILED]
    assert client.get(_url(meeting)).headers["Location"] == location  # the message, not a new attempt
    assert client.get(location + "?download=1").status_code == 200  # the page, no file
    assert b"%PDF" not in client.get(location + "?download=1").data


def test_draft_minutes_stay_with_those_who_may_see_them(app, db, client, login_as, draft, make, monkeypatch):
    meeting, office, _, people = draft
    monkeypatch.setitem(app.config, "MINUTES_INLINE_ROWS", 0)
    login_as(office)
    location = client.get(_url(meeting)).headers["Location"]
    _work(app, db)
    other = make.meeting(None, title="Andere Sitzung", status="held", minutes_status="published")
    make.session.commit()
    stored_id = location.rsplit("/", 1)[1]
    assert client.get(f"/meetings/{other.id}/minutes/pdf/{stored_id}").status_code == 404  # not its minutes
    assert client.get(f"/meetings/{meeting.id}/minutes/pdf/999999").status_code == 404
    login_as(people["present"][0])  # attended, but the minutes are a draft
    assert client.get(location).status_code == 403
    assert client.get(location + "?download=1").status_code == 403
    assert client.get(_url(meeting)).status_code == 403


def test_a_deleted_meeting_fails_its_waiting_document(app, db, client, login_as, draft, monkeypatch):
    meeting, office, _, _ = draft
    monkeypatch.setitem(app.config, "MINUTES_INLINE_ROWS", 0)
    login_as(office)
    client.get(_url(meeting))
    [waiting] = _stored(db)
    waiting.params = {"meeting": 999999}  # as if the meeting were gone by the time the worker runs
    db.session.commit()
    _work(app, db)
    [failed] = _stored(db)
    assert failed.is_failed and "gibt es nicht mehr" in failed.error


def test_two_requests_at_once_keep_one_document(app, db, draft):
    meeting = draft[0]
    with app.test_request_context():
        live = minutes_pdf.live_minutes(meeting)
        first = minutes_pdf.keep_live(live, b"%PDF-1.7 first")
        second = minutes_pdf.keep_live(live, b"%PDF-1.7 second")  # rendered meanwhile by another request
        assert second.id == first.id and second.pdf == b"%PDF-1.7 first"
        db.session.commit()
        waiting = minutes_pdf.request_live(live)  # a job is not asked for what is stored
        assert waiting.id == first.id
    assert [row.id for row in _stored(db)] == [first.id]
