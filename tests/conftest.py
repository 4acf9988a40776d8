"""Test fixtures: one real database per test session, one rolled-back transaction per test.

TEST_DATABASE_URL selects the database (PostgreSQL in CI); without it a fresh SQLite file
is used. The schema is built by the migrations, so every run also tests them. With pytest-xdist
(`-n 2`) each worker has a database of its own: on PostgreSQL `<name>_gw0`, `<name>_gw1`, made
beside TEST_DATABASE_URL's database when missing (the role needs CREATEDB).
"""
from __future__ import annotations

import os
from contextlib import contextmanager

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from sqlalchemy import create_engine, event, make_url, text

from portal import create_app, kept_pages
from portal.auth import sessions
from portal.extensions import db as _db
from tests import factories


def _database_per_worker() -> None:
    """Point TEST_DATABASE_URL, which tests and benchmarks read, at this xdist worker's database."""
    url, worker = os.environ.get("TEST_DATABASE_URL", ""), os.environ.get("PYTEST_XDIST_WORKER")
    if not (url.startswith("postgresql") and worker):
        return
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    os.environ["TEST_DATABASE_URL"] = base.set(database=name).render_as_string(hide_password=False)


_database_per_worker()


def _reset_database(url: str) -> None:
    """Empty a PostgreSQL test database, so that the migrations start from nothing."""
    if url.startswith("postgresql"):
        with _db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("portal")
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret-of-at-least-32-characters",
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASHER": "argon2-fast",
        "MAIL_SERVER": "",
        "MAIL_OUTBOX": str(tmp / "outbox"),
        "PRIVACY_ERASURE_LEDGER": str(tmp / "erasures.txt"),
        "PORTAL_BASE_URL": "https://portal.example.org",
        "SERVER_NAME": None,
    })
    with app.app_context():
        _reset_database(url)
        upgrade()
    return app


class ConnectionBoundSession(Session):
    """Flask-SQLAlchemy's session would pick the engine; the test's connection must win."""

    def get_bind(self, *args, **kwargs):
        return self.bind


@pytest.fixture
def db(app):
    """The database, with everything a test writes rolled back afterwards.

    Views and logic commit as usual; their commits end savepoints inside one outer
    transaction that is rolled back when the test ends.
    """
    with rolled_back(app):
        yield _db


@contextmanager
def rolled_back(app):
    """The database inside one outer transaction that is rolled back at the end (the `db`
    fixture; also for module-scoped fixtures that build their data once)."""
    with app.app_context():
        connection = _db.engine.connect()
        outer = connection.begin()
        original = _db.session
        _db.session = _db._make_scoped_session(
            {"class_": ConnectionBoundSession, "bind": connection,
             "join_transaction_mode": "create_savepoint"}
        )
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.session = original
            outer.rollback()
            connection.close()


class PortalClient(FlaskClient):
    """A test client whose every request starts with a fresh `g`, as in production.

    Requests reuse the test's app context, so without this the signed-in user and the
    per-request caches would carry over from one request to the next."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def client(app, db):
    app.test_client_class = PortalClient
    return app.test_client()


@pytest.fixture
def login_as(client):
    """Sign a person in for the test client, without the cost of the password hash."""
    def login(person):
        sessions.start(person)
        _db.session.commit()  # the session row outlives a request that rolls back
        with client.session_transaction() as session:
            session["_user_id"] = person.get_id()
            session["_fresh"] = True
        return person
    return login


@pytest.fixture
def make(db):
    return factories.Factory(db.session)


@pytest.fixture
def outbox(app):
    """The mails written by this test, read from the outbox folder."""
    from tests.mails import Outbox

    box = Outbox(app.config["MAIL_OUTBOX"])
    box.clear()
    return box


@pytest.fixture
def count_queries(app, db):
    """with count_queries() as counter: ...; counter.count is the number of SQL statements.

    Pages are rendered every time while a test counts (none kept: tests/test_kept_pages.py counts
    what a kept page costs)."""
    @contextmanager
    def counting():
        counter = QueryCounter()
        engine = _db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    kept = app.extensions.pop(kept_pages.EXTENSION, None)
    yield counting
    if kept is not None:
        app.extensions[kept_pages.EXTENSION] = kept


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()
