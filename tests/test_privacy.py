"""Data protection (issue 20 points 1-4): own-data ZIP, erasure, retention, consent everywhere."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import String, Text, create_engine, func, select, text

from portal import create_app
from portal.actions.models import ActionItemEvent, EventKind
from portal.audit.record import record
from portal.auth.models import LoginSession
from portal.circulars.models import Circular, CircularRecipient
from portal.database import fresh_schema
from portal.demo.seed import seed_demo
from portal.extensions import db as _db
from portal.groups.models import Membership, MembershipStatus
from portal.jobs import worker
from portal.jobs.models import Job, JobStatus
from portal.mail import build, parse
from portal.members.models import Person
from portal.members.profile import update_person
from portal.minutes.models import MinutesComment
from portal.privacy import erasure
from portal.privacy.export import EXPORTERS, JOB_KIND, request_export
from portal.privacy.models import DataExport, ErasureRecord
from portal.privacy.retention import purge
from portal.privacy_notice.models import NoticeAcceptance
from portal.site_settings.models import SiteSetting
from portal.types import utcnow
from tests.factories import utc
from tests.routes import all_routes
from tests.routes.surveys import surveys_world
from tests.routes.world import build_world


def _build_exports(app, db):
    worker.run_due(db.session, app.config, kinds=(JOB_KIND,))


# --- 1. own-data download ---------------------------------------------------------------------

def test_member_downloads_a_zip_with_every_kind_of_their_data_and_nobody_elses(app, db, make, client,
                                                                            login_as):
    other = make.person(name="Otto Anderer", email="otto.anderer@example.org", phone="0201 999999")
    org = make.organization(name="Bäckerei Korn")
    member = make.person(name="Mia Mitglied", email="mia.m@example.org", phone="02041 123456",
                         function="Inhaberin", organization=org, show_email=True)
    group = make.group(moderator=other, members=[member])
    meeting = make.meeting(group, title="Sitzung Handel", status="held", minutes_status="in_review")
    make.participation(meeting, member, rsvp="accepted", attendance="present")
    make.participation(meeting, other, rsvp="accepted", attendance="present")
    item = make.action_item(member, group, meeting=meeting, title="Lieferzonen prüfen")
    db.session.add(ActionItemEvent(action_item=item, actor_id=member.id, kind=EventKind.COMMENT,
                                   comment="Erste Zonen stehen."))
    db.session.add(ActionItemEvent(action_item=item, actor_id=other.id, kind=EventKind.OWNER,
                                   old_value="Otto Anderer", new_value="Mia Mitglied"))
    db.session.add(MinutesComment(meeting_id=meeting.id, author_id=member.id, text="Bitte TOP 2 ergänzen."))
    circular = Circular(subject="Sommerfest", body="Am 1. Juli.", author=other, audience="all_members",
                        group_ids=[], sectors=[], status="sent")
    db.session.add(circular)
    db.session.flush()
    db.session.add(CircularRecipient(circular_id=circular.id, person_id=member.id))
    db.session.add(NoticeAcceptance(person_id=member.id, version=1))
    make.material(meeting, by=member, title="Folien zur Lieferzone")
    update_person(other, member, phone="02041 654321")  # an audit event about her
    surveys_world(make, member, org)  # her survey answer and her place in the experience exchange
    # what is the others' own: never in her ZIP
    db.session.add(MinutesComment(meeting_id=meeting.id, author_id=other.id, text="Ottos Einwand zu TOP 3"))
    make.material(meeting, by=other, title="Ottos Kalkulation")
    only_otto = Circular(subject="Nur an Otto", body="Persönlich.", author=member, audience="all_members",
                         group_ids=[], sectors=[], status="sent")
    db.session.add(only_otto)
    db.session.flush()
    db.session.add(CircularRecipient(circular_id=only_otto.id, person_id=other.id))
    make.membership(other, make.group(name="Ottos Reallabor"))
    make.action_item(other, group, meeting=meeting, title="Ottos eigene Aufgabe")
    update_person(member, other, function="Ottos neue Funktion")
    db.session.flush()

    login_as(member)
    assert "Datenauskunft anfordern" in client.get("/profile/data").text
    assert client.post("/profile/data").status_code == 302  # small: built in the request
    page = client.get("/profile/data").text
    assert "ist fertig und steht hier zum Herunterladen bereit" in page
    assert "ZIP-Datei herunterladen" in page
    response = client.get("/profile/data.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"

    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"LIESMICH.txt", "data.json"} <= names
    data = json.loads(archive.read("data.json"))
    # every kind the issue lists, each with her row in it
    assert {"profile", "organization", "consents", "memberships", "invitations", "attendance", "action_items",
            "action_item_events", "comments", "survey_answers", "circulars", "audit_events"} <= set(EXPORTERS)
    for kind in EXPORTERS:
        assert f"{kind}.json" in names and f"{kind}.csv" in names
        assert data[kind], f"{kind} is empty"
        assert json.loads(archive.read(f"{kind}.json")) == data[kind]
        header, *rows = csv.reader(io.StringIO(archive.read(f"{kind}.csv").decode("utf-8-sig")), delimiter=";")
        assert header == list(data[kind][0]) and len(rows) == len(data[kind]), kind
    assert data["profile"][0]["phone"] == "02041 654321" and data["profile"][0]["email"] == "mia.m@example.org"
    assert data["organization"][0]["name"] == "Bäckerei Korn"
    assert data["consents"][0]["show_email"] is True and data["consents"][0]["show_phone"] is False
    assert [m["group"] for m in data["memberships"]] == [group.name]
    assert data["invitations"][0]["rsvp"] == "accepted" and data["invitations"][0]["meeting"] == "Sitzung Handel"
    assert data["attendance"][0]["attendance"] == "present"
    assert [i["title"] for i in data["action_items"]] == ["Lieferzonen prüfen"]
    events = data["action_item_events"]
    assert {"Erste Zonen stehen."} <= {e["comment"] for e in events}
    assert {(e["old_value"], e["new_value"]) for e in events if e["kind"] == "owner"} == {
        ("(eine andere Person)", "Mia Mitglied")}
    assert [c["text"] for c in data["comments"]] == ["Bitte TOP 2 ergänzen."]
    assert [a["value"] for a in data["survey_answers"]] == ["Rad"]
    assert [c["subject"] for c in data["circulars"]] == ["Sommerfest"]
    assert [m["title"] for m in data["materials"]] == ["Folien zur Lieferzone"]
    assert [row["version"] for row in data["privacy_notice"]] == [1]
    assert any("02041 654321" in e["changes"] for e in data["audit_events"])
    readme = archive.read("LIESMICH.txt").decode()
    assert "Art. 15" in readme and "UTC" not in readme  # the time as in Bottrop, like every time shown
    assert re.search(r'filename="?Datenauskunft-\d+-\d{4}-\d{2}-\d{2}\.zip', response.headers["Content-Disposition"])
    everything = b"".join(archive.read(name) for name in names)
    for foreign in ("otto.anderer@example.org", "Otto Anderer", "0201 999999", "Ottos Einwand", "Ottos Kalkulation",
                    "Nur an Otto", "Ottos Reallabor", "Ottos eigene Aufgabe", "Ottos neue Funktion",
                    "Hanna Hilfreich", "Druckerei Hilfreich"):
        assert foreign.encode() not in everything, foreign


def test_office_produces_the_download_for_a_member_and_others_cannot(app, db, make, client, login_as):
    office, member, stranger = make.person("office"), make.person(), make.person()
    login_as(stranger)
    assert client.post(f"/members/{member.id}/data").status_code == 403
    login_as(office)
    assert client.post(f"/members/{member.id}/data").status_code == 302
    _build_exports(app, db)
    response = client.get(f"/members/{member.id}/data.zip")
    assert response.status_code == 200
    profile = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("profile.json"))
    assert profile[0]["email"] == member.email


def test_a_large_download_is_built_by_the_job_worker_while_the_page_waits(app, db, make, client, login_as,
                                                                         monkeypatch):
    from portal.privacy import export

    member = login_as(make.person())
    make.participation(make.meeting(None), member)
    monkeypatch.setattr(export, "INLINE_ROWS", 0)
    assert client.post("/profile/data").status_code == 302
    page = client.get("/profile/data").text
    assert "wird erstellt" in page and 'http-equiv="refresh"' in page
    assert client.get("/profile/data.zip").status_code == 404  # not built yet
    _build_exports(app, db)
    assert client.get("/profile/data.zip").status_code == 200
    assert 'http-equiv="refresh"' not in client.get("/profile/data").text


def test_a_new_request_replaces_the_old_download(app, db, make):
    member = make.person()
    request_export(member, member)
    request_export(member, member)
    assert db.session.scalar(select(func.count(DataExport.id)).where(DataExport.person_id == member.id)) == 1


# --- 2. erasure -------------------------------------------------------------------------------

@pytest.fixture
def erasable(db, make):
    office = make.person("office", name="Olga Office")
    person = make.person(name="Erika Muster", email="erika.muster@example.org", phone="02041 777888",
                         function="Geschäftsführerin", show_email=True, show_phone=True)
    other = make.person(name="Max Moderator")
    group = make.group(moderator=other, members=[person])
    meeting = make.meeting(group, title="Sitzung veröffentlicht", starts_at=utc(2024, 5, 4, 15),
                           status="held", minutes_status="published")
    make.participation(meeting, person, attendance="present")
    make.agenda_item(meeting, title="Begrüßung")
    item = make.action_item(person, group, meeting=meeting, title="Flyer drucken")
    db.session.add(ActionItemEvent(action_item=item, actor_id=other.id, kind=EventKind.OWNER,
                                   old_value="Max Moderator", new_value="Erika Muster"))
    update_person(office, person, phone="02041 777888 ", function="Geschäftsführerin")
    update_person(office, person, phone="02041 777888")
    db.session.add(Job(kind="mail", payload=bytes(build(person.email, "Einladung", "Guten Tag, Erika Muster."))))
    db.session.add(Job(kind="mail", payload=bytes(build(other.email, "Zusage",
                                                        "Erika Muster (erika.muster@example.org) kommt."))))
    db.session.add(LoginSession(token="t-erika", person_id=person.id))
    db.session.flush()
    return {"office": office, "person": person, "other": other, "meeting": meeting, "item": item}


def _text_of_every_row(db) -> str:
    """Every text column of every table, as the database holds it."""
    chunks = []
    for table in _db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, (String, Text)) or c.type.__class__.__name__ == "JSON"]
        for column in columns:
            chunks.extend(str(v) for v in db.session.execute(select(column)).scalars() if v is not None)
        for column in table.columns:
            if column.type.__class__.__name__ == "LargeBinary":
                chunks.extend(bytes(v).decode("latin-1") for v in db.session.execute(select(column)).scalars()
                              if v is not None)
    return "\n".join(chunks)


def test_office_erases_a_person_after_confirmation_and_the_record_keeps_the_pseudonym(db, client, login_as,
                                                                                   erasable):
    person, meeting = erasable["person"], erasable["meeting"]
    login_as(erasable["office"])
    question = client.get(f"/members/{person.id}/erase")
    assert "ehemaliges Mitglied" in question.text and "Art. 17 Abs. 3" in question.text
    assert client.post(f"/members/{person.id}/erase").status_code == 200  # without confirm: the question
    assert person.name == "Erika Muster"
    assert client.post(f"/members/{person.id}/erase", data={"confirm": "yes"}).status_code == 302

    db.session.expire_all()
    pseudonym = f"ehemaliges Mitglied {person.id}"
    assert person.name == pseudonym and not person.active and person.password_hash is None
    assert (person.phone, person.function, person.show_email, person.show_phone) == ("", "", False, False)
    assert db.session.scalar(select(ErasureRecord.person_id)) == person.id
    assert not db.session.scalars(select(LoginSession).where(LoginSession.person_id == person.id)).all()
    assert all(m.status != MembershipStatus.ACTIVE
               for m in db.session.scalars(select(Membership).where(Membership.person_id == person.id)))
    assert erasable["item"].owner_id == person.id  # the record still points at the row
    everything = _text_of_every_row(db)
    for gone in ("erika.muster@example.org", "02041 777888", "Erika Muster"):
        assert gone not in everything
    # the other's waiting mail goes out with the pseudonym; the mail to her is gone
    mails = [parse(job.payload) for job in db.session.scalars(select(Job).where(Job.kind == "mail"))]
    assert db.session.scalar(select(Job.kind).where(Job.kind != "mail")) == erasure.FORGET_JOB  # the file next
    assert [str(m["To"]) for m in mails] == [erasable["other"].email]
    assert pseudonym in mails[0].get_body().get_content()

    assert pseudonym in client.get(f"/members/{person.id}").text
    minutes = client.get(f"/meetings/{meeting.id}/minutes").text
    assert pseudonym in minutes and "Erika Muster" not in minutes
    assert pseudonym in client.get(f"/actions/{erasable['item'].id}").text
    assert "Archivierte PDF-Protokolle bleiben" in client.get(f"/members/{person.id}").text


def test_erased_person_cannot_sign_in(db, client, erasable):
    person = erasable["person"]
    erasure.erase(erasable["office"], person)
    db.session.commit()
    response = client.post("/login", data={"email": "erika.muster@example.org", "password": "richtig-geheim-123"})
    assert response.status_code != 302 or "/login" in response.headers.get("Location", "")


def test_erasure_is_refused_for_oneself(db, erasable, client, login_as):
    office = erasable["office"]
    login_as(office)
    client.post(f"/members/{office.id}/erase", data={"confirm": "yes"})
    db.session.expire_all()
    assert office.name == "Olga Office"


def test_erasures_are_applied_again_after_a_restore(db, erasable):
    person = erasable["person"]
    erasure.erase(erasable["office"], person)
    db.session.flush()
    # a backup from before the erasure brings the old values back ...
    person.name, person.email, person.phone = "Erika Muster", "erika.muster@example.org", "02041 777888"
    assert erasure.reapply_erasures() == [person.id]
    assert person.name == f"ehemaliges Mitglied {person.id}" and person.phone == ""
    assert erasure.reapply_erasures() == []  # idempotent
    # ... and ids handed over from the live database count as well (the record was not in the backup)
    again = erasable["other"]
    assert erasure.reapply_erasures([again.id]) == [again.id]


def test_erasure_hooks_see_the_old_values(db, erasable):
    seen = []
    erasure.ERASURE_HOOKS.append(seen.append)
    try:
        erasure.erase(erasable["office"], erasable["person"])
    finally:
        erasure.ERASURE_HOOKS.pop()
    assert seen[0].email == "erika.muster@example.org" and seen[0].pseudonym.startswith("ehemaliges Mitglied")


def _demo_app(url: str, tmp_path, **extra):
    return create_app({"TESTING": True, "SECRET_KEY": "test-secret-of-at-least-32-characters",
                       "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASHER": "argon2-fast",
                       "MAIL_SERVER": "", "MAIL_OUTBOX": str(tmp_path / "outbox"),
                       "PRIVACY_ERASURE_LEDGER": str(tmp_path / "erasures.txt"), **extra})


def _plant_copies(person: Person) -> None:
    """Everywhere a running portal copies a member's email and phone: the audit trail, mails to
    her (sent: job done and .eml in the outbox folder; waiting) and about her (Reply-To and the
    calendar's ORGANIZER of a meeting she organizes), a failed sign-in, texts people wrote (an
    action item on her, a minutes comment, a survey answer, a circular, a material's title) and
    the search index built from them, a rendered PDF kept per data version, her own-data ZIP."""
    from flask import current_app

    from portal.auth.models import AttemptKind, AuthAttempt
    from portal.documents import stored
    from portal.documents.models import DocumentKind
    from portal.meetings.invitations import invite
    from portal.surveys.models import SurveyAnswer, SurveyQuestion, SurveyResponse
    from tests.factories import Factory

    make = Factory(_db.session)
    email, phone = person.email, person.phone
    others = _db.session.scalars(select(Person).where(Person.role == "member", Person.id != person.id)
                                 .order_by(Person.id).limit(2)).all()
    update_person(None, person, phone=phone + "0")  # the audit log keeps both numbers
    update_person(None, person, phone=phone)
    upcoming = make.meeting(None, title="Plenum zur Erprobung", starts_at=utcnow() + timedelta(days=20),
                            organizer=person)
    invite(person, upcoming, others)  # Reply-To and ORGANIZER: her address (she consented)
    later = make.meeting(None, title="Plenum danach", starts_at=utcnow() + timedelta(days=40))
    invite(None, later, [person])
    _db.session.commit()
    worker.run_due(_db.session, current_app.config, kinds=("mail",))  # done jobs, .eml files
    invite(person, make.meeting(None, title="Plenum noch später", starts_at=utcnow() + timedelta(days=60),
                                organizer=person), others)  # waiting
    _db.session.add(AuthAttempt(kind=AttemptKind.LOGIN, key=f"login:{email}"))
    item = make.action_item(others[0], title="Rückruf", description=f"Rückruf bei {phone} oder {email}")
    _db.session.add(MinutesComment(meeting_id=upcoming.id, author_id=others[0].id,
                                   text=f"Fragen an {email}"))
    make.material(None, action_item=item, title=f"Angebot, Rückfragen an {phone}")
    question = _db.session.scalar(select(SurveyQuestion).limit(1))
    response = _db.session.scalar(select(SurveyResponse).limit(1))
    if question is not None and response is not None:
        _db.session.add(SurveyAnswer(response=response, question_id=question.id, item=99, value=f"Kontakt: {phone}"))
    circular = Circular(subject="Sommerfest", body=f"Anmeldung bei {email}", author=others[0],
                        audience="all_members", group_ids=[], sectors=[], status="sent")
    _db.session.add(circular)
    stored.keep(DocumentKind.MINUTES, {"meeting": upcoming.id}, "v1", f"%PDF-1.7 {email} {phone}".encode())
    export = request_export(person, person)
    _db.session.flush()
    from portal.privacy.export import build as build_export
    build_export(export)
    _db.session.commit()


def _erase_a_demo_member(check_before) -> tuple[str, str, int]:
    """Seed the demo alliance, take a member who consented to show email and phone and appears in
    published minutes, plant copies of both everywhere (_plant_copies), check they are stored,
    erase the member and commit; returns (email, phone, id). In an app context."""
    from portal.meetings.models import Meeting, Participation

    upgrade()
    seed_demo(date.today())
    _db.session.commit()
    person = _db.session.scalar(
        select(Person).join(Participation, Participation.person_id == Person.id)
        .join(Meeting, Participation.meeting_id == Meeting.id)
        .where(Person.role == "member", Person.show_email.is_(True), Person.show_phone.is_(True),
               Person.phone != "", Meeting.minutes_status == "published")
        .order_by(Person.id).limit(1))
    email, phone, person_id = person.email, person.phone, person.id
    _plant_copies(person)
    check_before(email, phone)
    assert email in _blob_texts() and phone in _blob_texts()
    assert _search_hits(phone)
    erasure.erase(None, person)
    _db.session.commit()
    assert email not in _blob_texts() and phone not in _blob_texts()
    assert not _search_hits(phone) and not _search_hits(email.split("@")[0])
    return email, phone, person_id


def _search_hits(words: str) -> list:
    from portal.search.models import SearchDocument

    return _db.session.scalars(select(SearchDocument.id).where(
        SearchDocument.body.contains(words) | SearchDocument.terms.contains(words.lower()))).all()


def _blob_texts() -> str:
    """Every binary value of every table, readable: PDFs as their text (pdftotext), ZIPs as their
    files, mails as their decoded parts and headers, anything else as its bytes."""
    chunks = []
    for table in _db.metadata.sorted_tables:
        for column in table.columns:
            if column.type.__class__.__name__ != "LargeBinary":
                continue
            for value in _db.session.execute(select(column)).scalars():
                if value is None:
                    continue
                value = bytes(value)
                chunks.append(value.decode("latin-1"))
                if value.startswith(b"%PDF"):
                    chunks.append(_pdf_text(value))
                elif value.startswith(b"PK"):
                    with zipfile.ZipFile(io.BytesIO(value)) as archive:
                        chunks.extend(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
                elif table.name == "jobs":
                    chunks.append(erasure._message_text(parse(value)))
    return "\n".join(chunks)


def test_after_erasing_a_demo_member_the_sqlite_file_holds_their_email_and_phone_nowhere(tmp_path):
    path = tmp_path / "demo.db"
    app = _demo_app(f"sqlite:///{path}", tmp_path)

    def stored(email, phone):
        assert email.encode() in _raw(path) and phone.encode() in _raw(path)
        assert any(email in f.read_text(errors="replace") for f in (tmp_path / "outbox").glob("*.eml"))

    with app.app_context():
        email, phone, person_id = _erase_a_demo_member(stored)
        _db.session.remove()  # as at the end of the erasing request
        assert erasure.forget_free_pages(_db.engine)
        raw = _raw(path)
        _db.engine.dispose()
    assert email.encode() not in raw and phone.encode() not in raw
    assert f"ehemaliges Mitglied {person_id}".encode() in raw
    for mail in (tmp_path / "outbox").glob("*.eml"):
        assert email not in mail.read_text(errors="replace") and phone not in mail.read_text(errors="replace")


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="the dump of a PostgreSQL database: runs in the suite's PostgreSQL run")
def test_after_erasing_a_demo_member_a_postgresql_dump_holds_their_email_and_phone_nowhere(tmp_path):
    assert shutil.which("pg_dump"), "pg_dump missing: install postgresql-client (the CI has it with the server)"
    url = os.environ["TEST_DATABASE_URL"]
    app = _demo_app(fresh_schema(url, "privacy_dump"), tmp_path)
    libpq = url.replace("postgresql+psycopg://", "postgresql://")

    def dump() -> bytes:
        return subprocess.run(["pg_dump", "--schema=privacy_dump", "--dbname", libpq], capture_output=True,
                              check=True).stdout

    def stored(email, phone):
        assert email.encode() in dump() and phone.encode() in dump()

    try:
        with app.app_context():
            email, phone, person_id = _erase_a_demo_member(stored)
            _db.engine.dispose()
        raw = dump()
        assert email.encode() not in raw and phone.encode() not in raw
        assert f"ehemaliges Mitglied {person_id}".encode() in raw
    finally:
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS privacy_dump CASCADE"))
        engine.dispose()


def _raw(path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_postgresql_or_any_database_holds_no_copy_after_erasure(db, make):
    """On PostgreSQL (TEST_DATABASE_URL) as on SQLite: a SELECT of every text column of every table."""
    person = make.person(name="Paula Privat", email="paula.privat@example.org", phone="02041 246810")
    update_person(None, person, phone="02041 246811")
    record(None, "note", person, {"phone": ("02041 246810", "")})
    erasure.erase(None, person)
    db.session.flush()
    everything = _text_of_every_row(db)
    assert "paula.privat@example.org" not in everything and "02041 2468" not in everything


# --- 3. retention -----------------------------------------------------------------------------

def test_purge_removes_what_is_due_and_a_second_run_removes_nothing(app, db, make, runner):
    old = make.meeting(None, title="Altes Plenum", starts_at=utc(2020, 1, 10, 17), status="held")
    published = make.meeting(None, title="Altes Plenum mit Protokoll", starts_at=utc(2020, 2, 10, 17),
                             status="held", minutes_status="published")
    recent = make.meeting(None, title="Neues Plenum", starts_at=utcnow() - timedelta(days=30), status="held")
    guest = make.participation(old, guest_name="Gabi Gast", guest_organization="Hochschule",
                               guest_email="gabi@example.org")
    named = make.participation(published, guest_name="Gerd Gast", guest_organization="Stadtwerke",
                               guest_email="gerd@example.org")
    kept = make.participation(recent, guest_name="Gina Gast", guest_organization="IHK", guest_email="gina@example.org")
    person = make.person()
    event = record(None, "person.updated", person, {"phone": ("0201 1", "0201 2")})
    event.created_at = utcnow() - timedelta(days=4 * 365)
    fresh_event = record(None, "person.updated", person, {"phone": ("0201 2", "0201 3")})
    make.mail_job(status=JobStatus.DONE, finished_at=utcnow() - timedelta(days=31))
    make.mail_job(status=JobStatus.DONE, finished_at=utcnow() - timedelta(days=2))
    db.session.add(DataExport(person_id=person.id, status="ready", content=b"zip",
                              expires_at=utcnow() - timedelta(days=1)))
    db.session.flush()

    first = runner.invoke(args=["privacy", "purge"])
    assert first.exit_code == 0, first.output
    assert "Gäste: Kontaktdaten von 2 Teilnahme(n) entfernt" in first.output
    db.session.expire_all()
    assert (guest.guest_name, guest.guest_organization, guest.guest_email) == ("Gast", "", "")
    # the published minutes name him
    assert (named.guest_name, named.guest_organization, named.guest_email) == ("Gerd Gast", "", "")
    assert (kept.guest_name, kept.guest_organization, kept.guest_email) == ("Gina Gast", "IHK", "gina@example.org")
    assert event.changes == {} and event.actor_id is None and event.action == "person.updated"
    assert fresh_event.changes
    assert db.session.scalar(select(func.count(Job.id))) == 1
    assert db.session.scalar(select(func.count(DataExport.id))) == 0

    second = runner.invoke(args=["privacy", "purge"])
    assert second.exit_code == 0 and "Nichts zu entfernen." in second.output
    assert purge(app.config).total == 0


# --- 4. consent everywhere --------------------------------------------------------------------

SILENT_EMAIL = "max.moderator.privat@example.org"  # the organizer of the invitation mails below
SILENT_PHONE = "02041 135790"


def _pdf_text(body: bytes) -> str:
    """The text of a rendered PDF; an uploaded file that is no readable PDF, as its raw bytes."""
    done = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=False)
    return done.stdout.decode() if done.returncode == 0 else body.decode("latin-1")


def _silence_everyone(db, world) -> dict[int, tuple[str, str]]:
    """Every person of the world without consent, each with an address and a number of her own
    (the moderator organizes the meetings, so calendar files and mails would name her); the
    guests have addresses too. Returns person id -> (email, phone); guests under id 0."""
    contacts = {}
    for person in db.session.scalars(select(Person)):
        person.email, person.phone = f"privat{person.id}.nicht-zeigen@example.org", f"02041 97{person.id:04d}"
        person.show_email = person.show_phone = False
        contacts[person.id] = (person.email, person.phone)
    for meeting in (world["meeting"], world["plenary"], world["published"]):
        meeting.organizer = world["moderator"]
    world["guest"].guest_email = "gabi.gast.nicht-zeigen@example.org"
    contacts[0] = (world["guest"].guest_email, "")
    db.session.flush()
    return contacts


def _shown(body: str, contacts: dict[int, tuple[str, str]], viewer_id: int | None) -> list[str]:
    return [value for person_id, values in contacts.items() if person_id != viewer_id
            for value in values if value and value in body]


def test_no_output_shows_contact_data_without_consent(db, make, client, login_as):
    """Every GET route of the route table (pages, CSVs, calendar files and feeds, PDFs, the
    viewer's own-data ZIP) and search results, for every role but the office: no email and no
    phone of anybody without consent, nor a guest's address, appears, except the viewer's own."""
    world = build_world(make)
    contacts = _silence_everyone(db, world)
    routes = [r for r in all_routes() if r.method == "GET"]
    names = [p.name for p in db.session.scalars(select(Person))]
    searches = [f"/search?q={word}" for word in ("Treffen", "Gast", "example", "02041", *names)]
    seen = 0
    for role in ("anonymous", "member", "moderator", "other_moderator", "observer", "meeting_lead"):
        viewer = None if role == "anonymous" else login_as(world[role])
        if viewer is not None:
            request_export(viewer, viewer)
            _build_exports(client.application, db)
        for path in [route.path(world) for route in routes] + searches:
            response = client.get(path)
            if response.status_code >= 400 or response.status_code in (301, 302):
                continue
            if response.mimetype == "application/pdf":
                body = _pdf_text(response.data)
            elif response.mimetype == "application/zip":
                archive = zipfile.ZipFile(io.BytesIO(response.data))
                body = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
            else:
                body = response.get_data(as_text=True)
            seen += 1
            assert not _shown(body, contacts, getattr(viewer, "id", None)), f"{role} {path}"
    assert seen > 300


def test_no_mail_carries_contact_data_without_consent(db, make, outbox):
    """The mails the portal sends about meetings, guests, circulars and minutes: no address or
    number of anybody without consent but the recipient's own, in any header or part (calendar
    files included)."""
    from portal.circulars.sending import send
    from portal.meetings.guests import invite_guest
    from portal.meetings.invitations import invite, send_agenda
    from portal.meetings.planning import cancel_meeting

    world = build_world(make)
    contacts = _silence_everyone(db, world)
    moderator, meeting = world["moderator"], world["plenary"]
    meeting.status = "planned"
    invite(moderator, meeting, [world["member"], world["other_moderator"], world["observer"]])
    invite_guest(moderator, meeting, "Gerd Gast", "Stadtwerke", "gerd.gast@example.org")
    for participation in meeting.participations:  # invited an hour ago, the agenda changed since
        participation.invited_at = utcnow() - timedelta(hours=1)
    meeting.agenda_changed_at = utcnow()
    db.session.flush()
    send_agenda(moderator, meeting)
    cancel_meeting(moderator, meeting, "Raum fehlt")
    circular = Circular(subject="Sommerfest", body="Am 1. Juli.", author=moderator, audience="all_members",
                        group_ids=[], sectors=[], status="draft")
    db.session.add(circular)
    db.session.flush()
    send(moderator, circular)
    db.session.commit()
    assert len(outbox.messages) >= 8
    by_email = {email: person_id for person_id, (email, _) in contacts.items()}
    for message in outbox.messages:
        text = erasure._message_text(message)
        recipient = by_email.get(message["To"].addresses[0].addr_spec)
        assert not _shown(text, contacts, recipient), (message["Subject"], _shown(text, contacts, recipient))


def test_calendar_organizer_is_the_office_without_consent(db, make, client, login_as, app):
    organizer = make.person(name="Olaf Organizer", email="olaf@example.org", show_email=False)
    meeting = make.meeting(None, title="Plenum", organizer=organizer)
    login_as(make.person())
    ics = client.get(f"/meetings/{meeting.id}.ics").text
    assert "olaf@example.org" not in ics and app.config["MAIL_DEFAULT_SENDER"] in ics
    organizer.show_email = True
    db.session.flush()
    assert "olaf@example.org" in client.get(f"/meetings/{meeting.id}.ics").text


def test_archived_minutes_naming_an_erased_person_stay_for_the_office_and_others_get_the_pseudonym(
        db, client, login_as, erasable, make):
    from portal.documents.minutes_pdf import archive_minutes

    meeting = erasable["meeting"]
    original = archive_minutes(meeting)
    erasure.erase(erasable["office"], erasable["person"])
    db.session.flush()
    login_as(erasable["office"])
    assert client.get(f"/meetings/{meeting.id}/minutes.pdf").data == original.pdf
    assert "Das archivierte PDF-Original bleibt" in client.get(f"/meetings/{meeting.id}/minutes").text
    login_as(erasable["other"])
    page = client.get(f"/meetings/{meeting.id}/minutes").text
    assert "das PDF zeigt wie diese Seite ihr Pseudonym" in page and "PDF-Original" not in page
    fresh = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert fresh.status_code == 200 and fresh.data != original.pdf
    text = _pdf_text(fresh.data)
    assert f"ehemaliges Mitglied {erasable['person'].id}" in text and "Erika Muster" not in text


def test_invitation_mails_and_their_calendar_files_carry_no_contact_data_without_consent(db, make, outbox):
    from portal.meetings.invitations import invite

    organizer = make.person("office", name="Olaf Organizer", email=SILENT_EMAIL, phone=SILENT_PHONE)
    meeting = make.meeting(None, title="Plenum", organizer=organizer)
    invite(organizer, meeting, [make.person(), make.person()])
    db.session.commit()
    assert len(outbox.messages) == 2
    for message in outbox.messages:
        whole = message.as_bytes().decode("utf-8", "replace")
        parts = [p.get_content() for p in message.walk() if not p.is_multipart()]
        text = whole + "".join(p.decode() if isinstance(p, bytes) else p for p in parts)
        assert SILENT_EMAIL not in text and SILENT_PHONE not in text


def test_an_erased_person_is_not_offered_for_reactivation(db, client, login_as, erasable):
    person = erasable["person"]
    erasure.erase(erasable["office"], person)
    db.session.flush()
    login_as(erasable["office"])
    page = client.get(f"/members/{person.id}").text
    assert "Reaktivieren" not in page and "Löschen (DSGVO)" not in page
    assert client.get(f"/members/{erasable['other'].id}").text.count("Löschen (DSGVO)") == 1


def test_erasing_the_last_moderator_of_a_group_is_refused_and_changes_nothing(db, client, login_as, erasable):
    other = erasable["other"]
    login_as(erasable["office"])
    response = client.post(f"/members/{other.id}/erase", data={"confirm": "yes"})
    assert response.status_code == 302
    assert "letzte Moderation" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert other.name == "Max Moderator" and other.active
    assert db.session.scalar(select(func.count(ErasureRecord.id))) == 0


def test_reapply_erasures_command_erases_a_restored_person_again(db, runner, erasable):
    person = erasable["person"]
    erasure.erase(erasable["office"], person)
    db.session.flush()
    person.name, person.email = "Erika Muster", "erika.muster@example.org"  # as a restore would bring back
    db.session.flush()
    result = runner.invoke(args=["privacy", "reapply-erasures"])
    assert result.exit_code == 0 and f"Erneut gelöscht: {person.id}." in result.output
    assert "Keine gelöschte Person" in runner.invoke(args=["privacy", "reapply-erasures"]).output
    assert runner.invoke(args=["privacy", "reapply-erasures", "--ids", "x"]).exit_code != 0


@pytest.mark.skipif(os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"), reason="SQLite's file")
def test_the_job_worker_empties_the_wal_after_an_erasure_and_waits_for_a_busy_one(tmp_path, monkeypatch):
    """The checkpoint cannot empty the WAL while another connection writes (a second server
    worker, the job worker): the erasure's request does not wait for it, the job worker does,
    again until it succeeds; then the old values are gone from the file."""
    import sqlite3

    from portal import database

    monkeypatch.setattr(database, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "busy.db"
    app = _demo_app(f"sqlite:///{path}", tmp_path)
    with app.app_context():
        email, phone, _ = _erase_a_demo_member(lambda *_: None)
        job = _db.session.scalar(select(Job).where(Job.kind == erasure.FORGET_JOB))
        assert job is not None and job.status == "waiting"  # committed with the erasure
        job_id = job.id
        _db.session.commit()  # work outside a request holds the write lock: let it go
        other = sqlite3.connect(path)
        other.execute("BEGIN IMMEDIATE")  # somebody else is writing
        try:
            [failure] = erasure.work_forget([b""], app.config)  # the worker's attempt
        finally:
            other.rollback()
            other.close()
        assert failure is not None and not failure.permanent and "WAL" in failure.message  # retried
        worker.run_due(_db.session, app.config, kinds=(erasure.FORGET_JOB,))
        assert _db.session.get(Job, job_id).status == "done"
        _db.engine.dispose()
    raw = _raw(path)
    assert email.encode() not in raw and phone.encode() not in raw


def test_the_office_erases_in_a_running_portal_and_the_file_forgets_at_once(tmp_path):
    """The erase page on a database file of its own, as gunicorn serves it (not the suite's
    rolled-back connection): the answer is the redirect with the pseudonym (it was a 500, 'database
    is locked', when the page read the person again after the commit), the ledger names the id, and
    once the job worker has run, the file and its WAL hold the address and the number no more."""
    from portal.auth import sessions
    from tests.factories import Factory

    path = tmp_path / "portal.db"
    app = _demo_app(f"sqlite:///{path}", tmp_path, WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        make = Factory(_db.session)
        office = make.person("office", name="Olga Office")
        person = make.person(name="Erika Muster", email="erika.muster@example.org", phone="02041 777888",
                             show_email=True, show_phone=True)
        meeting = make.meeting(None, title="Plenum", status="held", minutes_status="published")
        make.participation(meeting, person, attendance="present")
        _db.session.commit()
        office_id, person_id = office.id, person.id
        sessions.start(office)
        _db.session.commit()
        office_key = office.get_id()
        _db.session.remove()
    assert b"erika.muster@example.org" in _raw(path)
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = office_key, True
    response = client.post(f"/members/{person_id}/erase", data={"confirm": "yes"})
    assert response.status_code == 302, response.status_code
    assert f"ehemaliges Mitglied {person_id}" in client.get(response.headers["Location"]).text
    with app.app_context():
        installation = _db.session.get(SiteSetting, "installation").value
        _db.session.remove()
    assert (tmp_path / "erasures.txt").read_text().split() == [installation, str(person_id)]
    with app.app_context():
        worker.run_due(_db.session, app.config, kinds=(erasure.FORGET_JOB,))
        _db.session.remove()
    assert b"erika.muster@example.org" not in _raw(path) and b"02041 777888" not in _raw(path)
    assert office_id != person_id
    with app.app_context():
        _db.engine.dispose()
