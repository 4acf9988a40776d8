"""Members and organizations: directory, profiles, consent, office edits, CSV import and export."""
from __future__ import annotations

import base64
import csv
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, insert, select

from portal.audit.models import AuditEvent
from portal.extensions import db as _db
from portal.groups.models import Membership
from portal.members.models import Organization, Person
from portal.types import local_today
from tests.factories import PASSWORD, utc


def _names(html: str) -> list[str]:
    """The people listed in the directory table, in order."""
    return re.findall(r'<th scope="row"><a href="/members/\d+">([^<]+)</a>', html)


def _count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _events(action: str) -> list[AuditEvent]:
    return list(_db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def alliance(make):
    handwerk = make.organization(name="Tischlerei Kamp", sector="Handwerk")
    handel = make.organization(name="Modehaus Berger", sector="Handel")
    uni = make.organization(name="Westfälische Hochschule", sector="Wissenschaft")
    anna = make.person("member", name="Anna Kamp", email="anna@example.org", organization=handwerk,
                       phone="+49 2041 111", function="Inhaberin")
    bernd = make.person("member", name="Bernd Berger", email="bernd@example.org", organization=handel,
                        phone="02041 222", show_email=True)
    clara = make.person("member", name="Clara Conrad", email="clara@example.org", organization=uni,
                        show_phone=True, phone="0209 333")
    office = make.person("office", name="Olga Office", email="olga@example.org")
    retail = make.group(moderator=bernd, members=[anna], name="Handel der Zukunft", short_name="Handel")
    make.group(members=[clara], name="Nachhaltige Unternehmensgründungen")
    _db.session.commit()  # kept when a refused request rolls back (the test's transaction still ends it)
    return {"anna": anna, "bernd": bernd, "clara": clara, "office": office, "retail": retail,
            "handwerk": handwerk, "handel": handel, "uni": uni}


# --- directory -------------------------------------------------------------------------------

def test_directory_searches_name_and_organization(client, login_as, alliance):
    login_as(alliance["anna"])
    assert _names(client.get("/members?q=berger").text) == ["Bernd Berger"]
    assert _names(client.get("/members?q=hochschule").text) == ["Clara Conrad"]
    assert _names(client.get("/members?q=KAMP").text) == ["Anna Kamp"]
    assert _names(client.get("/members?q=50%25").text) == []  # % is searched for, not a wildcard
    assert "Keine Person passt zu diesen Filtern." in client.get("/members?q=zzz").text


def test_directory_filters_by_sector_and_group(client, login_as, alliance):
    login_as(alliance["anna"])
    assert _names(client.get("/members?sector=Handel").text) == ["Bernd Berger"]
    retail = alliance["retail"].id
    assert _names(client.get(f"/members?group={retail}").text) == ["Anna Kamp", "Bernd Berger"]
    assert _names(client.get(f"/members?group={retail}&sector=Handwerk").text) == ["Anna Kamp"]
    assert len(_names(client.get("/members?sector=Unsinn&group=abc").text)) == 4  # ignored


def test_directory_is_paginated_with_filters_kept(client, login_as, alliance, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for n in range(3):
        make.person("member", name=f"Zora Kamp {n}", organization=alliance["handwerk"])
    login_as(alliance["anna"])
    first = client.get("/members?q=kamp")
    assert _names(first.text) == ["Anna Kamp", "Zora Kamp 0"]
    assert "Seite 1 von 2" in first.text and "q=kamp" in first.text and "page=2" in first.text
    assert _names(client.get("/members?q=kamp&page=2").text) == ["Zora Kamp 1", "Zora Kamp 2"]
    assert _names(client.get("/members?q=kamp&page=9").text) == []  # no 404 for a page too far


def test_members_see_only_active_people_the_office_sees_every_status(client, login_as, alliance, make):
    invited = make.person("member", name="Ina Eingeladen", password=None, invitation_nonce="x")
    gone = make.person("member", name="Gerd Gegangen", active=False)
    login_as(alliance["anna"])
    listed = _names(client.get("/members?status=inactive").text)
    assert "Gerd Gegangen" not in listed and "Ina Eingeladen" not in listed
    assert client.get(f"/members/{gone.id}").status_code == 404
    assert client.get(f"/members/{invited.id}").status_code == 404
    login_as(alliance["office"])
    assert _names(client.get("/members?status=inactive").text) == ["Gerd Gegangen"]
    assert _names(client.get("/members?status=invited").text) == ["Ina Eingeladen"]
    assert client.get(f"/members/{gone.id}").status_code == 200


def test_profile_page_shows_organization_and_groups(client, login_as, alliance):
    login_as(alliance["clara"])
    page = client.get(f"/members/{alliance['anna'].id}")
    assert page.status_code == 200
    assert "Tischlerei Kamp" in page.text and "Inhaberin" in page.text and "Handel" in page.text
    assert client.get("/members/999999").status_code == 404



def test_profile_offers_the_persons_own_calendar_feed(client, login_as, alliance, make):
    for person in (alliance["anna"], make.person("observer")):
        login_as(person)
        page = client.get("/profile")
        assert page.status_code == 200 and 'id="kalender-abonnieren"' in page.text
        assert f"https://portal.example.org/calendar/{person.calendar_token}.ics" in page.text
        assert 'action="/profile/calendar-token"' in page.text


# --- consent ---------------------------------------------------------------------------------

def test_contact_data_is_hidden_from_members_without_consent(client, login_as, alliance):
    anna, clara = alliance["anna"], alliance["clara"]
    login_as(clara)
    for path in ("/members", f"/members/{anna.id}", f"/organizations/{anna.organization_id}"):
        text = client.get(path).text
        assert "anna@example.org" not in text and "+49 2041 111" not in text, path
        assert "nicht freigegeben" in text
    directory = client.get("/members").text
    assert "bernd@example.org" in directory and "02041 222" not in directory  # email on, phone off
    assert "0209 333" in directory  # Clara's own (and consented) phone


def test_office_and_the_person_always_see_contact_data(client, login_as, alliance):
    anna = alliance["anna"]
    login_as(alliance["office"])
    text = client.get("/members").text
    assert "anna@example.org" in text and "+49 2041 111" in text and "02041 222" in text
    login_as(anna)
    text = client.get(f"/members/{anna.id}").text
    assert "anna@example.org" in text and "+49 2041 111" in text


def test_member_switches_consent_and_its_time_is_recorded(client, login_as, alliance):
    anna = alliance["anna"]
    login_as(anna)
    assert anna.consent_changed_at is None
    response = client.post("/profile", data={"name": "Anna Kamp", "function": "Inhaberin",
                                             "phone": "+49 2041 111", "locale": "", "show_email": "y"})
    assert response.status_code == 302
    _db.session.refresh(anna)
    assert anna.show_email and not anna.show_phone and anna.consent_changed_at is not None
    (event,) = _events("person.updated")
    assert event.actor_id == anna.id and event.changes["show_email"] == [False, True]
    assert "consent_changed_at" in event.changes
    login_as(alliance["clara"])
    assert "anna@example.org" in client.get("/members").text


# --- profile and office edits ----------------------------------------------------------------

def test_member_edits_own_profile_but_not_organization(client, login_as, alliance):
    anna = alliance["anna"]
    login_as(anna)
    page = client.get("/profile")
    assert page.status_code == 200 and 'name="organization_id"' not in page.text
    client.post("/profile", data={"name": "Anna Kamp-Schulz", "function": "Meisterin", "phone": "0171 555",
                                  "locale": "en", "organization_id": str(alliance["uni"].id),
                                  "new_organization": "Fremdfirma"})
    _db.session.refresh(anna)
    assert (anna.name, anna.function, anna.phone, anna.locale) == ("Anna Kamp-Schulz", "Meisterin", "0171 555", "en")
    assert anna.organization_id == alliance["handwerk"].id
    assert _count(Organization) == 3
    (event,) = _events("person.updated")
    assert event.changes["name"] == ["Anna Kamp", "Anna Kamp-Schulz"]


def test_profile_form_keeps_input_and_explains_errors(client, login_as, alliance):
    login_as(alliance["anna"])
    response = client.post("/profile", data={"name": "", "function": "Chefin", "phone": "ruf an", "locale": ""})
    assert response.status_code == 422
    assert "Bitte ausfüllen." in response.text and "Bitte nur Ziffern" in response.text
    assert 'value="Chefin"' in response.text


def test_observer_reads_own_profile_without_a_form(client, login_as, make):
    observer = login_as(make.person("observer", name="Otto Observer"))
    page = client.get("/profile")
    assert page.status_code == 200 and "Otto Observer" in page.text and "<form method=\"post\" novalidate" not in page.text
    assert client.post("/profile", data={"name": "X"}).status_code == 403
    assert observer.name == "Otto Observer"


def test_office_edits_any_member_including_organization_email_and_role(client, login_as, alliance):
    anna = alliance["anna"]
    login_as(alliance["office"])
    response = client.post(f"/members/{anna.id}/edit", data={
        "name": "Anna Kamp", "email": "Anna.Kamp@Example.org", "function": "Inhaberin", "phone": "",
        "role": "observer", "organization_id": "0", "new_organization": "Kamp & Söhne", "new_sector": "Industrie"})
    assert response.status_code == 302
    _db.session.refresh(anna)
    assert anna.email == "anna.kamp@example.org" and anna.role == "observer" and anna.phone == ""
    assert anna.organization.name == "Kamp & Söhne" and anna.organization.sector == "Industrie"
    (event,) = _events("person.updated")
    assert event.actor_id == alliance["office"].id
    assert event.changes["organization"] == ["Tischlerei Kamp", "Kamp & Söhne"]
    assert event.changes["email"] == ["anna@example.org", "anna.kamp@example.org"]
    assert len(_events("organization.created")) == 1


def test_office_edit_refuses_taken_email_and_own_role_change(client, login_as, alliance):
    office = login_as(alliance["office"])
    taken = client.post(f"/members/{alliance['anna'].id}/edit", data={
        "name": "Anna Kamp", "email": "bernd@example.org", "role": "member", "organization_id": "0",
        "new_sector": "Sonstige"})
    assert taken.status_code == 422 and "bereits vergeben" in taken.text
    own = client.post(f"/members/{office.id}/edit", data={
        "name": office.name, "email": office.email, "role": "member", "organization_id": "0",
        "new_sector": "Sonstige"})
    assert "Ihre eigene Rolle" in own.text
    _db.session.refresh(office)
    assert office.role == "office" and _events("person.updated") == []


def test_office_deactivates_and_reactivates_a_member(client, login_as, alliance):
    anna, office = alliance["anna"], alliance["office"]
    login_as(office)
    assert client.post(f"/members/{anna.id}/deactivate").status_code == 302
    _db.session.refresh(anna)
    assert not anna.active and anna.left_at is not None
    assert client.post(f"/members/{office.id}/deactivate").status_code == 302
    _db.session.refresh(office)
    assert office.active  # not oneself
    client.post("/logout")
    refused = client.post("/login", data={"email": anna.email, "password": PASSWORD})
    assert refused.status_code == 422
    login_as(office)
    client.post(f"/members/{anna.id}/reactivate")
    _db.session.refresh(anna)
    assert anna.active and anna.left_at is None
    assert [len(_events(a)) for a in ("person.deactivated", "person.reactivated")] == [1, 1]



def _open_memberships(person) -> list[Membership]:
    return list(_db.session.scalars(select(Membership).where(
        Membership.person_id == person.id, Membership.status.in_(("requested", "active")))))


def test_a_member_changed_to_observer_leaves_groups_and_requests_audited(client, login_as, alliance, make):
    anna, office = alliance["anna"], alliance["office"]
    request = make.membership(anna, make.group(moderator=alliance["clara"]), status="requested")
    login_as(office)
    response = client.post(f"/members/{anna.id}/edit", data={
        "name": anna.name, "email": anna.email, "role": "observer", "organization_id": anna.organization_id})
    assert response.status_code == 302
    assert anna.role == "observer" and _open_memberships(anna) == []
    (ended,) = [m for m in anna.memberships if m.status == "left"]
    assert ended.group == alliance["retail"] and ended.left_by == office and ended.left_at
    assert request.status == "declined" and request.decided_by == office
    assert [e.changes for e in _events("membership.ended")] == [{"status": ["active", "left"]}]
    assert [e.changes for e in _events("membership.request_closed")] == [{"status": ["requested", "declined"]}]


def test_deactivating_or_revoking_an_invitation_ends_group_memberships(client, login_as, alliance, make):
    anna, office = alliance["anna"], alliance["office"]
    invited = make.person("member", password=None, invitation_nonce="offen")
    make.membership(invited, alliance["retail"])  # added by the CSV import before accepting
    login_as(office)
    client.post(f"/members/{anna.id}/deactivate")
    client.post(f"/members/{invited.id}/invitation/revoke")
    assert not anna.active and not invited.active
    assert _open_memberships(anna) == [] and _open_memberships(invited) == []
    assert len(_events("membership.ended")) == 2
    client.post(f"/members/{anna.id}/reactivate")
    assert anna.active and _open_memberships(anna) == []  # she asks to join again if she wants


def test_the_last_moderator_of_a_group_is_neither_deactivated_nor_changed_to_observer(
        client, login_as, alliance, make):
    bernd, office = alliance["bernd"], alliance["office"]
    login_as(office)
    message = ("Bernd Berger ist die letzte Moderation von „Handel der Zukunft“; bitte zuerst eine andere "
               "Person als Moderation benennen.")
    refused = client.post(f"/members/{bernd.id}/deactivate", follow_redirects=True)
    assert message in refused.text
    edit = client.post(f"/members/{bernd.id}/edit", data={
        "name": bernd.name, "email": bernd.email, "role": "office", "organization_id": bernd.organization_id})
    assert edit.status_code == 422 and message in edit.text
    _db.session.refresh(bernd)
    assert bernd.active and bernd.role == "member" and len(_open_memberships(bernd)) == 1
    assert _events("membership.ended") == [] and _events("person.updated") == []

    (anna_in_retail,) = _open_memberships(alliance["anna"])
    client.post(f"/groups/{alliance['retail'].id}/memberships/{anna_in_retail.id}/appoint")
    assert client.post(f"/members/{bernd.id}/deactivate").status_code == 302
    assert not bernd.active and _open_memberships(bernd) == []


# --- organizations ---------------------------------------------------------------------------

def test_organizations_list_counts_people_and_filters(client, login_as, alliance, make):
    make.person("member", name="Ehemalig", organization=alliance["handwerk"], active=False)
    login_as(alliance["anna"])
    page = client.get("/organizations")
    assert page.status_code == 200
    rows = re.findall(r'<a href="/organizations/\d+">([^<]+)</a></th>\s*<td>([^<]+)</td>\s*<td class="num">(\d+)', page.text)
    assert rows == [("Modehaus Berger", "Handel", "1"), ("Tischlerei Kamp", "Handwerk", "1"),
                    ("Westfälische Hochschule", "Wissenschaft", "1")]
    assert "Tischlerei Kamp" in client.get("/organizations?q=tisch").text
    assert "Modehaus" not in client.get("/organizations?sector=Handwerk").text
    detail = client.get(f"/organizations/{alliance['handwerk'].id}").text
    assert "Anna Kamp" in detail and "Ehemalig" not in detail
    assert client.get("/organizations/99999").status_code == 404


def test_office_edits_an_organization_with_a_safe_website(client, login_as, alliance):
    org = alliance["handwerk"]
    login_as(alliance["office"])
    bad = client.post(f"/organizations/{org.id}/edit", data={
        "name": "Tischlerei Kamp", "sector": "Handwerk", "website": "javascript://x.org/%0Aalert(1)"})
    assert bad.status_code == 422 and "https://" in bad.text
    taken = client.post(f"/organizations/{org.id}/edit", data={"name": "modehaus berger", "sector": "Handwerk"})
    assert "gibt es bereits" in taken.text
    ok = client.post(f"/organizations/{org.id}/edit", data={
        "name": "Tischlerei Kamp GmbH", "sector": "Industrie", "address": "Kirchplatz 1, 46236 Bottrop",
        "website": "https://kamp.example.org"})
    assert ok.status_code == 302
    assert (org.name, org.sector) == ("Tischlerei Kamp GmbH", "Industrie")
    (event,) = _events("organization.updated")
    assert event.changes["sector"] == ["Handwerk", "Industrie"]


# --- CSV import ------------------------------------------------------------------------------

def _upload(client, data: bytes, name: str = "liste.csv"):
    return client.post("/members/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _confirm(client, preview):
    content = re.search(r'name="content" type="hidden" value="([^"]*)"', preview.text).group(1)
    return client.post("/members/import", data={"content": content})


NEW_ROWS = (
    "name;email;organization;sector;function;phone;groups\r\n"
    "Dora Dietz;dora@example.org;Bäckerei Dietz;Handwerk;Inhaberin;02041 444;Handel der Zukunft\r\n"
    "Anna Kamp;ANNA@example.org;Tischlerei Kamp;;Meisterin;+49 2041 111;Handel|Nachhaltige Unternehmensgründungen\r\n"
)


@pytest.mark.parametrize("encoding,separator", [
    ("utf-8-sig", ";"), ("utf-8", ";"), ("utf-8-sig", ","), ("utf-8", ","),
])
def test_import_previews_then_writes_everything_in_one_go(client, login_as, alliance, encoding, separator):
    login_as(alliance["office"])
    text = NEW_ROWS if separator == ";" else NEW_ROWS.replace(";", ",")
    people, memberships = _count(Person), _count(Membership)
    preview = _upload(client, text.encode(encoding))
    assert preview.status_code == 200 and "Vorschau" in preview.text
    assert "Dora Dietz" in preview.text and "Bäckerei Dietz" in preview.text
    assert "Funktion: Inhaberin → Meisterin" in preview.text
    assert (_count(Person), _count(Membership)) == (people, memberships)  # nothing written yet

    done = _confirm(client, preview)
    assert done.status_code == 302
    dora = _db.session.scalar(select(Person).where(Person.email == "dora@example.org"))
    assert dora.organization.name == "Bäckerei Dietz" and dora.organization.sector == "Handwerk"
    assert dora.phone == "02041 444" and dora.role == "member" and dora.password_hash is None
    anna = alliance["anna"]
    _db.session.refresh(anna)
    assert anna.function == "Meisterin"
    groups = {m.group.name for m in _db.session.scalars(
        select(Membership).where(Membership.person_id == anna.id, Membership.status == "active"))}
    assert groups == {"Handel der Zukunft", "Nachhaltige Unternehmensgründungen"}
    assert _count(Person) == people + 1
    assert len(_events("person.created")) == 1 and len(_events("person.updated")) == 1
    assert len(_events("organization.created")) == 1


def test_a_file_with_bad_rows_is_rejected_whole_with_line_and_reason(client, login_as, alliance):
    login_as(alliance["office"])
    text = (
        "name;email;organization;sector;groups\n"
        "Gute Zeile;gut@example.org;Neue Firma;Handel;\n"
        "Erik Error;kein-at-zeichen;;;\n"
        "Fritz Fehler;fritz@example.org;Irgendwas;Raumfahrt;\n"
        "Gabi Gruppe;gabi@example.org;;;Gibt es nicht\n"
        "Doppelt;GUT@example.org;;;\n"
    )
    before = (_count(Person), _count(Organization), _count(Membership), _count(AuditEvent))
    response = _upload(client, text.encode())
    assert response.status_code == 422 and "Die Datei wurde nicht importiert" in response.text
    rows = dict(re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td></tr>', response.text))
    assert set(rows) == {"3", "4", "5", "6"}
    assert "E-Mail-Adresse" in rows["3"] and "kein-at-zeichen" in rows["3"]
    assert "Branche" in rows["4"] and "Raumfahrt" in rows["4"]
    assert "Reallabor" in rows["5"] and "Gibt es nicht" in rows["5"]
    assert "Zeile 2" in rows["6"]
    assert "Import bestätigen" not in response.text
    assert (_count(Person), _count(Organization), _count(Membership), _count(AuditEvent)) == before


@pytest.mark.parametrize("text,line,reason", [
    ("name;mail\nA;a@example.org\n", "1", "unbekannte Spalte"),
    ("email;organization\na@example.org;X\n", "1", "es fehlt die Spalte name"),
    ("name;email\n\"A;a@example.org\n", "2", "nicht lesen"),
    ("name;email;groups\nA;a@example.org;Nachhaltige Unternehmensgründungen;extra\n", "2", "Felder statt"),
    ("name,email,organization,sector\nA,a@example.org,Firma X,Handel\nB,b@example.org,firma x,Industrie\n",
     "3", "Zeile 2 die Branche Handel"),
    ("", "1", "leer"),
])
def test_import_explains_structural_problems(client, login_as, alliance, text, line, reason):
    login_as(alliance["office"])
    response = _upload(client, text.encode())
    assert f'<td class="num">{line}</td><td>' in response.text
    assert reason in response.text


def test_import_rejects_files_that_are_not_utf8(client, login_as, alliance):
    login_as(alliance["office"])
    response = _upload(client, "name;email\nJörg;j@example.org\n".encode("cp1252"))
    assert "nicht UTF-8" in response.text and '<td class="num">2</td>' in response.text


def test_confirm_checks_the_file_again(client, login_as, alliance):
    login_as(alliance["office"])
    preview = _upload(client, NEW_ROWS.encode())
    alliance["retail"].archived_at = alliance["retail"].created_at  # archived after the preview
    _db.session.flush()
    response = _confirm(client, preview)
    assert response.status_code == 422 and "archiviert" in response.text
    assert _db.session.scalar(select(Person).where(Person.email == "dora@example.org")) is None
    forged = client.post("/members/import", data={"content": "kein base64!"})
    assert forged.status_code == 422 and "Die Datei ist leer" in forged.text


# --- CSV export ------------------------------------------------------------------------------

def _rows(body: bytes) -> list[dict]:
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert text.splitlines()[0] == "name;email;organization;sector;function;phone;groups"
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_export_opens_in_german_excel_and_office_gets_everything(client, login_as, alliance):
    login_as(alliance["office"])
    response = client.get("/members/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert b"\r\n" in response.data
    rows = {r["name"]: r for r in _rows(response.data)}
    assert rows["Anna Kamp"]["email"] == "anna@example.org"
    assert rows["Anna Kamp"]["phone"] == "'+49 2041 111"  # shown as text, never run as a formula
    assert rows["Anna Kamp"]["groups"] == "Handel der Zukunft"
    assert rows["Bernd Berger"]["sector"] == "Handel"


def test_export_respects_consent_for_members(client, login_as, alliance):
    login_as(alliance["clara"])
    rows = {r["name"]: r for r in _rows(client.get("/members/export.csv").data)}
    assert rows["Anna Kamp"]["email"] == "" and rows["Anna Kamp"]["phone"] == ""
    assert rows["Bernd Berger"]["email"] == "bernd@example.org" and rows["Bernd Berger"]["phone"] == ""
    assert rows["Clara Conrad"]["email"] == "clara@example.org"  # her own
    filtered = _rows(client.get("/members/export.csv?sector=Handel").data)
    assert [r["name"] for r in filtered] == ["Bernd Berger"]


def test_export_then_import_changes_nothing(client, login_as, alliance, make):
    make.person("member", name="=Formel", email="formel@example.org", function="-Chef", phone="+49 1",
                organization=make.organization(name="@Firma", sector="Sonstige"))
    make.person("member", name="Ohne Firma", email="ohne@example.org", function="Berater; \"extern\"")
    login_as(alliance["office"])
    exported = client.get("/members/export.csv").data
    before = (_count(Person), _count(Organization), _count(Membership), _count(AuditEvent))
    preview = _upload(client, exported)
    assert preview.status_code == 200 and "Die Datei wurde nicht importiert" not in preview.text
    assert "keine Änderungen" in preview.text and "Import bestätigen" not in preview.text
    encoded = base64.b64encode(exported).decode()
    assert client.post("/members/import", data={"content": encoded}).status_code == 302
    assert (_count(Person), _count(Organization), _count(Membership), _count(AuditEvent)) == before
    assert client.get("/members/export.csv").data == exported


# --- query counts ----------------------------------------------------------------------------

def _grow(make, n: int) -> None:
    """n more people with organizations and group memberships, inserted in bulk."""
    session = _db.session
    start = _count(Person)
    groups = [make.group(name=f"Gruppe {start}-{i}") for i in range(3)]
    org_ids = list(session.scalars(insert(Organization).returning(Organization.id), [
        {"name": f"Firma {start}-{i}", "sector": "Handel"} for i in range(n)]))
    person_ids = list(session.scalars(insert(Person).returning(Person.id), [
        {"name": f"Person {start}-{i}", "email": f"p{start}-{i}@example.org", "role": "member",
         "organization_id": org_ids[i], "calendar_token": f"t{start}-{i}", "phone": "0", "show_email": i % 2 == 0}
        for i in range(n)]))
    session.execute(insert(Membership), [
        {"person_id": pid, "group_id": groups[i % 3].id, "role": "member", "status": "active"}
        for i, pid in enumerate(person_ids)])


@pytest.mark.parametrize("path", ["/members", "/organizations", "/members?group=1&sector=Handel",
                                  "/members/export.csv"])
def test_pages_run_the_same_number_of_queries_for_more_data(client, login_as, make, count_queries, path):
    login_as(make.person("member"))
    counts = []
    for size in (3, 60):
        _grow(make, size)
        client.get(path)  # warm up: loads the signed-in user once
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
    assert counts[0] <= 8, counts


def test_organization_page_query_count_does_not_grow(client, login_as, make, count_queries):
    org = make.organization(name="Große Firma")
    group = make.group(name="Ein Reallabor")
    login_as(make.person("member"))
    counts = []
    for size in (2, 40):
        for _ in range(size - len(org.people)):
            make.membership(make.person("member", organization=org, password=None), group)
        client.get(f"/organizations/{org.id}")
        with count_queries() as counter:
            assert client.get(f"/organizations/{org.id}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_largest_allowed_file_fits_into_the_preview_form(app, client, login_as, make):
    from portal.members.csv_io import MAX_BYTES

    assert len(base64.b64encode(b"x" * MAX_BYTES)) < (app.config.get("MAX_FORM_MEMORY_SIZE") or 500_000)
    login_as(make.person("office"))
    too_big = _upload(client, b"name;email\n" + b"x" * MAX_BYTES)
    assert too_big.status_code == 422 and "Die Datei ist zu groß" in too_big.text


def test_language_switch_is_kept_in_the_profile_and_audited(client, login_as, alliance):
    anna = login_as(alliance["anna"])
    client.post("/language", data={"locale": "en", "next": "/members"})
    assert anna.locale == "en"
    (event,) = _events("person.updated")
    assert event.changes == {"locale": [None, "en"]}


def test_create_person_enforces_the_password_rule_itself(db):
    from portal.members.accounts import AccountError, create_person
    from portal.members.passwords import MIN_LENGTH

    with pytest.raises(AccountError, match=f"mindestens {MIN_LENGTH} Zeichen") as refused:
        create_person("Kurt Kurz", "kurt@example.org", "member", password="x" * (MIN_LENGTH - 1))
    assert refused.value.field == "password"
    assert _db.session.scalar(select(Person).where(Person.email == "kurt@example.org")) is None
    person = create_person("Lena Lang", "lena@example.org", "member", password="x" * MIN_LENGTH)
    assert person.has_password and person.password_hash != "x" * MIN_LENGTH
    assert not create_person("Ida Ohne", "ida@example.org", "member").has_password  # invited later


def test_an_english_reader_sees_sector_names_in_english_while_the_german_key_filters(
        client, login_as, alliance):
    alliance["anna"].locale = "en"
    login_as(alliance["anna"])
    members = client.get("/members?sector=Handel").text
    assert '<option value="Handel" selected>Retail</option>' in members
    assert '<option value="Handwerk" >Crafts</option>' in members
    assert _names(members) == ["Bernd Berger"] and ">Retail</span>" in members
    organizations = client.get("/organizations").text
    assert "<td>Crafts</td>" in organizations and "<td>Science</td>" in organizations
    assert ">Handwerk<" not in organizations
    assert "<dd>Crafts</dd>" in client.get(f"/members/{alliance['anna'].id}").text
    assert "<dd>Retail</dd>" in client.get(f"/organizations/{alliance['handel'].id}").text


def test_the_office_edits_a_sector_from_translated_choices_and_the_german_key_is_stored(
        client, login_as, alliance):
    office = alliance["office"]
    office.locale = "en"
    login_as(office)
    page = client.get(f"/organizations/{alliance['uni'].id}/edit").text
    assert '<option selected value="Wissenschaft">Science</option>' in page
    client.post(f"/organizations/{alliance['uni'].id}/edit",
                data={"name": "Westfälische Hochschule", "sector": "Verwaltung"})
    assert alliance["uni"].sector == "Verwaltung"


def test_the_report_counts_members_by_sector_in_the_readers_language(client, login_as, alliance):
    alliance["office"].locale = "en"
    login_as(alliance["office"])
    report = client.get(f"/reports?start=2020-01-01&end={local_today().isoformat()}").text
    assert '<th scope="row">Crafts</th>' in report and '<th scope="row">Handwerk</th>' not in report


# --- a member's history -----------------------------------------------------------------------

def _headers(html: str, heading_id: str) -> list[str]:
    section = html.split(f'id="{heading_id}"', 1)[1].split("</thead>", 1)[0]
    return re.findall(r'<th scope="col">([^<]+)</th>', section)


@pytest.mark.parametrize("locale, headers", [
    ("en", ["Time", "By", "Action", "Changes"]), ("de", ["Zeitpunkt", "Durch", "Vorgang", "Änderungen"])])
def test_change_history_columns_say_when_who_and_what(client, login_as, alliance, locale, headers):
    office = alliance["office"]
    office.locale = locale
    login_as(office)
    anna = alliance["anna"]
    client.post(f"/members/{anna.id}/edit", data={"name": anna.name, "email": anna.email, "function": "Chefin",
                                                  "phone": anna.phone, "role": "member",
                                                  "organization_id": str(anna.organization_id)})
    page = client.get(f"/members/{anna.id}").text
    assert _headers(page, "h-history") == headers
    row = page.split('id="h-history"', 1)[1].split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r"<td>([^<]*)</td>", row)[0] == "Olga Office"  # who, in the column that says so


def _history_of(make, person, numbers: range) -> None:
    for n in numbers:
        group = make.group(name=f"Reallabor {n:02d}")
        make.membership(person, group, status="left", joined_at=utc(2019, 1, 1 + n), left_at=utc(2020, 1, 1 + n))
        meeting = make.meeting(group, starts_at=utc(2021, 1, 1 + n), status="held", title=f"Sitzung {n:02d}")
        make.participation(meeting, person, attendance="present")
        make.action_item(person, group, title=f"Aufgabe {n:02d}", due_on=date(2022, 1, 1 + n))


def test_member_page_shows_groups_meetings_and_action_items_a_page_at_a_time(
        client, login_as, make, alliance, count_queries):
    anna = alliance["anna"]
    skipped = make.meeting(alliance["retail"], status="held", title="Ohne Anna")
    make.participation(skipped, anna, attendance="excused")
    make.membership(anna, make.group(name="Nur angefragt"), status="requested")
    login_as(alliance["clara"])
    page = client.get(f"/members/{anna.id}").text
    groups = page.split('id="h-group-history"', 1)[1].split("</section>", 1)[0]
    assert "Handel der Zukunft" in groups and "bis heute" in groups and "Nur angefragt" not in groups
    assert "Ohne Anna" not in page

    _history_of(make, anna, range(2))
    with count_queries() as small:
        client.get(f"/members/{anna.id}")
    _history_of(make, anna, range(2, 15))  # 15 of each: more than one page
    with count_queries() as large:
        page = client.get(f"/members/{anna.id}").text
    assert large.count == small.count

    groups = page.split('id="h-group-history"', 1)[1].split("</section>", 1)[0]
    assert "Reallabor 12" in groups and "ausgetreten am" in groups and "beigetreten am" in groups
    assert "Sitzung 12" in page and "Aufgabe 12" in page and "Sitzung 02" not in page
    assert f"/members/{anna.id}?meetings_page=2#h-attended" in page
    second = client.get(f"/members/{anna.id}?meetings_page=2&actions_page=2").text
    assert "Sitzung 02" in second and "Sitzung 12" not in second and "Aufgabe 02" in second
    attended = second.split('id="h-attended"', 1)[1].split("</section>", 1)[0]
    [back] = re.findall(r'href="([^"]+)" rel="prev"', attended)
    assert "meetings_page=1" in back and "actions_page=2" in back and back.endswith("#h-attended")
    assert client.get(f"/members/{anna.id}?meetings_page=99&groups_page=x").status_code == 200
