"""Materials (Unterlagen): uploads by who may, downloads byte-identical for whoever may see the
meeting, limits told at the field, versions, soft deletion, and where they are listed."""
from __future__ import annotations

import hashlib
import io
import os

from pypdf import PdfReader
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.materials.files import sniff
from portal.materials.models import Material, MaterialVersion
from tests.factories import utc

MB = 1024 * 1024


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + os.urandom(size - len(head))


def _meeting(make):
    office = make.person("office", name="Olga Office")
    moderator = make.person("member", name="Max Moderator")
    member = make.person("member", name="Mia Mitglied")
    presenter = make.person("member", name="Paul Präsentiert")
    group = make.group(moderator=moderator, members=[member], name="Handel der Zukunft")
    meeting = make.meeting(group, title="Sitzung Handel", starts_at=utc(2030, 5, 4, 15))
    make.participation(meeting, member)
    item = make.agenda_item(meeting, title="Lieferdienst", presenter=presenter)
    return office, moderator, member, presenter, meeting, item


def _upload(client, meeting, item, data: bytes, filename="folien.pdf", title="Folien"):
    url = f"/meetings/{meeting.id}/agenda/{item.id}/materials/new" if item else f"/meetings/{meeting.id}/materials/new"
    return client.post(url, data={"title": title, "upload": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def test_a_3_mb_pdf_on_an_agenda_item_is_downloaded_byte_identical(client, make, login_as, db):
    office, _, member, _, meeting, item = _meeting(make)
    observer = make.person("observer")
    data = _pdf(3 * MB)
    login_as(office)
    assert _upload(client, meeting, item, data).status_code == 302
    material = db.session.scalar(select(Material))
    version = material.current
    assert version.sha256 == hashlib.sha256(data).hexdigest() and version.size == len(data)
    for person in (member, observer):
        login_as(person)
        page = client.get(f"/meetings/{meeting.id}").text
        assert "Folien" in page and "3 MB" in page and "Olga Office" in page
        response = client.get(f"/materials/{material.id}/versions/1")
        assert response.status_code == 200 and response.data == data
        assert response.headers["Content-Disposition"] == 'inline; filename="folien.pdf"'
    client.get("/logout")
    client.post("/logout")
    response = client.get(f"/materials/{material.id}/versions/1")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_too_large_and_renamed_exe_are_refused_at_the_field(client, make, login_as, app, db):
    office, _, _, _, meeting, item = _meeting(make)
    login_as(office)
    response = _upload(client, meeting, item, _pdf(30 * MB), title="Zu groß")
    assert response.status_code == 422
    assert "Die Datei ist zu groß: höchstens 25 MB." in response.text and 'value="Zu groß"' in response.text
    response = _upload(client, meeting, item, b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4000), title="Getarnt")
    assert response.status_code == 422
    assert "Dieser Dateityp wird nicht angenommen" in response.text and 'value="Getarnt"' in response.text
    assert db.session.scalar(select(Material)) is None
    # a body far above the limit is not read at all; the message stays at the field
    app.config["MATERIAL_MAX_BYTES"] = 1 * MB
    try:
        response = _upload(client, meeting, item, _pdf(4 * MB), title="Riesig")
        assert response.status_code == 422 and "höchstens 1 MB" in response.text
    finally:
        app.config["MATERIAL_MAX_BYTES"] = 25 * MB


def test_types_are_told_by_content():
    assert sniff(b"%PDF-1.7\n") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff("Grüße\n".encode()) == "text/plain; charset=utf-8"
    assert sniff(b"MZ\x90\x00") is None
    assert sniff(b"PK\x03\x04broken") is None


def test_presenter_uploads_to_her_item_only_and_versions_stay_listed(client, make, login_as, db):
    office, _, member, presenter, meeting, item = _meeting(make)
    login_as(presenter)
    assert _upload(client, meeting, None, _pdf(1000)).status_code == 403
    assert _upload(client, meeting, item, b"erste Fassung\n", filename="notiz.txt").status_code == 302
    material = db.session.scalar(select(Material))
    response = client.post(f"/materials/{material.id}",
                           data={"upload": (io.BytesIO(b"zweite Fassung\n"), "notiz.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    login_as(member)
    assert _upload(client, meeting, item, _pdf(1000)).status_code == 403
    page = client.get(f"/materials/{material.id}").text
    assert "(aktuell)" in page and page.count("notiz.txt") == 2
    assert client.get(f"/materials/{material.id}/versions/1").data == b"erste Fassung\n"
    assert client.get(f"/materials/{material.id}/versions/2").data == b"zweite Fassung\n"
    assert "Version 2" in client.get(f"/meetings/{meeting.id}").text


def test_removal_is_soft_and_audited(client, make, login_as, db):
    office, moderator, member, _, meeting, item = _meeting(make)
    material = make.material(meeting, item=item, by=office, title="Alte Folien")
    login_as(moderator)
    response = client.post(f"/materials/{material.id}/delete", data={"confirm": "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Material, material.id).deleted_at is not None
    assert db.session.scalar(select(MaterialVersion)) is not None  # the rows stay
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "material.delete"))
    assert event.actor_id == moderator.id and event.entity_id == material.id
    client.get(f"/meetings/{meeting.id}")  # shows the flash message that names it
    login_as(member)
    assert "Alte Folien" not in client.get(f"/meetings/{meeting.id}").text
    assert client.get(f"/materials/{material.id}/versions/1").status_code == 404


def test_internal_materials_only_for_who_manages_the_meeting(client, make, login_as):
    office, moderator, member, _, meeting, _ = _meeting(make)
    make.material(meeting, by=office, title="Kalkulation intern", internal=True)
    login_as(member)
    assert "Kalkulation intern" not in client.get(f"/meetings/{meeting.id}").text
    login_as(moderator)
    assert "Kalkulation intern" in client.get(f"/meetings/{meeting.id}").text


def test_invitation_mail_lists_materials_with_links(client, make, login_as, outbox, app):
    office, _, member, _, meeting, item = _meeting(make)
    make.material(meeting, item=item, by=office, title="Folien Lieferdienst")
    make.material(meeting, by=office, title="Geheim", internal=True)
    login_as(office)
    client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "y"})
    text = outbox.text(outbox.to(member.email)[0])
    assert "Unterlagen:" in text and "Folien Lieferdienst (Lieferdienst)" in text and "Geheim" not in text
    assert f"{app.config['PORTAL_BASE_URL']}/materials/" in text


def test_minutes_page_and_pdf_list_materials_with_sha256(client, make, login_as, db):
    office, _, _, _, meeting, item = _meeting(make)
    meeting.status, meeting.minutes_status = "held", "draft"
    material = make.material(meeting, item=item, by=office, title="Folien Lieferdienst")
    login_as(office)
    digest = material.current.sha256
    assert digest in client.get(f"/meetings/{meeting.id}/minutes").text
    pdf = client.get(f"/meetings/{meeting.id}/minutes.pdf").data
    if os.environ.get("MATERIALS_PDF_OUT"):
        with open(os.environ["MATERIALS_PDF_OUT"], "wb") as out:
            out.write(pdf)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Unterlagen" in text and "Folien Lieferdienst" in " ".join(text.split())
    assert digest in "".join(text.split())


def test_meeting_page_query_count_flat(client, make, login_as, db, count_queries):
    office, _, member, _, meeting, item = _meeting(make)
    counts = []
    for total in (2, 50):
        existing = db.session.query(Material).count()
        for k in range(total - existing):
            make.material(meeting, item=item if k % 2 else None, by=office, title=f"Unterlage {k}")
        login_as(member)
        db.session.expire_all()
        with count_queries() as counter:
            assert client.get(f"/meetings/{meeting.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_titles_are_searchable_unless_internal_and_exported_as_own_data(client, make, login_as, db):
    from portal.privacy.export import collect
    office, _, member, presenter, meeting, item = _meeting(make)
    make.material(meeting, item=item, by=presenter, title="Lastenradkonzept")
    make.material(meeting, by=office, title="Lastenradkalkulation", internal=True)
    db.session.flush()
    login_as(member)
    page = client.get("/search", query_string={"q": "Lastenrad*"}).text
    assert 'href="/materials/' in page and "Lastenradkonzept" in page
    assert "Lastenradkalkulation" not in page
    rows = collect(presenter)["materials"]
    assert [(r["title"], r["version"], r["filename"]) for r in rows] == [("Lastenradkonzept", 1, "unterlage.pdf")]
    assert collect(member)["materials"] == []


def test_a_link_needs_a_full_address_and_is_listed_at_its_agenda_item(client, make, login_as, db):
    office, _, member, _, meeting, item = _meeting(make)
    login_as(office)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/materials/new"
    response = client.post(url, data={"title": "Projektseite", "url": "projekt"})
    assert response.status_code == 422 and "https://" in response.text and 'value="Projektseite"' in response.text
    response = client.post(url, data={"title": "Nichts"})
    assert response.status_code == 422 and "Bitte eine Datei wählen oder einen Link angeben." in response.text
    assert client.post(url, data={"title": "Projektseite", "url": "https://example.org/projekt"}).status_code == 302
    login_as(member)
    page = client.get(f"/meetings/{meeting.id}").text
    row = page[page.index(f'id="item-{item.id}"'):]
    assert 'href="https://example.org/projekt"' in row[:row.index("</tr>")]
