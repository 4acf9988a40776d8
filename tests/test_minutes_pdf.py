"""Minutes as PDF: content, draft watermark, archive served unchanged, PDF/A tagging, safety,
permissions. Real renders are few (each costs about half a second); tests of what happens
around the renderer replace it with a stub."""
from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from pypdf import PdfReader

from portal.actions.models import CarriedActionItem
from portal.documents import minutes_pdf
from portal.documents.render import STATIC_DIR, StaticOnlyFetcher
from portal.minutes.data import load_minutes
from portal.minutes.models import MinutesAmendment
from tests.factories import utc

FAKE_PDF = b"%PDF-1.7 stub"


def _text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def _minutes(make, status="draft", *, agenda=2, attendees=2, actions=1, group="Handel der Zukunft"):
    """A held group meeting with attendance of every kind, decisions and action items."""
    office = make.person("office", name="Olga Office")
    moderator = make.person("member", name="Max Moderator")
    group = make.group(moderator=moderator, name=group)
    org = make.organization(name=f"Bäckerei Brinkmann ({group})")
    earlier = make.meeting(group, title="Erste Sitzung", starts_at=utc(2030, 1, 10, 16), status="held")
    meeting = make.meeting(group, title="Stadtlogistik Louise", number=7, starts_at=utc(2030, 3, 10, 16),
                           status="held", minutes_status=status, location="Rathaus Bottrop",
                           room="Kammersaal", moderator=moderator, minute_taker=office)
    people = {}
    for state in ("present", "excused", "absent"):
        for n in range(attendees):
            person = make.person("member", name=f"Jürgen {state.title()}{n} Größe", organization=org)
            make.participation(meeting, person, attendance=state)
            people.setdefault(state, []).append(person)
    make.participation(meeting, None, guest_name="Gisela Gast", guest_organization="Stadt Bottrop",
                       attendance="present")
    for n in range(agenda):
        item = make.agenda_item(meeting, title=f"Thema {n}", planned_minutes=20,
                                minutes_text=f"Bericht **{n}** über Lastenräder.")
        make.decision(meeting, agenda_item=item, text=f"Die Gruppe beschließt Maßnahme {n}.",
                      votes_yes=9, votes_no=1, votes_abstain=2)
        for k in range(actions):
            make.action_item(people["present"][0], group, meeting=meeting, agenda_item=item,
                             title=f"Aufgabe {n}.{k} erledigen", due_on=date(2030, 4, 15))
    old = make.action_item(moderator, group, meeting=earlier, title="Lastenrad leasen",
                           due_on=date(2030, 2, 1))
    make._add(CarriedActionItem(meeting=meeting, action_item=old, status="in_progress",
                                note="Angebot liegt vor"))
    return meeting, office, moderator, people


def test_draft_pdf_shows_the_whole_minutes_in_reading_order(app, db, make, login_as, client):
    meeting, office, _, people = _minutes(make)
    meeting.agenda_items[0].minutes_text = (
        "<style>body{display:none}</style> <img src='http://evil.example/x.png'> "
        "![bild](http://evil.example/y.png) [Link](javascript:alert(1))"
    )
    login_as(office)
    response = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    reader, pages = _text(response.data)
    text = "\n".join(pages)
    assert "Stadtlogistik Louise" in text and "Handel der Zukunft" in text
    assert "7. Sitzung" in text and "Kammersaal" in text and "Max Moderator" in text
    # every attendee under their status, in this order
    positions = [text.index(h) for h in ("Anwesend (2)", "Entschuldigt (2)", "Abwesend (2)", "Gäste (1)")]
    assert positions == sorted(positions)
    for state, heading, after in (("present", "Anwesend", "Entschuldigt"),
                                  ("excused", "Entschuldigt", "Abwesend"),
                                  ("absent", "Abwesend", "Gäste")):
        section = text[text.index(f"{heading} (2)"):text.index(f"{after} (")]
        for person in people[state]:
            assert person.name in section
    assert "Bäckerei Brinkmann" in text and "Gisela Gast" in text and "Stadt Bottrop" in text
    for n in range(2):
        assert f"Beschluss 7/{n + 1}" in text and f"Maßnahme {n}." in text  # as on the minutes page
        assert f"Aufgabe {n}.0 erledigen" in text
    assert "9 Ja, 1 Nein, 2 Enthaltungen" in text
    assert "Lastenrad leasen" in text and "Angebot liegt vor" in text  # carried item
    assert "15.04.2030" in text and people["present"][0].name in text
    assert "Seite 1 von " in pages[0] and f"Seite {len(pages)} von {len(pages)}" in pages[-1]
    assert all("ENTWURF" in page for page in pages)
    # user text stays text: no markup, no fetch
    assert "<style>body{display:none}</style>" in text
    assert "evil.example/x.png" in text
    # archivable and accessible: language, title, tags, embedded fonts
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "de"
    assert reader.metadata.title == "Protokoll: Stadtlogistik Louise (10.03.2030)"
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert b"pdfaid:part" in root["/Metadata"].get_object().get_data()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object()


def test_minutes_page_and_pdf_cite_decisions_and_count_attendance_alike(db, make, login_as, client):
    meeting, office, _, _ = _minutes(make, agenda=1)
    login_as(office)
    page = client.get(f"/meetings/{meeting.id}/minutes").text
    _, pages = _text(client.get(f"/meetings/{meeting.id}/minutes.pdf").data)
    pdf = " ".join(" ".join(pages).split())
    for words in ("Beschluss 7/1", "Anwesend (2) und 1 Gast", "Entschuldigt (2)", "Abwesend (2)"):
        assert words in page and words in pdf, words


