"""Invitations and password resets: signed links that work once, expire, and never show an error page."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db as _db
from portal.members import tokens
from portal.members.models import Organization, Person
from tests.factories import PASSWORD

NEW_PASSWORD = "ganz-neues-passwort-42"
DAY = 24 * 3600


def _link(outbox, address: str, kind: str) -> str:
    (message,) = outbox.to(address)
    match = re.search(rf"https://portal\.example\.org(/{kind}/\S+)", outbox.text(message))
    assert match, outbox.text(message)
    return match.group(1)


def _actions(person) -> list[str]:
    return list(_db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "people", AuditEvent.entity_id == person.id)
        .order_by(AuditEvent.id)))



def _accept(client, path, password=NEW_PASSWORD, confirm=None, privacy="y"):
    data = {"password": password, "confirm": confirm or password}
    if privacy:
        data["accept_privacy"] = privacy
    return client.post(path, data=data)


@pytest.fixture
def invited(client, make, login_as, outbox):
    """Nina, invited by the office (client signed out again); returns (person, link path)."""
    login_as(make.person("office", name="Olga Office"))
    response = client.post("/members/new", data={
        "name": "Nina Neu", "email": "Nina.Neu@Example.org", "role": "member",
        "organization_id": "0", "new_organization": "Bäckerei Neu", "new_sector": "Handwerk"})
    assert response.status_code == 302
    assert "Die Einladung an Nina Neu (nina.neu@example.org) wird verschickt." in client.get(response.location).text
    client.post("/logout")
    person = _db.session.scalar(select(Person).where(Person.email == "nina.neu@example.org"))
    return person, _link(outbox, "nina.neu@example.org", "invite")


# --- invitations -----------------------------------------------------------------------------

def test_invited_person_sets_password_accepts_privacy_and_is_signed_in(client, invited, outbox):
    person, link = invited
    assert person.password_hash is None and person.organization.name == "Bäckerei Neu"
    invitation = outbox.text(outbox.to(person.email)[0])
    assert invitation.startswith("Guten Tag, Nina Neu,\n")
    assert "gültig und kann einmal verwendet werden" in invitation
    page = client.get(link)
    assert page.status_code == 200 and "Nina Neu" in page.text and "Datenschutzhinweis" in page.text

    response = _accept(client, link)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200  # signed in as Nina
    _db.session.refresh(person)
    assert person.has_password and person.privacy_accepted_at is not None
    assert person.invitation_nonce is None
    assert _actions(person) == ["person.created", "person.invited", "person.invitation_accepted"]
    client.post("/logout")
    login = client.post("/login", data={"email": "nina.neu@example.org", "password": NEW_PASSWORD})
    assert login.status_code == 302


@pytest.mark.parametrize("password,confirm,privacy,message", [
    (NEW_PASSWORD, NEW_PASSWORD, None, "Ohne Ihr Einverständnis können wir kein Konto einrichten."),
    (NEW_PASSWORD, "etwas-anderes-123", "y", "Die beiden Passwörter stimmen nicht überein."),
    ("kurz", "kurz", "y", "Das Passwort muss mindestens 10 Zeichen haben."),
])
def test_invitation_needs_privacy_consent_and_a_good_password(client, invited, password, confirm,
                                                              privacy, message):
    person, link = invited
    response = _accept(client, link, password, confirm, privacy)
    assert response.status_code == 422 and message in response.text
    _db.session.refresh(person)
    assert person.password_hash is None and person.privacy_accepted_at is None


def test_used_invitation_link_says_the_account_exists(client, invited):
    person, link = invited
    _accept(client, link)
    client.post("/logout")
    for response in (client.get(link), _accept(client, link, "noch-ein-passwort-1")):
        assert response.status_code == 410
        assert "Diese Einladung wurde bereits angenommen" in response.text
        assert "Melden Sie sich" in response.text
    client.post("/login", data={"email": person.email, "password": NEW_PASSWORD})
    assert client.get("/").status_code == 200  # the second attempt changed nothing


def test_expired_invitation_link_asks_for_a_new_invitation(client, invited, monkeypatch):
    person, link = invited
    monkeypatch.setattr(tokens, "_timestamp", lambda: int(time.time()) + 13 * DAY)
    assert client.get(link).status_code == 200  # still valid on day 13
    monkeypatch.setattr(tokens, "_timestamp", lambda: int(time.time()) + 15 * DAY)
    for response in (client.get(link), _accept(client, link)):
        assert response.status_code == 410
        assert "Diese Einladung ist abgelaufen" in response.text
        assert "Geschäftsstelle" in response.text and "neue Einladung" in response.text
    _db.session.refresh(person)
    assert person.password_hash is None


@pytest.mark.parametrize("forge", [
    lambda link: link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb"),  # damaged signature
    lambda link: "/invite/kein-echter-link",
    lambda link: link.replace("/invite/", "/invite/x"),
])
def test_forged_invitation_link_gets_a_clear_page(client, invited, forge):
    person, link = invited
    for response in (client.get(forge(link)), _accept(client, forge(link))):
        assert response.status_code == 400
        assert "Dieser Einladungslink ist ungültig" in response.text
        assert "Geschäftsstelle" in response.text
    _db.session.refresh(person)
    assert person.password_hash is None


def test_reset_link_is_not_accepted_as_invitation(client, make, outbox):
    person = make.person("member", email="anna@example.org")
    client.post("/reset", data={"email": person.email})
    token = _link(outbox, person.email, "reset").rsplit("/", 1)[1]
    assert client.get(f"/invite/{token}").status_code == 400


def test_resending_replaces_the_old_link(client, invited, login_as, make, outbox):
    person, old_link = invited
    outbox.clear()
    login_as(make.person("office"))
    assert client.post(f"/members/{person.id}/invitation").status_code == 302
    client.post("/logout")
    new_link = _link(outbox, person.email, "invite")
    assert new_link != old_link
    response = client.get(old_link)
    assert response.status_code == 410 and "Diese Einladung gilt nicht mehr" in response.text
    assert _accept(client, new_link).status_code == 302
    assert "person.invitation_resent" in _actions(person)


def test_office_sees_pending_invitations_and_revokes_one(client, invited, login_as, make):
    person, link = invited
    login_as(make.person("office"))
    page = client.get("/members/new")
    assert "Offene Einladungen" in page.text and "nina.neu@example.org" in page.text
    assert "nina.neu@example.org" in client.get("/members?status=invited").text

    response = client.post(f"/members/{person.id}/invitation/revoke", data={"back": "invitations"})
    assert response.status_code == 302 and response.headers["Location"] == "/members/new"
    assert "nina.neu@example.org" not in client.get("/members/new").text
    _db.session.refresh(person)
    assert not person.active and person.invitation_nonce is None
    client.post("/logout")
    assert client.get(link).status_code == 410
    assert "person.invitation_revoked" in _actions(person)


def test_inviting_a_known_address_shows_the_error_at_the_field(client, make, login_as):
    login_as(make.person("office"))
    make.person("member", email="anna@example.org")
    _db.session.commit()  # kept when the refused request rolls back
    response = client.post("/members/new", data={
        "name": "Anna Zwei", "email": "ANNA@example.org", "role": "member", "organization_id": "0",
        "new_sector": "Sonstige"})
    assert response.status_code == 422
    assert "Die E-Mail-Adresse anna@example.org ist bereits vergeben." in response.text
    assert 'value="Anna Zwei"' in response.text


def test_invitation_with_existing_organization_name_reuses_it(client, make, login_as, outbox):
    org = make.organization(name="Tischlerei Beispiel")
    login_as(make.person("office"))
    client.post("/members/new", data={
        "name": "Tom Tischler", "email": "tom@example.org", "role": "member", "organization_id": "0",
        "new_organization": "tischlerei beispiel", "new_sector": "Handel"})
    person = _db.session.scalar(select(Person).where(Person.email == "tom@example.org"))
    assert person.organization_id == org.id
    assert _db.session.scalar(select(Organization).where(Organization.name == "tischlerei beispiel")) is None


# --- password reset ------------------------------------------------------------------------

def test_reset_request_does_not_reveal_whether_an_address_is_registered(client, make, outbox):
    make.person("member", email="anna@example.org")
    make.person("member", email="weg@example.org", active=False)
    answers = {}
    for address in ("anna@example.org", "niemand@example.org", "weg@example.org"):
        response = client.post("/reset", data={"email": address})
        answers[address] = (response.status_code, response.text.replace(address, "ADDRESS"))
    assert len(set(answers.values())) == 1
    assert answers["anna@example.org"][0] == 200
    assert len(outbox.to("anna@example.org")) == 1
    assert outbox.to("niemand@example.org") == [] and outbox.to("weg@example.org") == []


def test_reset_link_sets_a_new_password_once(client, make, outbox):
    person = make.person("member", email="anna@example.org")
    client.post("/reset", data={"email": "Anna@example.org"})
    assert outbox.text(outbox.to("anna@example.org")[0]).startswith(f"Guten Tag, {person.name},\n")
    link = _link(outbox, "anna@example.org", "reset")
    assert client.get(link).status_code == 200
    assert client.post(link, data={"password": "kurz", "confirm": "kurz"}).status_code == 422
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"email": person.email, "password": PASSWORD}).status_code == 422
    assert client.post("/login", data={"email": person.email, "password": NEW_PASSWORD}).status_code == 302
    client.post("/logout")
    again = client.get(link)
    assert again.status_code == 410 and "Dieser Link wurde bereits verwendet" in again.text
    assert "person.password_reset" in _actions(person)


def test_reset_link_expires_after_an_hour(client, make, outbox, monkeypatch):
    make.person("member", email="anna@example.org")
    client.post("/reset", data={"email": "anna@example.org"})
    link = _link(outbox, "anna@example.org", "reset")
    monkeypatch.setattr(tokens, "_timestamp", lambda: int(time.time()) + 3601)
    response = client.get(link)
    assert response.status_code == 410 and "Dieser Link ist abgelaufen" in response.text
    assert 'href="/reset"' in response.text


def test_login_page_links_to_password_reset(client):
    assert 'href="/reset"' in client.get("/login").text
