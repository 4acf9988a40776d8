"""Materials (Unterlagen) on an action item: its owner, the group's moderators and the office add
them; whoever sees the item sees them; the same limits, versions and soft deletion as on meetings."""
from __future__ import annotations

import io
import os

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.materials.models import Material, MaterialVersion

MB = 1024 * 1024


def _pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    return head + os.urandom(size - len(head))


def _action(make):
    office = make.person("office", name="Olga Office")
    moderator = make.person("member", name="Max Moderator")
    owner = make.person("member", name="Olli Owner")
    member = make.person("member", name="Mia Mitglied")
    group = make.group(moderator=moderator, members=[owner, member], name="Handel der Zukunft")
    action = make.action_item(owner, group, title="Angebote für Lastenräder einholen")
    return office, moderator, owner, member, action


def _upload(client, action, data: bytes, filename="angebot.pdf", title="Kostenvoranschlag", **fields):
    return client.post(f"/actions/{action.id}/materials/new",
                       data={"title": title, "upload": (io.BytesIO(data), filename), **fields},
                       content_type="multipart/form-data")


def test_the_owner_uploads_and_a_member_who_is_not_owner_may_not(client, make, login_as, db):
    office, moderator, owner, member, action = _action(make)
    login_as(owner)
    page = client.get(f"/actions/{action.id}").text
    assert "Noch keine Unterlagen." in page and f'action="/actions/{action.id}/materials/new"' in page
    assert 'name="internal"' not in page  # "intern" is the office's to mark
    data = _pdf(200_000)
    response = _upload(client, action, data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/actions/{action.id}#h-materials")
    material = db.session.scalar(select(Material))
    assert material.action_item_id == action.id and material.meeting_id is None
    assert client.get(f"/materials/{material.id}/versions/1").data == data
    page = client.get(f"/actions/{action.id}").text
    assert "Kostenvoranschlag" in page and "Version 1" in page and "Noch keine Unterlagen." not in page

    login_as(member)
    page = client.get(f"/actions/{action.id}").text
    assert "Kostenvoranschlag" in page and f'action="/actions/{action.id}/materials/new"' not in page
    assert _upload(client, action, _pdf(1000), title="Fremd").status_code == 403
    assert client.get(f"/actions/{action.id}/materials/new").status_code == 403
    assert client.post(f"/materials/{material.id}/delete", data={"confirm": "yes"}).status_code == 403
    assert db.session.scalar(select(Material).where(Material.title == "Fremd")) is None
    for person in (moderator, office):
        login_as(person)
        assert client.post(f"/actions/{action.id}/materials/new",
                           data={"title": f"Link {person.name}", "url": "https://example.org/x"}).status_code == 302


def test_observer_sees_and_anonymous_gets_none(client, make, login_as, db):
    office, _, owner, _, action = _action(make)
    observer = make.person("observer")
    material = make.material(None, action_item=action, by=owner, title="Angebot Radhaus")
    login_as(observer)
    page = client.get(f"/actions/{action.id}").text
    assert "Angebot Radhaus" in page and f'action="/actions/{action.id}/materials/new"' not in page
    assert client.get(f"/materials/{material.id}/versions/1").status_code == 200
    assert "Zurück zur Aufgabe" in client.get(f"/materials/{material.id}").text
    assert _upload(client, action, _pdf(1000)).status_code == 403
    client.post("/logout")
    for url in (f"/materials/{material.id}/versions/1", f"/materials/{material.id}",
                f"/actions/{action.id}/materials/new"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_internal_only_for_office_and_moderators(client, make, login_as, db):
    office, moderator, owner, member, action = _action(make)
    login_as(office)
    assert 'name="internal"' in client.get(f"/actions/{action.id}").text
    assert _upload(client, action, _pdf(1000), title="Kalkulation intern", internal="y").status_code == 302
    assert db.session.scalar(select(Material)).internal
    login_as(moderator)
    assert "Kalkulation intern" in client.get(f"/actions/{action.id}").text
    for person in (owner, member):
        login_as(person)
        assert "Kalkulation intern" not in client.get(f"/actions/{action.id}").text
    # the owner cannot mark her own upload internal: the field is not there for her
    login_as(owner)
    assert _upload(client, action, _pdf(1000), title="Versuch", internal="y").status_code == 302
    assert not db.session.scalar(select(Material).where(Material.title == "Versuch")).internal


def test_versions_stay_listed_and_removal_is_soft_and_audited(client, make, login_as, db):
    office, moderator, owner, member, action = _action(make)
    login_as(owner)
    assert _upload(client, action, b"erste Fassung\n", filename="notiz.txt", title="Notiz").status_code == 302
    material = db.session.scalar(select(Material))
    response = client.post(f"/materials/{material.id}", data={"upload": (io.BytesIO(b"zweite Fassung\n"), "notiz.txt")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    login_as(member)
    page = client.get(f"/materials/{material.id}").text
    assert "(aktuell)" in page and page.count("notiz.txt") == 2
    assert client.get(f"/materials/{material.id}/versions/1").data == b"erste Fassung\n"
    assert client.get(f"/materials/{material.id}/versions/2").data == b"zweite Fassung\n"
    assert "Version 2" in client.get(f"/actions/{action.id}").text
    login_as(owner)
    assert "verschwindet von der Aufgabe" in client.get(f"/materials/{material.id}/delete").text
    response = client.post(f"/materials/{material.id}/delete", data={"confirm": "yes"})
    assert response.status_code == 302 and f"/actions/{action.id}" in response.headers["Location"]
    db.session.expire_all()
    assert db.session.get(Material, material.id).deleted_at is not None
    assert db.session.scalar(select(MaterialVersion).where(MaterialVersion.number == 2)) is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "material.delete"))
    assert event.actor_id == owner.id and event.entity_id == material.id
    client.get(f"/actions/{action.id}")  # the flash message names it
    login_as(member)
    page = client.get(f"/actions/{action.id}").text
    assert "Notiz" not in page and "Noch keine Unterlagen." in page
    assert client.get(f"/materials/{material.id}/versions/1").status_code == 404


def test_too_large_and_renamed_exe_are_refused_at_the_field(client, make, login_as, db):
    _, _, owner, _, action = _action(make)
    login_as(owner)
    response = _upload(client, action, _pdf(30 * MB), title="Zu groß")
    assert response.status_code == 422
    assert "Die Datei ist zu groß: höchstens 25 MB." in response.text and 'value="Zu groß"' in response.text
    assert 'id="upload-error"' in response.text and "Zurück zur Aufgabe" in response.text
    response = _upload(client, action, b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(4000), filename="rechnung.pdf",
                       title="Getarnt")
    assert response.status_code == 422
    assert "Dieser Dateityp wird nicht angenommen" in response.text and 'value="Getarnt"' in response.text
    assert db.session.scalar(select(Material)) is None


def test_search_and_own_data_list_action_materials(client, make, login_as, db):
    from portal.privacy.export import collect
    office, _, owner, member, action = _action(make)
    make.material(None, action_item=action, by=owner, title="Lastenradangebot")
    make.material(None, action_item=action, by=office, title="Lastenradbudget", internal=True)
    db.session.flush()
    login_as(member)
    page = client.get("/search", query_string={"q": "Lastenrad*"}).text
    assert 'href="/materials/' in page and "Lastenradangebot" in page and "Lastenradbudget" not in page
    rows = collect(owner)["materials"]
    assert [(r["title"], r["action_item_id"], r["meeting_id"]) for r in rows] == [
        ("Lastenradangebot", action.id, None)]


def test_action_page_query_count_flat(client, make, login_as, db, count_queries):
    office, _, owner, _, action = _action(make)
    counts = []
    for total in (2, 30):
        existing = db.session.query(Material).count()
        for k in range(total - existing):
            make.material(None, action_item=action, by=office if k % 2 else owner, title=f"Unterlage {existing + k}")
        login_as(owner)
        db.session.expire_all()
        with count_queries() as counter:
            page = client.get(f"/actions/{action.id}")
        assert page.status_code == 200 and f"Unterlage {total - 1}" in page.text
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_demo_next_plenary_has_slides_on_two_items_and_an_action_item_a_working_paper(runner, db, client, login_as,
                                                                                 monkeypatch):
    from pypdf import PdfReader

    from portal.documents import minutes_pdf
    from portal.meetings.models import Meeting
    from portal.members.models import Person
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, title, lang: b"%PDF-1.7 demo")
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    plenary = db.session.scalar(select(Meeting).where(Meeting.kind == "plenary", Meeting.status == "planned"))
    materials = db.session.scalars(select(Material).where(Material.meeting_id == plenary.id)).all()
    slides = [m for m in materials if not m.is_link]
    assert plenary.number == 8 and len({m.agenda_item_id for m in slides}) == 2 and None not in {
        m.agenda_item_id for m in slides}
    assert [m.url for m in materials if m.is_link] == ["https://www.bmbf.de/"]
    on_action = db.session.scalar(select(Material).where(Material.action_item_id.is_not(None)))
    assert on_action.action_item.owner.email == "hoevelmann@example.org"
    login_as(db.session.scalar(select(Person).where(Person.email == "kaya@example.org")))
    assert "Arbeitsstand (Entwurf)" in client.get(f"/actions/{on_action.action_item_id}").text
    for material in (*slides, on_action):
        pdf = client.get(f"/materials/{material.id}/versions/1").data
        reader = PdfReader(io.BytesIO(pdf), strict=True)
        assert len(reader.pages) >= 3 and reader.pages[0].extract_text().strip()


def test_migration_keeps_every_file_on_sqlite(tmp_path):
    """SQLite rebuilds `materials` to change it; with foreign keys on, the drop of the old table
    would cascade to every version and its bytes. Down and up again, the meeting's files stay."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from portal import create_app
    from portal.extensions import db as _db
    from tests.factories import Factory
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-of-at-least-32-characters",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'migrate.db'}",
                      "PASSWORD_HASHER": "argon2-fast", "MAIL_SERVER": "", "MAIL_OUTBOX": str(tmp_path)})
    with app.app_context():
        upgrade()
        make = Factory(_db.session)
        office = make.person("office")
        make.material(make.meeting(None, title="Plenum"), by=office, data=b"%PDF-1.4\n%Plenum\n")
        make.material(None, action_item=make.action_item(office), by=office)
        _db.session.commit()

        def files():
            return tuple(_db.session.execute(text("SELECT (SELECT count(*) FROM material_versions), "
                                                  "(SELECT count(*) FROM material_blobs)")).one())
        assert files() == (2, 2)
        _db.session.close()
        downgrade(revision="0017-1")
        assert files() == (1, 1)  # the action item's material has no place before 0017
        _db.session.close()
        upgrade()
        assert files() == (1, 1)
        assert _db.session.scalar(text("SELECT data FROM material_blobs")) == b"%PDF-1.4\n%Plenum\n"
        _db.session.close()
        _db.engine.dispose()
