"""The foundation: health check, login, CSRF, mail after commit, time storage, migrations, CLI."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from portal import create_app, mail
from portal.audit.models import AuditEvent
from portal.extensions import db as _db
from portal.members.models import Person
from portal.search.models import compared
from tests.factories import PASSWORD

LONG_SECRET = "a-secret-key-of-at-least-32-characters"


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_database_is_unreachable(tmp_path):
    broken = create_app({"TESTING": True, "SECRET_KEY": LONG_SECRET,
                         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_login_with_correct_password_opens_start_page(client, make):
    person = make.person("member", email="anna@example.org")
    response = client.post("/login", data={"email": "Anna@Example.org ", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert _db.session.get(Person, person.id).last_login_at is not None


@pytest.mark.parametrize("email,password", [
    ("anna@example.org", "falsch-falsch"),
    ("niemand@example.org", PASSWORD),
    ("inactive@example.org", PASSWORD),
])
def test_every_failed_login_gets_the_same_message(client, make, email, password):
    make.person("member", email="anna@example.org")
    make.person("member", email="inactive@example.org", active=False)
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 422
    assert "E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist nicht aktiv." in response.text
    assert f'value="{email}"' in response.text  # what was typed is kept


def test_login_without_invitation_accepted_is_refused(client, make):
    make.person("member", email="new@example.org", password=None)
    response = client.post("/login", data={"email": "new@example.org", "password": ""})
    assert "Bitte prüfen Sie Ihre Eingaben." in response.text


def test_login_does_not_redirect_to_other_hosts(client, make):
    make.person("member", email="anna@example.org")
    response = client.post("/login?next=//evil.example.com/x",
                           data={"email": "anna@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_remember_me_sets_a_httponly_cookie(client, make):
    make.person("member", email="anna@example.org")
    response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD,
                                           "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "SameSite=Lax" in remember[0]


def test_deactivated_account_loses_its_session(client, make, login_as):
    person = login_as(make.person("member"))
    person.active = False
    _db.session.flush()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_forms_require_a_csrf_token(app, db, make):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        make.person("member", email="anna@example.org")
        client = app.test_client()
        response = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
        assert response.status_code == 400
        assert "Ungültige Anfrage" in response.text
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_logout_ends_the_session(client, make, login_as):
    login_as(make.person("member"))
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_unknown_page_shows_the_portal_404(client, make, login_as):
    login_as(make.person("member"))
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text and 'lang="de"' in response.text


def test_server_error_shows_a_page_with_request_id_and_no_trace(tmp_path, caplog):
    app = create_app({"SECRET_KEY": LONG_SECRET, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db"})

    @app.route("/boom-for-test")
    def boom():
        raise RuntimeError("secret detail")

    response = app.test_client().get("/boom-for-test", headers={"X-Request-ID": "req-123"})
    assert response.status_code == 500
    assert "req-123" in response.text and "secret detail" not in response.text
    assert "req-123" in caplog.text


def test_english_is_chosen_from_the_browser_language(client, make, login_as):
    login_as(make.person("member"))
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert 'lang="en"' in response.text


def test_language_choice_is_kept_in_the_profile(client, make, login_as):
    person = login_as(make.person("member"))
    client.post("/language", data={"locale": "en", "next": "/"})
    assert _db.session.get(Person, person.id).locale == "en"
    assert 'lang="en"' in client.get("/").text


def test_mail_is_sent_only_after_commit(app, db, outbox):
    with app.test_request_context():
        mail.queue(mail.build("a@example.org", "rolled back", "text"))
        db.session.rollback()
        assert outbox.messages == []
        mail.queue(mail.build("a@example.org", "committed", "text"))
        db.session.commit()
    assert [m["Subject"] for m in outbox.messages] == ["committed"]


def test_times_are_stored_in_utc_and_come_back_aware(db, make):
    berlin = timezone(timedelta(hours=2))
    meeting = make.meeting(starts_at=datetime(2030, 7, 1, 18, 0, tzinfo=berlin))
    db.session.expire_all()
    assert meeting.starts_at == datetime(2030, 7, 1, 16, 0, tzinfo=timezone.utc)
    assert meeting.starts_at.tzinfo is not None


def test_naive_datetimes_are_refused(db, make):
    with pytest.raises(StatementError, match="naive datetime given"):
        make.meeting(starts_at=datetime(2030, 7, 1, 18, 0))
    db.session.rollback()


def test_migrations_match_the_models(app, db):
    # the test's own connection: SQLite lets a second one wait for the test's write lock
    context = MigrationContext.configure(db.session.connection(),
                                         opts={"compare_type": True, "include_object": compared})
    assert compare_metadata(context, _db.metadata) == []


def test_cli_creates_a_user_with_password_from_stdin(runner, db):
    result = runner.invoke(args=["users", "create", "Neu@Example.org", "--name", "Nina Neu",
                                 "--role", "office", "--password-stdin"],
                           input="ein-langes-passwort\n")
    assert result.exit_code == 0, result.output
    person = db.session.scalar(select(Person).where(Person.email == "neu@example.org"))
    assert person.role == "office" and person.has_password
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.entity_id == person.id))


@pytest.mark.parametrize("args,message", [
    (["dup@example.org", "--name", "X", "--role", "member"], "bereits vergeben"),
    (["ok@example.org", "--name", "X", "--role", "chef"], "Invalid value for '--role'"),
    (["kein-email", "--name", "X", "--role", "member"], "Ungültige E-Mail-Adresse"),
])
def test_cli_refuses_bad_input_with_a_clear_message(runner, make, args, message):
    make.person("member", email="dup@example.org")
    result = runner.invoke(args=["users", "create", *args, "--password-stdin"],
                           input="ein-langes-passwort\n")
    assert result.exit_code != 0
    assert message in result.output


def test_navigation_marks_exactly_the_current_section(client, make, login_as):
    login_as(make.person("member"))
    profile = client.get("/profile").text
    assert profile.count('aria-current="page"') == 1
    assert 'aria-current="page">Mein Profil' in profile
    member_list = client.get("/members").text
    assert 'aria-current="page">Mitglieder' in member_list and member_list.count('aria-current="page"') == 1


def test_navigation_shows_reports_only_to_office_and_observer(client, make, login_as):
    login_as(make.person("member"))
    assert 'href="/reports"' not in client.get("/").text
    login_as(make.person("observer"))
    assert 'href="/reports"' in client.get("/").text


def test_changing_the_password_ends_other_sessions(client, make, login_as):
    from portal.members.passwords import hash_password

    person = login_as(make.person("member"))
    assert client.get("/").status_code == 200
    person.password_hash = hash_password("ein-ganz-neues-passwort")
    _db.session.flush()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_does_not_redirect_through_backslashes(client, make):
    make.person("member", email="anna@example.org")
    response = client.post("/login?next=/\\evil.example.com",
                           data={"email": "anna@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/"


def test_an_observer_keeps_no_rights_from_an_old_moderator_membership(client, make, login_as):
    person = make.person("observer")
    make.group(moderator=person)
    login_as(person)
    assert client.get("/meetings/new").status_code == 403


def test_pages_forbid_framing_and_foreign_content(client):
    response = client.get("/login")
    assert response.headers["X-Frame-Options"] == "DENY"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy


def test_repeated_failed_logins_are_slowed_down(client, make):
    make.person("member", email="anna@example.org")
    for _ in range(10):
        client.post("/login", data={"email": "anna@example.org", "password": "geraten"})
    blocked = client.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in blocked.text
    assert 'value="anna@example.org"' in blocked.text


def test_reset_mails_are_limited_without_revealing_anything(client, make, outbox):
    make.person("member", email="anna@example.org")
    pages = [client.post("/reset", data={"email": "anna@example.org"}) for _ in range(7)]
    assert {page.status_code for page in pages} == {200}
    # the same page, but for the CSRF token, which carries the second it was signed in
    assert len({re.sub(r'name="csrf_token" value="[^"]*"', "", page.text) for page in pages}) == 1
    assert len(outbox.to("anna@example.org")) == 5


@pytest.mark.parametrize("path", [
    "/members/99999999999999999999999", "/meetings/99999999999999999999999",
    "/actions?page=99999999999999999999999", "/members?page=99999999999999999999999",
])
def test_numbers_too_large_for_the_database_are_not_found(client, db, make, login_as, path):
    login_as(make.person("office"))
    db.session.commit()  # the failed statement rolls the request back
    assert client.get(path).status_code in (200, 404)


def test_member_start_page_lists_meetings_they_are_invited_to_as_guests(client, make, login_as):
    person = login_as(make.person("member"))
    other_group = make.group(moderator=make.person("member"))
    meeting = make.meeting(other_group, title="Gastbesuch beim Handwerk")
    make.participation(meeting, person)
    assert "Gastbesuch beim Handwerk" in client.get("/").text


def test_behind_a_proxy_failed_logins_count_per_real_client(tmp_path):
    from flask_migrate import upgrade

    app = create_app({"SECRET_KEY": LONG_SECRET, "PROXY_COUNT": 1, "PASSWORD_HASHER": "argon2-fast",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/db", "WTF_CSRF_ENABLED": False})
    with app.app_context():
        upgrade()
    client = app.test_client()
    for n in range(10):
        client.post("/login", data={"email": f"x{n}@example.org", "password": "geraten"},
                    headers={"X-Forwarded-For": "203.0.113.7"})
    other = client.post("/login", data={"email": "y@example.org", "password": "geraten"},
                        headers={"X-Forwarded-For": "198.51.100.2"})
    same = client.post("/login", data={"email": "z@example.org", "password": "geraten"},
                       headers={"X-Forwarded-For": "203.0.113.7"})
    assert other.status_code == 422 and same.status_code == 429


@pytest.mark.parametrize("locale,expected", [
    ("de", "Donnerstag, 21. Januar 2027, 17:00"),
    ("en", "Thursday, January 21, 2027, 5:00\u202fPM"),
])
def test_dates_read_naturally_in_each_language_in_berlin_time(app, locale, expected):
    from flask_babel import force_locale

    from portal.formatting import format_moment

    with app.test_request_context(), force_locale(locale):
        assert format_moment(datetime(2027, 1, 21, 16, 0, tzinfo=timezone.utc), "weekday") == expected
