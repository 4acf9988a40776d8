"""Hardening from the security review: rate limits that hold under parallel requests, no server
error for what a client sends, logout that ends the session on the server, the same work for known
and unknown addresses, HSTS and a long secret key, no NUL characters, and 503 without a database."""
from __future__ import annotations

import re
import threading
import uuid
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask_wtf import FlaskForm
from sqlalchemy import delete, select
from wtforms.fields.core import UnboundField

from portal import config as portal_config
from portal import create_app
from portal.audit.models import AuditEvent
from portal.auth import reset
from portal.auth.models import AuthAttempt, LoginSession
from portal.extensions import db as _db
from portal.forms import PortalForm
from portal.groups.models import WorkingGroup
from portal.members.models import Person
from portal.members.passwords import hash_password
from portal.params import DB_INT_MAX, parse_int
from tests.factories import PASSWORD
from tests.routes import all_routes
from tests.routes.world import build_world

LONG_SECRET = "a-secret-key-of-at-least-32-characters"
NUL_MESSAGE = "Der Text enthält ein unzulässiges Steuerzeichen."


@pytest.fixture
def password_checks(monkeypatch):
    """The number of argon2 verifications (the expensive step of a login), across threads."""
    calls = []
    original = PasswordHasher.verify

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(PasswordHasher, "verify", counting)
    return calls


# -- 1. rate limits ------------------------------------------------------------------------------

@pytest.fixture
def committed_person(app):
    """A member committed for real (no rolled-back test transaction): parallel requests on their
    own connections must see her. Removed again afterwards, with every attempt recorded."""
    email = f"parallel-{uuid.uuid4().hex[:8]}@example.org"
    with app.app_context():
        _db.session.execute(delete(AuthAttempt))
        person = Person(name="Paula Parallel", email=email, role="member",
                        password_hash=hash_password(PASSWORD))
        _db.session.add(person)
        _db.session.commit()
        person_id = person.id
    yield email
    with app.app_context():
        _db.session.execute(delete(AuthAttempt))
        _db.session.execute(delete(LoginSession))
        _db.session.execute(delete(AuditEvent).where(AuditEvent.actor_id == person_id))
        _db.session.execute(delete(Person).where(Person.email == email))
        _db.session.commit()


def test_forty_parallel_wrong_logins_reach_the_password_check_at_most_ten_times(
        app, committed_person, password_checks):
    start = threading.Barrier(40)
    statuses = []

    def wrong_login():
        client = app.test_client()
        start.wait()
        statuses.append(client.post("/login", data={"email": committed_person,
                                                    "password": "geraten"}).status_code)

    threads = [threading.Thread(target=wrong_login) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(statuses)) == [422, 429]  # wrong password, or throttled
    assert statuses.count(422) == 10
    assert len(password_checks) == 10


