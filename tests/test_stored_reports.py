"""Report PDFs kept per data version and rendered by the job worker when large."""
from __future__ import annotations

import csv
import io
from datetime import date

import pikepdf
import pytest
from sqlalchemy import select

from portal.documents import render
from portal.documents import stored as documents
from portal.documents.models import StoredDocument as StoredReport
from portal.documents.models import StoredStatus
from portal.jobs import worker
from portal.reports import stored
from tests.factories import utc
from tests.test_reports import pdf_text

QUERY = "/reports/progress.pdf?start=2030-01-01&end=2030-12-31"


@pytest.fixture
def observer(make, login_as):
    group = make.group(name="Handel der Zukunft")
    meeting = make.meeting(group, title="Sitzung", starts_at=utc(2030, 3, 10, 16), status="held",
                           minutes_status="published")
    make.decision(meeting, number=1, text="Die Gruppe startet.")
    return login_as(make.person("observer"))


def _work(app, db):
    worker.run_due(db.session, app.config, kinds=(stored.JOB_KIND,))


def test_a_small_report_is_rendered_at_once_and_then_served_as_stored(client, observer, db, monkeypatch):
    first = client.get(QUERY)
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert db.session.scalar(select(StoredReport.status)) == StoredStatus.READY

    def renders(*args, **kwargs):
        raise AssertionError("a stored report must not be rendered again")

    monkeypatch.setattr(render, "render_pdf", renders)
    monkeypatch.setattr("portal.reports.document.render_printable", renders)
    again = client.get(QUERY)
    assert again.status_code == 200 and again.data == first.data


def test_new_data_makes_a_new_version(client, observer, make, db):
    client.get(QUERY)
    version = stored.data_version()
    meeting = make.meeting(None, starts_at=utc(2030, 5, 1, 16))
    make.decision(meeting, number=1, text="Noch ein Beschluss.")
    db.session.commit()
    assert stored.data_version() != version
    client.get(QUERY)
    # the new version is kept, the older one forgotten
    assert db.session.scalars(select(StoredReport.version)).all() == [stored.data_version()]


