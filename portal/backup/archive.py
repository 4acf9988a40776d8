"""Backups the office can restore: the database, consistent while the portal runs, and the secret.

A backup is one tar.gz file:
- `manifest.json`: when, which database kind, the schema revision, the rows per table and the
  SHA-256 of the database file (checked before a restore);
- `database.sqlite` (SQLite's online backup API) or `database.pgdump` (`pg_dump -Fc`);
- `secret_key`: the SECRET_KEY the portal signs its links with. Invitation, password and
  unsubscribe links that are still pending only work with it, so it belongs in the backup —
  and the backup must be kept as safe as the secret itself (the file is written with mode 0600).

Archived minutes PDFs and uploaded files live in the database, so nothing else is needed.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import Engine, make_url

from portal.types import utcnow

FORMAT = 1
SQLITE_FILE = "database.sqlite"
POSTGRES_FILE = "database.pgdump"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Manifest:
    created_at: str
    dialect: str
    revision: str | None
    rows: dict[str, int]
    database_sha256: str
    format: int = FORMAT

    def to_json(self) -> bytes:
        return json.dumps(self.__dict__, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        fields = json.loads(data)
        if fields.get("format") != FORMAT:
            raise BackupError(f"Unbekanntes Sicherungsformat {fields.get('format')!r}.")
        return cls(**fields)


def default_name(now: datetime | None = None) -> str:
    return f"portal-backup-{(now or utcnow()):%Y%m%d-%H%M%S}.tar.gz"


def create(engine: Engine, secret_key: str, path: Path) -> tuple[Manifest, Path]:
    """Write a backup of the database behind `engine` to `path` (a directory: a new file in it).

    Returns the manifest and the file written."""
    target = path / default_name() if path.is_dir() else path
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / _file_name(engine)
        if engine.dialect.name == "sqlite":
            _sqlite_backup(engine, dump)
            copy = create_engine(f"sqlite:///{dump}")
            revision, rows = _revision(copy), row_counts(copy)
            copy.dispose()
        else:
            revision, rows = _revision(engine), row_counts(engine)  # read just before the dump
            _pg_dump(engine, dump)
        manifest = Manifest(created_at=utcnow().isoformat(), dialect=engine.dialect.name,
                            revision=revision, rows=rows, database_sha256=_sha256(dump))
        _write_archive(target, manifest, dump, secret_key)
    return manifest, target


def restore(engine: Engine, path: Path) -> tuple[Manifest, str]:
    """Restore the backup at `path` into the EMPTY database behind `engine`.

    Returns the manifest and the secret key stored in the backup."""
    _refuse_non_empty(engine)
    with tempfile.TemporaryDirectory() as work:
        manifest, dump, secret = _read_archive(path, Path(work))
        if manifest.dialect != engine.dialect.name:
            raise BackupError(
                f"Die Sicherung stammt aus {manifest.dialect}, die Zieldatenbank ist {engine.dialect.name}. "
                "Stellen Sie sie in eine Datenbank derselben Art wieder her.")
        if engine.dialect.name == "sqlite":
            _sqlite_restore(engine, dump)
        else:
            _pg_restore(engine, dump)
    engine.dispose()
    return manifest, secret


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        return {name: conn.scalar(select(func.count()).select_from(table(name))) for name in names}


def _file_name(engine: Engine) -> str:
    return SQLITE_FILE if engine.dialect.name == "sqlite" else POSTGRES_FILE


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        return conn.scalar(text("SELECT version_num FROM alembic_version"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_archive(target: Path, manifest: Manifest, dump: Path, secret_key: str) -> None:
    """Written beside the target and renamed, so a half-written backup never has the final name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        _add_bytes(archive, "manifest.json", manifest.to_json())
        archive.add(dump, arcname=dump.name)
        _add_bytes(archive, "secret_key", secret_key.encode())
    partial.replace(target)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def _read_archive(path: Path, work: Path) -> tuple[Manifest, Path, str]:
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            manifest = Manifest.from_json(_member(archive, "manifest.json"))
            name = SQLITE_FILE if manifest.dialect == "sqlite" else POSTGRES_FILE
            dump = work / name
            dump.write_bytes(_member(archive, name))
            secret = _member(archive, "secret_key").decode()
    except (OSError, EOFError, zlib.error, tarfile.TarError, json.JSONDecodeError, TypeError) as error:
        raise BackupError(f"{path} ist keine lesbare Sicherung des Portals: {error}") from error
    if _sha256(dump) != manifest.database_sha256:
        raise BackupError(f"{path} ist beschädigt: die Prüfsumme der Datenbank stimmt nicht.")
    return manifest, dump, secret


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        file = archive.extractfile(name)
    except KeyError as error:
        raise BackupError(f"In der Sicherung fehlt {name}.") from error
    return file.read()


def _refuse_non_empty(engine: Engine) -> None:
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
    if tables:
        raise BackupError(
            f"Die Zieldatenbank ist nicht leer ({len(tables)} Tabellen). Eine Sicherung wird nur in eine "
            "leere Datenbank wiederhergestellt; legen Sie eine neue an und setzen Sie DATABASE_URL darauf.")


def _sqlite_backup(engine: Engine, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while other connections read and write."""
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            raw.driver_connection.backup(destination)
        finally:
            destination.close()
    finally:
        raw.close()


def _sqlite_restore(engine: Engine, source: Path) -> None:
    origin = sqlite3.connect(source)
    raw = engine.raw_connection()
    try:
        origin.backup(raw.driver_connection)
    finally:
        raw.close()
        origin.close()


def _pg_command(name: str) -> str:
    program = shutil.which(name)
    if program is None:
        raise BackupError(
            f"{name} wurde nicht gefunden. Installieren Sie die PostgreSQL-Client-Programme in der Version "
            "des Servers (Debian: apt install postgresql-client) und versuchen Sie es erneut.")
    return program


def _pg_arguments(engine: Engine) -> tuple[list[str], dict[str, str]]:
    url = make_url(engine.url)
    arguments = ["--no-owner", "--no-privileges", f"--dbname={url.database}"]
    if url.host:
        arguments.append(f"--host={url.host}")
    if url.port:
        arguments.append(f"--port={url.port}")
    if url.username:
        arguments.append(f"--username={url.username}")
    env = dict(os.environ, PGPASSWORD=url.password or "", PGCONNECT_TIMEOUT="10")
    return arguments, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} ist fehlgeschlagen: {result.stderr.strip()}")


def _pg_dump(engine: Engine, target: Path) -> None:
    arguments, env = _pg_arguments(engine)
    _run([_pg_command("pg_dump"), "--format=custom", f"--file={target}", *arguments], env)


def _pg_restore(engine: Engine, source: Path) -> None:
    arguments, env = _pg_arguments(engine)
    _run([_pg_command("pg_restore"), "--exit-on-error", "--single-transaction", *arguments, str(source)], env)
