"""How the portal talks to its database engine, beyond what a URL can say.

SQLite is the embedded default for one office: the gunicorn workers and their threads share one
file. Three settings make that safe:

- WAL journal: readers keep reading while one writer writes.
- A busy timeout: a writer that finds the write lock taken waits its turn instead of failing
  with "database is locked".
- A transaction that may write takes the write lock when it begins (BEGIN IMMEDIATE). One that
  began by reading and wants to write later fails at once if another writer committed meanwhile
  (WAL's snapshot rule; no timeout helps), and would lose the user's change. So a request that
  changes something (POST, PUT, PATCH, DELETE) and all work outside a request (CLI, workers)
  begin IMMEDIATE; GET requests begin deferred and never hold up a writer.

PostgreSQL needs none of this: it locks rows, not the database.
"""
from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from typing import Iterator

from flask import g, has_request_context, request
from sqlalchemy import String, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.errors import RuleError
from portal.extensions import db

BUSY_TIMEOUT_MS = 15_000
RETRY_SECONDS = 0.002
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@event.listens_for(Engine, "connect")
def _sqlite_settings(dbapi_connection, _record) -> None:
    """Foreign keys enforced, WAL, a busy timeout; and SQLAlchemy (not the driver) opens
    transactions, so that savepoints work and `_sqlite_begin` chooses how."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # kept in the file; in-memory databases ignore it
    cursor.execute("PRAGMA secure_delete=ON")  # deleted values are overwritten (erasure, Art. 17)
    cursor.close()
    dbapi_connection.create_function("portal_fold", 1, _fold, deterministic=True)


def _fold(value):
    return value.lower() if isinstance(value, str) else value


class folded(FunctionElement):  # noqa: N801 (used like func.lower)
    """lower() of every letter, for searching by what was typed: SQLite's own lower() folds only
    ASCII, so "öko" would not find "Ökoprofit" there (PostgreSQL's folds them all)."""

    type = String()
    inherit_cache = True


def contains_folded(column, typed: str):
    """The column holds what was typed, case aside (every letter), no wildcards."""
    return folded(column).contains(typed.lower(), autoescape=True)


@compiles(folded)
def _folded_lower(element, compiler, **kw) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "sqlite")
def _folded_sqlite(element, compiler, **kw) -> str:
    return f"portal_fold({compiler.process(element.clauses, **kw)})"


def _may_write() -> bool:
    return (not has_request_context() or request.method not in READING_METHODS
            or g.get("portal_writing", False))


@contextmanager
def writing() -> Iterator[None]:
    """The transactions begun inside take the write lock first (SQLite), in a GET too: for the few
    reading requests that keep something (a rendered PDF, a check-in by link). A deferred
    transaction that has read and then writes fails at once if another writer committed
    meanwhile; no busy timeout helps it."""
    before = g.get("portal_writing", False)
    g.portal_writing = True
    try:
        yield
    finally:
        g.portal_writing = before


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    if _may_write():
        _begin_immediate(conn.connection.driver_connection)
    else:
        conn.exec_driver_sql("BEGIN")


def _begin_immediate(dbapi_connection: sqlite3.Connection) -> None:
    """BEGIN IMMEDIATE, asking again every few milliseconds while another writer holds the lock.

    SQLite's own busy handler sleeps longer and longer (up to 100 ms) between its tries, so
    with several writers waiting one of them may miss its turn again and again (a p95 of a second
    with 8 writers); short, even tries keep the wait near the time the writers ahead need."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_connection.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(RETRY_SECONDS)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


@contextmanager
def refused_if_taken(error: RuleError) -> Iterator[None]:
    """Write what the block added or changed now, and answer `error` (the user's message) if a
    unique constraint refuses it: a parallel request took the name or number between the
    check and the write. The rest of the transaction stays usable."""
    try:
        with db.session.begin_nested():
            yield
            db.session.flush()
    except IntegrityError as exc:
        raise error from exc



def fresh_schema(url: str, schema: str) -> str:
    """`url` (PostgreSQL) with its connections in `schema`, dropped and made anew now: for a live
    server of the tests or a benchmark, kept apart from the schema the tests empty and fill."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