def test_an_update_of_the_portal_prints_anew(client, observer, db, monkeypatch, tmp_path):
    """Stored documents are kept per version of the portal's code and templates too: after an
    update that prints differently nobody is served what the old code printed."""
    for name, text in (("portal/a.py", "x = 1"), ("templates/print/report.html", "<p>alt</p>")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    before = documents.software_fingerprint(tmp_path)
    (tmp_path / "templates/print/report.html").write_text("<p>neu</p>")
    documents.software_fingerprint.cache_clear()
    assert documents.software_fingerprint(tmp_path) != before
    assert documents.software_fingerprint(documents.ROOT) == documents.software_fingerprint(documents.ROOT)

    client.get(QUERY)
    version = stored.data_version()
    monkeypatch.setattr(documents, "ROOT", tmp_path)  # the same data under another release
    assert stored.data_version() != version
    assert client.get(QUERY).status_code == 200
    assert db.session.scalars(select(StoredReport.version)).all() == [stored.data_version()]


def test_a_large_report_is_made_by_the_worker_while_the_page_shows_progress(app, client, observer, db,
                                                                             monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_INLINE_MEETINGS", 0)
    response = client.get(QUERY)
    assert response.status_code == 302 and "/reports/documents/" in response.headers["Location"]
    waiting = client.get(response.headers["Location"])
    assert "Der Bericht wird erstellt" in waiting.text and 'http-equiv="refresh"' in waiting.text
    assert client.get(QUERY).headers["Location"] == response.headers["Location"]  # no second job
    _work(app, db)
    ready = client.get(response.headers["Location"])
    assert "Der Bericht ist fertig." in ready.text and 'http-equiv="refresh"' not in ready.text
    download = client.get(response.headers["Location"] + "?download=1")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    assert client.get(QUERY).data == download.data  # now served from the table


def test_a_report_too_long_to_print_tables_its_groups_and_carries_its_lists(app, client, observer, make, db,
                                                                            monkeypatch):
    """Above REPORT_PRINT_ENTRIES meetings and decisions the worker's PDF has one table of the groups
    instead of a chapter each; every meeting and decision, with its wording, and the goals and
    outcomes with their milestones are in the attached CSVs."""
    quiet = make.group(name="Stille Gruppe")
    cancelled = make.meeting(quiet, title="Ausgefallene Sitzung", starts_at=utc(2030, 1, 5, 16), status="cancelled")
    cancelled.cancel_reason = "Krankheit"
    make.goal(quiet, title="Zehn Betriebe gewinnen", description="Aus dem Handwerk", status="reached",
              reached_on=date(2030, 4, 2))
    louise = make.outcome(None, title="Louise", partners="Stadtwerke")
    make.milestone(louise, title="Pilot", due_on=date(2030, 5, 1), reached_on=date(2030, 5, 3))
    db.session.commit()
    monkeypatch.setitem(app.config, "REPORT_INLINE_MEETINGS", 0)
    monkeypatch.setitem(app.config, "REPORT_PRINT_ENTRIES", 1)  # one meeting and one decision: too many
    location = client.get(QUERY).headers["Location"]
    _work(app, db)
    pdf = client.get(location + "?download=1").data
    text = " ".join(pdf_text(pdf).split())
    assert "Reallabore und Plenum im Überblick" in text and "Stille Gruppe" in text
    assert "Im Zeitraum gab es 1 Treffen und 1 Beschluss – zu viele" in text
    assert "Die Gruppe startet." not in text and "Verzeichnis der Beschlüsse" not in text
    assert "treffen.csv" in text and "beschluesse.csv" in text and "ziele-und-ergebnisse.csv" in text
    with pikepdf.open(io.BytesIO(pdf)) as document:  # open while its attachments are read
        files = {name: list(csv.reader(io.StringIO(spec.get_file().read_bytes().decode("utf-8-sig")), delimiter=";"))
                 for name, spec in document.attachments.items()}
    assert set(files) == {"treffen.csv", "beschluesse.csv", "ziele-und-ergebnisse.csv"}
    for name, rows in files.items():
        assert {len(row) for row in rows} == {len(rows[0])}, name  # every row as wide as its header
    assert files["beschluesse.csv"] == [
        ["Datum", "Beginn", "Reallabor", "Treffen", "Beschluss", "Abstimmung", "Wortlaut"],
        ["10.03.2030", "17:00", "Handel der Zukunft", "Sitzung", "1", "", "Die Gruppe startet."]]
    cancelled_row, held_row = files["treffen.csv"][1:]  # by date, the cancelled one too
    assert cancelled_row[:5] == ["05.01.2030", "17:00", "Stille Gruppe", "Ausgefallene Sitzung", "abgesagt"]
    assert cancelled_row[5:] == ["", "", "", "", "", "Krankheit"]
    assert held_row[3:5] == ["Sitzung", "stattgefunden"] and held_row[9:] == ["1", ""]
    assert files["ziele-und-ergebnisse.csv"][1:] == [
        ["Stille Gruppe", "Ziel", "Zehn Betriebe gewinnen", "", "erreicht", "", "02.04.2030", "Aus dem Handwerk", ""],
        ["Plenum", "Ergebnis", "Louise", "", "Idee", "", "", "", "Stadtwerke"],
        ["Plenum", "Meilenstein", "Pilot", "Louise", "", "01.05.2030", "03.05.2030", "", ""]]


def test_a_report_within_the_print_limit_prints_every_decision_and_attaches_nothing(client, observer):
    pdf = client.get(QUERY).data
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert not document.attachments
    assert "Die Gruppe startet." in pdf_text(pdf)


def test_a_report_too_large_for_its_limits_fails_with_a_message(app, client, observer, db, monkeypatch):
    monkeypatch.setitem(app.config, "REPORT_INLINE_MEETINGS", 0)
    monkeypatch.setitem(app.config, "DOCUMENT_MEMORY_MB", 64)  # less than WeasyPrint needs
    location = client.get(QUERY).headers["Location"]
    _work(app, db)
    page = client.get(location)
    assert page.status_code == 200 and "zu groß" in page.text
    assert db.session.scalar(select(StoredReport.status)) == StoredStatus.FAILED


def test_unknown_stored_report_is_404(client, observer):
    assert client.get("/reports/documents/999999").status_code == 404


def test_edits_in_place_make_a_new_version(client, observer, make, db, app, monkeypatch):
    meeting = make.meeting(None, starts_at=utc(2030, 5, 1, 16), status="held")
    decision = make.decision(meeting, number=1, text="Ein Beschluss.")
    attendee = make.participation(meeting, make.person("member"))
    db.session.commit()
    versions = [stored.data_version()]
    decision.text = "Ein geänderter Beschluss."
    db.session.commit()
    versions.append(stored.data_version())
    decision.votes_yes = 7
    db.session.commit()
    versions.append(stored.data_version())
    attendee.attendance = "present"
    db.session.commit()
    versions.append(stored.data_version())
    assert len(set(versions)) == 4
    # an edit none of the counts notice (same length) is printed after DOCUMENT_MAX_AGE_S at the latest
    now = stored.time.time()
    monkeypatch.setattr(stored.time, "time", lambda: now + app.config["DOCUMENT_MAX_AGE_S"])
    assert stored.data_version() != versions[-1]