def test_published_pdf_is_archived_and_served_unchanged(app, db, make, login_as, client, monkeypatch):
    meeting, office, _, _ = _minutes(make, status="approved", agenda=1)
    meeting.approved_at, meeting.approved_by = utc(2030, 3, 20, 9), office
    meeting.minutes_status, meeting.published_at, meeting.published_by = "published", utc(2030, 3, 21, 9), office
    document = minutes_pdf.archive_minutes(meeting)
    db.session.commit()
    assert document.version == 1 and document.sha256 == hashlib.sha256(document.pdf).hexdigest()
    _, pages = _text(document.pdf)
    assert not any("ENTWURF" in page for page in pages)
    assert "Genehmigt am 20. März 2030 von Olga Office" in "".join(pages)
    assert minutes_pdf.stored_document(meeting).sha256 == document.sha256

    def template_changed(data):
        raise AssertionError("a published PDF must not be rendered again")

    monkeypatch.setattr(minutes_pdf, "minutes_html", template_changed)
    login_as(make.person("member"))
    first = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    second = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert first.status_code == second.status_code == 200
    assert first.data == second.data == document.pdf
    assert first.headers["ETag"] == f'"{document.sha256}"'
    again = client.get(f"/meetings/{meeting.id}/minutes.pdf",
                       headers={"If-None-Match": f'"{document.sha256}"'})
    assert again.status_code == 304


def test_amendment_adds_a_version_and_earlier_versions_stay_downloadable(
        app, db, make, login_as, client, monkeypatch):
    meeting, office, _, _ = _minutes(make, status="published", agenda=1)
    renders = iter([FAKE_PDF + b" 1", FAKE_PDF + b" 2"])
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, title, lang: next(renders))
    first = minutes_pdf.archive_minutes(meeting)
    amendment = MinutesAmendment(meeting_id=meeting.id, text="TOP 1 berichtigt.", author_id=office.id)
    db.session.add(amendment)
    second = minutes_pdf.archive_minutes(meeting, amendment)
    db.session.commit()
    assert (first.version, second.version, second.amendment_id) == (1, 2, amendment.id)
    assert [d.version for d in minutes_pdf.documents_of(meeting)] == [2, 1]
    login_as(office)
    url = f"/meetings/{meeting.id}/minutes.pdf"
    assert client.get(url).data == FAKE_PDF + b" 2"
    assert client.get(url + "?version=1").data == FAKE_PDF + b" 1"
    assert client.get(url + "?version=3").status_code == 404
    assert client.get(url + "?version=eins").status_code == 404


def test_amended_minutes_show_the_amendment(app, db, make):
    meeting, office, _, _ = _minutes(make, status="published", agenda=1)
    db.session.add(MinutesAmendment(meeting_id=meeting.id, text="Im TOP 1 heißt es *neun*.",
                                    signed_off_by_id=office.id))
    db.session.flush()
    with app.test_request_context():
        html = minutes_pdf.minutes_html(load_minutes(meeting, version=2))
    assert "Änderungen nach der Veröffentlichung" in html and "<em>neun</em>" in html
    assert "Freigegeben von Olga Office" in html and "Fassung 2" in html


@pytest.mark.parametrize("status,who,expected", [
    ("draft", "member", 403),          # drafts only for those who write them
    ("in_review", "attendee", 200),    # attendees review the minutes
    ("in_review", "member", 403),
    ("none", "moderator", 403),        # nothing written yet
    ("published", "anonymous", 302),   # to the login page
])
def test_who_may_download_the_minutes(app, db, make, login_as, client, monkeypatch,
                                      status, who, expected):
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, title, lang: FAKE_PDF)
    meeting, _, moderator, people = _minutes(make, status=status, agenda=1, attendees=1)
    person = {"member": make.person("member"), "attendee": people["present"][0],
              "moderator": moderator}.get(who)
    if person is not None:
        login_as(person)
    assert client.get(f"/meetings/{meeting.id}/minutes.pdf").status_code == expected


def test_unknown_meeting_is_404(client, make, login_as):
    login_as(make.person("office"))
    assert client.get("/meetings/999999/minutes.pdf").status_code == 404


def test_renderer_fetches_only_the_portals_static_files():
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch((STATIC_DIR / "logo.svg").as_uri()).read().startswith(b"<svg")
    for url in ("http://127.0.0.1/x.png", "https://example.org/font.ttf", "data:text/css,body{}",
                "file:///etc/passwd", (STATIC_DIR / ".." / "config.py").as_uri(),
                "file://evil.example/" + str(STATIC_DIR / "logo.svg")):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_minutes_load_in_a_constant_number_of_queries(app, db, make, count_queries):
    small, *_ = _minutes(make, agenda=1, attendees=1, actions=1)
    large, *_ = _minutes(make, agenda=6, attendees=8, actions=3, group="Handwerk digital")
    counts = []
    with app.test_request_context():
        for meeting in (small, large):
            db.session.expire_all()
            with count_queries() as counter:
                minutes_pdf.minutes_html(load_minutes(meeting))
            counts.append(counter.count)
    assert counts[0] == counts[1] <= 9  # with the list of materials


def test_meeting_page_shows_the_hash_of_each_archived_version(db, make, login_as, client, monkeypatch):
    meeting, office, _, _ = _minutes(make, status="published", agenda=1)
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, title, lang: FAKE_PDF)
    document = minutes_pdf.archive_minutes(meeting)
    db.session.commit()
    login_as(make.person("member"))
    page = client.get(f"/meetings/{meeting.id}").text
    assert document.sha256 in page
    assert f"/meetings/{meeting.id}/minutes.pdf?version=1" in page