@pytest.mark.parametrize("password,status", [("geraten", 422), (PASSWORD, 302)])
def test_a_stale_session_cookie_does_not_hold_up_a_login(app, committed_person, password, status):
    """The user loader's read must not keep the attempt's own transaction from committing."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:abc:beendet"
    response = client.post("/login", data={"email": committed_person, "password": password})
    assert response.status_code == status


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(client, make, app):
    make.person("member", email="anna@example.org")
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for _ in range(10):
        client.post("/login", data={"email": "anna@example.org", "password": "geraten"},
                    environ_base=attacker)
    blocked = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD},
                          environ_base=attacker)
    assert blocked.status_code == 429
    owner = app.test_client()
    response = owner.post("/login", data={"email": "anna@example.org", "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_successful_logins_do_not_count_against_a_shared_client(client, make, app):
    """An office behind one address: a dozen colleagues sign in, nobody is slowed down."""
    emails = [make.person("member", email=f"kollege{n}@example.org").email for n in range(12)]
    for email in emails:
        response = app.test_client().post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302


# -- 2. numbers and query parameters -------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("7", 7), (" 7 ", 7), (7, 7), ("+7", 7), ("0", None), ("-1", None), ("", None), (None, None),
    ("²", None), ("١", None), ("1e9", None), ("1.5", None), ("99999999999999999999", None),
    (str(DB_INT_MAX), DB_INT_MAX), (str(DB_INT_MAX + 1), None), ("7\x00", None), (True, None),
])
def test_parse_int_reads_only_whole_numbers_a_database_can_hold(value, expected):
    assert parse_int(value) == expected


def test_parse_int_keeps_to_its_bounds():
    assert parse_int("0", minimum=0) == 0 and parse_int("-3", minimum=-5) == -3
    assert parse_int("11", maximum=10) is None


FUZZ_VALUES = ["-1", "1e9", "99999999999999999999", "%00", "ä", "²", "../", "' OR 1=1", "2026-13-45",
               "", " "]
SHORT_FUZZ = ["-1", "99999999999999999999", "²", "2026-13-45", " "]  # pages of one object, PDFs


def _known_query_parameters() -> list[str]:
    """Every name the portal reads from a query string or from a form filled from one."""
    names = set()
    for path in (Path(__file__).resolve().parent.parent / "portal").rglob("*.py"):
        names.update(re.findall(r"args\.get\(\s*\"(\w+)\"", path.read_text()))
    from portal.actions.forms import FilterForm
    from portal.reports.forms import ReportFilterForm
    for form in (FilterForm, ReportFilterForm):
        names.update(name for name in dir(form) if isinstance(getattr(form, name), UnboundField))
    return sorted(names) + ["unbekannt", "page[]"]


def _get_paths(world: dict) -> list[tuple[str, bool]]:
    """(path, whether it is a list, export or report: a rule without parameters) of every GET route."""
    paths = {route.path(world): "<" not in route.rule for route in all_routes() if route.method == "GET"}
    return sorted(paths.items())


@pytest.mark.parametrize("role", ["office", "member"])
def test_no_query_value_causes_a_server_error(client, make, login_as, role):
    world = build_world(make)
    login_as(world[role])
    _db.session.commit()  # a request that fails in the database rolls back what is not committed
    names = _known_query_parameters()
    assert {"page", "group", "q", "start", "end", "version", "status"} <= set(names)
    failures = []

    def check(path, query):
        status = client.get(path, query_string=query).status_code
        if status >= 500:
            failures.append((path, query, status))

    for path, listing in _get_paths(world):
        for value in FUZZ_VALUES if listing and ".pdf" not in path else SHORT_FUZZ:
            check(path, {name: value for name in names})
        if listing and ".pdf" not in path and role == "office":
            for n, name in enumerate(names):  # one at a time too: a bad value may hide another
                check(path, {name: ("99999999999999999999", " ", "-1")[n % 3]})
    assert failures == []


def test_no_form_value_causes_a_server_error(client, make, login_as):
    """Every form the office can post, one field at a time set to what no form offers."""
    world = build_world(make)
    login_as(world["office"])
    _db.session.commit()
    failures = []
    for route in all_routes():
        if route.method != "POST" or route.rule == "/logout":
            continue
        path, data = route.path(world), route.form(world) or {}
        for name in [*data, "next", "do"]:
            for value in ("\x00", "99999999999999999999", "²"):
                status = client.post(path, data={**data, name: value}).status_code
                if status >= 500:
                    failures.append((path, name, value, status))
    assert failures == []


# -- 3. logout on the server ---------------------------------------------------------------------

def _copy(client, cookie: str):
    return client.get_cookie(cookie).value


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_a_cookie_copied_before_logout_opens_nothing_afterwards(client, make, app, cookie):
    make.person("member", email="anna@example.org")
    client.post("/login", data={"email": "anna@example.org", "password": PASSWORD, "remember": "y"})
    copy = _copy(client, cookie)
    thief = app.test_client()
    thief.set_cookie(cookie, copy)
    assert thief.get("/").status_code == 200  # the copy works while she is signed in

    assert client.post("/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie(cookie, copy)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_ends_only_the_session_it_belongs_to(client, make, app):
    make.person("member", email="anna@example.org")
    phone = app.test_client()
    for browser in (client, phone):
        browser.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    client.post("/logout")
    assert phone.get("/").status_code == 200


def test_a_password_reset_ends_every_session(client, make, app, outbox):
    person = make.person("member", email="anna@example.org")
    other = app.test_client()
    other.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    client.post("/reset", data={"email": "anna@example.org"})
    link = re.search(r"https://portal\.example\.org(/reset/\S+)", outbox.to("anna@example.org")[0].get_content()).group(1)
    client.post(link, data={"password": "ein-ganz-neues-passwort", "confirm": "ein-ganz-neues-passwort"})
    assert other.get("/").status_code == 302
    assert _db.session.scalar(select(LoginSession.person_id).where(LoginSession.person_id == person.id))
    assert client.get("/").status_code == 200  # the one who reset is signed in, with a new session


# -- 4. the same work for known and unknown addresses --------------------------------------------

@pytest.mark.parametrize("email,password", [
    ("anna@example.org", "falsch-falsch"), ("niemand@example.org", "falsch-falsch"),
    ("inactive@example.org", PASSWORD), ("new@example.org", "irgendwas"),
])
def test_every_failed_login_checks_a_password_once(client, make, password_checks, email, password):
    make.person("member", email="anna@example.org")
    make.person("member", email="inactive@example.org", active=False)
    make.person("member", email="new@example.org", password=None)
    client.post("/login", data={"email": email, "password": password})
    assert len(password_checks) == 1


@pytest.mark.parametrize("email", ["anna@example.org", "niemand@example.org"])
def test_a_reset_request_writes_the_mail_for_known_and_unknown_addresses(client, make, monkeypatch, email):
    make.person("member", email="anna@example.org")
    written = []
    build = reset.message

    def spy(recipient, template, **context):
        written.append(template)
        return build(recipient, template, **context)

    monkeypatch.setattr(reset, "message", spy)
    assert client.post("/reset", data={"email": email}).status_code == 200
    assert written == ["auth_password_reset"]


# -- 5. HSTS and the secret key ------------------------------------------------------------------

def test_https_pages_tell_browsers_to_stay_on_https(client):
    # the test configuration's PORTAL_BASE_URL is https
    assert client.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_plain_http_sends_no_hsts_but_a_secure_request_does(tmp_path):
    app = create_app({"SECRET_KEY": LONG_SECRET, "PORTAL_BASE_URL": "http://127.0.0.1:5000",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db"})
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    secure = app.test_client().get("/login", base_url="https://allianz.example.org")
    assert "Strict-Transport-Security" in secure.headers


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.delenv("PORTAL_DEMO", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)


def test_a_short_secret_key_is_refused_at_start_up(production_env, monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "geheim")
    with pytest.raises(portal_config.ConfigError, match="SECRET_KEY is too short .6 characters; at least 32"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db"})


def test_a_missing_secret_key_is_refused_and_a_long_one_accepted(production_env, monkeypatch, tmp_path):
    with pytest.raises(portal_config.ConfigError, match="SECRET_KEY is not set"):
        portal_config.load(str(tmp_path), {})
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    assert portal_config.load(str(tmp_path), {})["SECRET_KEY"] == "x" * 32


def test_the_demo_makes_its_own_long_secret(production_env, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_DEMO", "1")
    assert len(portal_config.load(str(tmp_path), {})["SECRET_KEY"]) >= 32


# -- 6. NUL characters ---------------------------------------------------------------------------

def test_every_form_refuses_nul_characters():
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    loose = [f"{c.__module__}.{c.__name__}" for c in subclasses(FlaskForm)
             if c.__module__.startswith("portal.") and not issubclass(c, PortalForm)]
    assert loose == []


def test_login_with_a_nul_character_is_refused_at_the_field(client, make, password_checks):
    make.person("member", email="anna@example.org")
    response = client.post("/login", data={"email": "anna@example.org\x00", "password": PASSWORD})
    assert NUL_MESSAGE in response.text and client.get("/").status_code == 302
    assert password_checks == []


def test_profile_with_a_nul_character_is_refused_and_nothing_changes(client, make, login_as):
    person = login_as(make.person("member", name="Anna Kamp"))
    response = client.post("/profile", data={"name": "Anna\x00Kamp", "function": "Inhaberin",
                                             "phone": "", "locale": ""})
    assert response.status_code in (200, 422) and NUL_MESSAGE in response.text
    assert 'value="Inhaberin"' in response.text
    _db.session.expire_all()
    assert _db.session.get(Person, person.id).name == "Anna Kamp"


def test_a_new_group_with_a_nul_character_is_refused(client, make, login_as):
    login_as(make.person("office"))
    response = client.post("/groups/new", data={"name": "Handel\x00", "short_name": "Handel",
                                                "description": "x", "join_policy": "open"})
    assert NUL_MESSAGE in response.text
    assert _db.session.scalar(select(WorkingGroup).where(WorkingGroup.short_name == "Handel")) is None


def test_a_milestone_with_a_nul_character_is_refused_at_its_field(client, make, login_as):
    login_as(make.person("office"))
    response = client.post("/outcomes/new", data={
        "title": "Louise", "status": "running", "milestones-0-title": "Pilot\x00",
        "milestones-0-due_on": "2030-06-01"})
    assert response.status_code == 422 and NUL_MESSAGE in response.text


@pytest.mark.parametrize("path,query", [
    ("/members", {"q": "a\x00b"}), ("/actions", {"\x00": "1"}), ("/members/%00", None),
    ("/gruppe%00", None), ("/reports", {"start": "2026-01-01\x00"}),
])
def test_nul_characters_in_the_address_are_a_bad_request(client, make, login_as, path, query):
    login_as(make.person("office"))
    assert client.get(path, query_string=query).status_code in (400, 404)


# -- 7. no database ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "sqlite:///{tmp}/fehlt/ganz/portal.db",
    "postgresql+psycopg://portal:portal@127.0.0.1:1/portal?connect_timeout=2",
])
def test_without_a_database_pages_answer_503_in_the_portal_layout(tmp_path, url):
    app = create_app({"SECRET_KEY": LONG_SECRET, "SQLALCHEMY_DATABASE_URI": url.format(tmp=tmp_path)})
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1:abc:token"
    response = client.get("/members", headers={"X-Request-ID": "req-503"})
    assert response.status_code == 503
    assert 'lang="de"' in response.text and "Vorübergehend nicht erreichbar" in response.text
    assert "req-503" in response.text
    login_form = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert login_form.status_code in (400, 503)  # 400: without a CSRF token
    assert client.get("/healthz").status_code == 503
