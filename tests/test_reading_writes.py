"""A reading request that keeps something (a rendered PDF, a check-in by link) on SQLite: its
transaction began deferred, and a write after reading fails at once when another writer committed
in between (WAL's snapshot rule; no busy timeout helps). It answered 503 while the job worker or
another server worker wrote. `store()` lets go of what it read and writes under the write lock."""
from __future__ import annotations

import os
import sqlite3

import pytest
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from portal import create_app
from portal.extensions import db
from portal.members.models import Organization
from portal.responses import store

pytestmark = pytest.mark.skipif(os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                                reason="SQLite's locking (PostgreSQL locks rows)")


@pytest.fixture
def file_app(tmp_path):
    path = tmp_path / "portal.db"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-of-at-least-32-characters",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "MAIL_SERVER": "",
                      "MAIL_OUTBOX": str(tmp_path / "outbox")})
    with app.app_context():
        upgrade()
        db.session.add(Organization(name="Erste GmbH", sector="Handel"))
        db.session.commit()
    yield app, path
    with app.app_context():
        db.engine.dispose()


def _someone_else_writes(path, name: str) -> None:
    other = sqlite3.connect(path)
    other.execute("INSERT INTO organizations (name, sector, address, website, created_at) "
                  "VALUES (?, 'Handel', '', '', '2026-12-05 00:00:00')", (name,))
    other.commit()
    other.close()


def test_a_get_that_read_and_then_writes_fails_without_store(file_app):
    app, path = file_app
    with app.test_request_context("/reports/progress.pdf", method="GET"):
        db.session.scalars(select(Organization)).all()  # the page reads (a deferred transaction)
        _someone_else_writes(path, "Zweite GmbH")
        db.session.add(Organization(name="Dritte GmbH", sector="Handel"))
        with pytest.raises(OperationalError, match="locked"):
            db.session.commit()
        db.session.rollback()


def test_store_in_a_get_writes_although_another_writer_committed_meanwhile(file_app):
    app, path = file_app
    with app.test_request_context("/reports/progress.pdf", method="GET"):
        db.session.scalars(select(Organization)).all()
        _someone_else_writes(path, "Zweite GmbH")
        answer = store(lambda: db.session.add(Organization(name="Dritte GmbH", sector="Handel")),
                       lambda _: "kept")
        assert answer == "kept"
        names = set(db.session.scalars(select(Organization.name)))
    assert names == {"Erste GmbH", "Zweite GmbH", "Dritte GmbH"}
