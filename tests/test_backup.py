"""`backup create` → `backup restore` round-trips on the suite's database kind, archived PDFs unchanged.

These tests use databases of their own (not the rolled-back test transaction): on SQLite two files,
with TEST_DATABASE_URL (PostgreSQL) two throwaway databases beside it, so the role needs CREATEDB.
"""
from __future__ import annotations

import hashlib
import os
import tarfile
from datetime import date

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.backup import archive
from portal.documents import minutes_pdf
from portal.extensions import db
from portal.members.models import Person
from portal.minutes.models import MinutesDocument
from portal.privacy.models import ErasureRecord
from tests.factories import Factory, utc

SECRET = "backup-test-secret-of-at-least-32-characters"


@pytest.fixture
def databases(tmp_path):
    """Two empty databases of the suite's kind: the portal's and the one to restore into."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'source.db'}", f"sqlite:///{tmp_path / 'restored.db'}"
        return
    url = make_url(base)
    names = [f"{url.database}_backup_source", f"{url.database}_backup_restored"]
    admin = create_engine(url, isolation_level="AUTOCOMMIT")

    def drop_all():
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    drop_all()
    with admin.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield tuple(url.set(database=name).render_as_string(hide_password=False) for name in names)
    drop_all()
    admin.dispose()


@pytest.fixture
def fast_pdf(monkeypatch):
    """Only the round trip needs real PDFs."""
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, title, lang: b"%PDF-1.7 test")


def _app(url, tmp_path, secret=SECRET):
    return create_app({
        "TESTING": True, "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASHER": "argon2-fast", "MAIL_SERVER": "", "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "PRIVACY_ERASURE_LEDGER": str(tmp_path / "erasures.txt"),
        "PORTAL_BASE_URL": "https://portal.example.org",
    })


def _alliance_with_published_minutes(app) -> dict[int, str]:
    """A published meeting with two archived PDF versions; returns their SHA-256 by id."""
    with app.app_context():
        upgrade()
        make = Factory(db.session)
        office = make.person("office", name="Olga Office", email="olga@example.org")
        group = make.group(moderator=office, name="Handel der Zukunft")
        meeting = make.meeting(group, title="Stadtlogistik Louise", number=7, starts_at=utc(2030, 3, 10, 16),
                               status="held", minutes_status="published", minute_taker=office)
        item = make.agenda_item(meeting, title="Lastenräder", minutes_text="Bericht über **Lastenräder**.")
        make.decision(meeting, agenda_item=item, text="Die Gruppe beschließt die Erprobung.")
        make.action_item(office, group, meeting=meeting, title="Angebote einholen", due_on=date(2030, 4, 15))
        meeting.approved_at, meeting.approved_by = utc(2030, 3, 20, 9), office
        meeting.published_at, meeting.published_by = utc(2030, 3, 21, 9), office
        minutes_pdf.archive_minutes(meeting)
        minutes_pdf.archive_minutes(meeting)
        make.material(meeting, data=b"%PDF-1.4\n%Folien\n" + bytes(range(256)), title="Folien")
        db.session.commit()
        return {doc.id: doc.sha256 for doc in db.session.scalars(select(MinutesDocument))}


def test_backup_round_trips_with_archived_pdfs_unchanged(databases, tmp_path):
    source_url, target_url = databases
    source = _app(source_url, tmp_path)
    archived = _alliance_with_published_minutes(source)
    path = tmp_path / "sicherung.tar.gz"

    created = source.test_cli_runner().invoke(args=["backup", "create", str(path)])
    assert created.exit_code == 0, created.output
    assert "Sicherung geschrieben" in created.output and "SECRET_KEY" in created.output
    assert path.stat().st_mode & 0o077 == 0  # it holds the secret
    with tarfile.open(path) as backup:
        assert backup.extractfile("secret_key").read().decode() == SECRET

    target = _app(target_url, tmp_path)
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert "Wiederhergestellt" in restored.output and "anderen SECRET_KEY" not in restored.output
    with target.app_context():
        documents = db.session.scalars(select(MinutesDocument)).all()
        assert {doc.id: hashlib.sha256(doc.pdf).hexdigest() for doc in documents} == archived
        assert {doc.id: doc.sha256 for doc in documents} == archived
        assert db.session.scalar(select(Person.email)) == "olga@example.org"
        db.session.rollback()
        assert archive.row_counts(db.engine) == archive.row_counts(_engine_of(source))
        restored_blobs = _blob_digests(db.engine)
    assert restored_blobs == _blob_digests(_engine_of(source))
    assert {"minutes_documents", "material_blobs"} <= {table for table, _, _ in restored_blobs}


def _blob_digests(engine) -> set[tuple[str, int, str]]:
    """(table, id, SHA-256) of every binary value: archived PDFs, uploaded files, kept documents."""
    digests = set()
    with engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            for column in table.columns:
                if column.type.__class__.__name__ == "LargeBinary":
                    key = list(table.primary_key.columns)[0]
                    for row_id, value in conn.execute(select(key, column).where(column.is_not(None))):
                        digests.add((table.name, row_id, hashlib.sha256(bytes(value)).hexdigest()))
    return digests


def _engine_of(app):
    with app.app_context():
        return db.engine


def test_restore_refuses_a_database_that_is_not_empty(databases, tmp_path, fast_pdf):
    source_url, _ = databases
    source = _app(source_url, tmp_path)
    _alliance_with_published_minutes(source)
    path = tmp_path / "sicherung.tar.gz"
    source.test_cli_runner().invoke(args=["backup", "create", str(path)])

    again = source.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert again.exit_code != 0
    assert "Die Zieldatenbank ist nicht leer" in again.output
    with source.app_context():
        assert db.session.scalar(select(Person.email)) == "olga@example.org"


def test_a_damaged_backup_is_refused_before_anything_is_written(databases, tmp_path, fast_pdf):
    source_url, target_url = databases
    source = _app(source_url, tmp_path)
    _alliance_with_published_minutes(source)
    path = tmp_path / "sicherung.tar.gz"
    source.test_cli_runner().invoke(args=["backup", "create", str(path)])
    damaged = tmp_path / "beschaedigt.tar.gz"
    damaged.write_bytes(path.read_bytes()[: path.stat().st_size // 2])

    target = _app(target_url, tmp_path)
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(damaged)])
    assert result.exit_code != 0 and "keine lesbare Sicherung" in result.output
    with target.app_context():
        assert archive.row_counts(db.engine) == {}


def test_restore_with_another_secret_says_how_to_set_the_saved_one(databases, tmp_path, fast_pdf):
    source_url, target_url = databases
    source = _app(source_url, tmp_path)
    _alliance_with_published_minutes(source)
    path = tmp_path / "sicherung.tar.gz"
    source.test_cli_runner().invoke(args=["backup", "create", str(path)])

    target = _app(target_url, tmp_path, secret="another-secret-of-at-least-32-characters")
    result = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert result.exit_code == 0, result.output
    assert "anderen SECRET_KEY" in result.output and f"tar -xzOf {path} secret_key" in result.output
    assert SECRET not in result.output


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="pg_dump is only needed for PostgreSQL")
def test_missing_pg_dump_is_named_with_what_to_install(databases, tmp_path, monkeypatch):
    source = _app(databases[0], tmp_path)
    with source.app_context():
        upgrade()
    monkeypatch.setenv("PATH", str(tmp_path))
    result = source.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "x.tar.gz")])
    assert result.exit_code != 0
    assert "pg_dump wurde nicht gefunden" in result.output and "postgresql-client" in result.output
    assert not (tmp_path / "x.tar.gz").exists()


def test_a_person_erased_after_the_backup_is_erased_again_by_the_restore(databases, tmp_path, fast_pdf):
    from portal.privacy import erasure, ledger

    source_url, target_url = databases
    source = _app(source_url, tmp_path)
    _alliance_with_published_minutes(source)
    with source.app_context():
        erika = Factory(db.session).person("member", name="Erika Muster", email="erika@example.org")
        db.session.commit()
        erika_id = erika.id
    path = tmp_path / "sicherung.tar.gz"
    source.test_cli_runner().invoke(args=["backup", "create", str(path)])
    with source.app_context():
        office = db.session.scalar(select(Person).where(Person.email == "olga@example.org"))
        erased = erasure.erase(office, db.session.get(Person, erika_id))
        db.session.commit()
        ledger.remember(erased.installation, erika_id)

    target = _app(target_url, tmp_path)
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert f"erneut gelöscht: {erika_id}" in restored.output
    with target.app_context():
        person = db.session.get(Person, erika_id)
        assert person.name == erasure.pseudonym(erika_id) and "erika@example.org" not in person.email


def test_a_backup_restored_by_hand_is_erased_again_when_the_portal_starts(databases, tmp_path, fast_pdf):
    """Restored without `backup restore` (SQLite's backup API or pg_restore by hand): the ledger
    beside the database makes the portal's start erase the person again, and only once."""
    from portal.privacy import erasure, ledger

    source_url, target_url = databases
    source = _app(source_url, tmp_path)
    _alliance_with_published_minutes(source)
    with source.app_context():
        erika = Factory(db.session).person("member", name="Erika Muster", email="erika@example.org",
                                           phone="02041 123987")
        db.session.commit()
        erika_id = erika.id
    path = tmp_path / "sicherung.tar.gz"
    assert source.test_cli_runner().invoke(args=["backup", "create", str(path)]).exit_code == 0
    with source.app_context():
        office = db.session.scalar(select(Person).where(Person.email == "olga@example.org"))
        erased = erasure.erase(office, db.session.get(Person, erika_id))
        db.session.commit()
        ledger.remember(erased.installation, erika_id)

    with _app(target_url, tmp_path).app_context():  # empty: the start leaves it alone
        archive.restore(db.engine, path)
    with _app(target_url, tmp_path).app_context():  # the portal starts on the restored database
        person = db.session.get(Person, erika_id)
        assert person.name == erasure.pseudonym(erika_id)
        assert (person.email, person.phone) == (erasure.erased_email(erika_id), "")
        assert db.session.scalar(select(db.func.count()).select_from(ErasureRecord)) == 1
        db.session.remove()
    with _app(target_url, tmp_path).app_context():  # and the next start finds nothing to do
        assert erasure.reapply_remembered(_app(target_url, tmp_path)) == []


def _erased_in_one_database_and_the_same_id_in_another(databases, tmp_path) -> int:
    """Erika erased in the first database (and remembered in the ledger); Karl, with her id, in the
    second, a new database beside the same ledger (a demo set up anew, a second portal)."""
    from portal.privacy import erasure, ledger

    old_url, new_url = databases
    with _app(old_url, tmp_path).app_context():
        upgrade()
        make = Factory(db.session)
        office = make.person("office", name="Olga Office", email="olga@example.org")
        erika = make.person("member", name="Erika Muster", email="erika@example.org")
        db.session.commit()
        erased = erasure.erase(office, erika)
        db.session.commit()
        ledger.remember(erased.installation, erika.id)
        erika_id = erika.id
    with _app(new_url, tmp_path).app_context():
        upgrade()
        make = Factory(db.session)
        make.person("office", name="Otto Office", email="otto@example.org")
        karl = make.person("member", name="Karl Neu", email="karl@example.org")
        db.session.commit()
        assert karl.id == erika_id
    return erika_id


def test_a_portal_started_on_a_new_database_erases_nobody_of_the_old_ones_ledger(databases, tmp_path):
    """The ledger's lines name the database they came from: Karl is no erased person."""
    from portal.privacy import erasure

    karl_id = _erased_in_one_database_and_the_same_id_in_another(databases, tmp_path)
    assert erasure.reapply_remembered(_app(databases[1], tmp_path)) == []
    with _app(databases[1], tmp_path).app_context():
        assert db.session.get(Person, karl_id).name == "Karl Neu"


def test_restoring_another_databases_backup_beside_the_ledger_erases_nobody(databases, tmp_path):
    karl_id = _erased_in_one_database_and_the_same_id_in_another(databases, tmp_path)
    new = _app(databases[1], tmp_path)
    path = tmp_path / "neu.tar.gz"
    assert new.test_cli_runner().invoke(args=["backup", "create", str(path)]).exit_code == 0
    with new.app_context():  # the database emptied, to restore into
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            db.engine.dispose()
            (tmp_path / "restored.db").unlink()
        else:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
    restored = _app(databases[1], tmp_path).test_cli_runner().invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert "erneut gelöscht" not in restored.output
    with _app(databases[1], tmp_path).app_context():
        assert db.session.get(Person, karl_id).name == "Karl Neu"
