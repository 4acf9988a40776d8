"""Logs of the transactions that changed data, whose newest rows are a data version cheap at any
size: every transaction that changes a table a log counts adds one row to it (session events, so no
area has to remember it); the version is the newest id and the number of rows in a window below it.

Why the count: on PostgreSQL ids are handed out when a transaction first writes, not when it
commits, so a transaction holding a lower id may commit after one with a higher id; the newest id
stays the same then, but the count of the window grows. Old rows are deleted (`forget_old`) only
far below the window, which changes no version.

Two logs use this: the reports' (portal.reports.changes) and the kept pages' (portal.kept_pages).
"""
from __future__ import annotations

import functools
from typing import Callable

from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.types import utcnow

WINDOW = 1000  # ids below the newest whose rows are counted; rows further below are forgotten


class ChangeLog:
    """One log: its model (a table of id and created_at) and which changes it counts:
    `counts(table, state)` with the object's state for a flushed object, None for a statement.
    No log counts the rows of the logs themselves."""

    def __init__(self, model, counts: Callable[[str, object], bool]):
        self.model = model
        self.counts = counts
        self._logged = f"{model.__tablename__}_logged_in"  # session.info: the transaction that has its row
        LOGS.append(self)

    def version(self) -> str:
        """The data version: one query on a small table."""
        return version_of(*db.session.execute(self._version_statement).one())

    @functools.cached_property
    def _version_statement(self):
        """Built once: it runs on every kept page's request, and building costs more than running."""
        return select(*self.version_columns())

    def version_columns(self) -> tuple:
        """The newest id and the count of the window below it, as columns to select (alone, or
        beside what a query reads anyway); `version_of` makes the version of their values."""
        newest = select(func.max(self.model.id)).scalar_subquery()
        near = (select(func.count()).select_from(self.model).where(self.model.id > newest - WINDOW)
                .scalar_subquery())
        return newest, near

    def forget_old(self) -> None:
        """Delete the rows far below the window (they take part in no version)."""
        newest = db.session.scalar(select(func.max(self.model.id)))
        if newest is not None:
            db.session.execute(delete(self.model).where(self.model.id <= newest - 2 * WINDOW))

    def log(self, session: Session) -> None:
        """One row for the innermost transaction, unless it has one (a savepoint rolled back takes
        its row with it, and the transaction around it logs again)."""
        transaction = session.get_nested_transaction() or session.get_transaction()
        if session.info.get(self._logged) is transaction:
            return
        session.connection().execute(insert(self.model).values(created_at=utcnow()))
        session.info[self._logged] = transaction

    def counted(self, table: str, state=None) -> bool:
        return table not in _log_tables() and self.counts(table, state)

    def flushed(self, session: Session) -> None:
        for obj in (*session.new, *session.deleted):
            if self.counted(_table_of(inspect(obj).mapper)):
                return self.log(session)
        for obj in session.dirty:
            state = inspect(obj)
            if session.is_modified(obj, include_collections=False) and self.counted(_table_of(state.mapper), state):
                return self.log(session)
        return None


LOGS: list[ChangeLog] = []


def version_of(newest_id: int | None, count: int) -> str:
    return f"{newest_id or 0}.{count}"


def _log_tables() -> set[str]:
    return {change_log.model.__tablename__ for change_log in LOGS}


def _table_of(mapper) -> str:
    return mapper.persist_selectable.name if mapper is not None else ""


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    for change_log in LOGS:
        change_log.flushed(session)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(execute_state) -> None:
    """insert(Model), update(Model), delete(Model) run through the session change rows without a flush."""
    if not (execute_state.is_insert or execute_state.is_update or execute_state.is_delete):
        return
    table = getattr(execute_state.statement, "table", None)
    if table is None:
        return
    for change_log in LOGS:
        if change_log.counted(table.name):
            change_log.log(execute_state.session)
