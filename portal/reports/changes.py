"""The version of the data reports show, cheap at any size: every transaction that changes such data
adds one row to `data_changes` (session events, so no area has to remember it); the version is the
newest id and the number of rows in a window below it.

Why the count: on PostgreSQL ids are handed out when a transaction first writes, not when it
commits, so a transaction holding a lower id may commit after one with a higher id; the newest id
stays the same then, but the count of the window grows. Old rows are deleted (`forget_old`) only
far below the window, which changes no version.

Tables that only keep bookkeeping (sessions, jobs, stored documents, the dashboard cache itself,
audit, search index...) do not count; neither do the columns of a person that reports never show
and that change on every sign-in.
"""
from __future__ import annotations

from sqlalchemy import delete, event, func, insert, inspect, select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.reports.dashboard_models import DashboardEntry, DataChange
from portal.types import utcnow

WINDOW = 1000  # ids below the newest whose rows are counted; rows further below are forgotten

IGNORED_TABLES = frozenset({
    DataChange.__tablename__, DashboardEntry.__tablename__, "stored_documents", "jobs", "login_sessions",
    "auth_attempts", "audit_events", "search_documents", "data_exports", "notice_acceptances",
    "reminder_deliveries", "site_settings", "material_blobs",
})
IGNORED_COLUMNS = {"people": frozenset({"last_login_at", "password_hash", "invitation_nonce", "calendar_token",
                                        "privacy_accepted_at", "locale"})}

_LOGGED = "data_change_logged_in"  # session.info: the (sub)transaction that already added its row


def version() -> str:
    """The data version: one query on a small table."""
    return version_of(*db.session.execute(select(*version_columns())).one())


def version_columns() -> tuple:
    """The newest id and the count of the window below it, as columns to select (alone, or beside
    what a query reads anyway); `version_of` makes the version of their values."""
    newest = select(func.max(DataChange.id)).scalar_subquery()
    near = select(func.count()).select_from(DataChange).where(DataChange.id > newest - WINDOW).scalar_subquery()
    return newest, near


def version_of(newest_id: int | None, count: int) -> str:
    return f"{newest_id or 0}.{count}"


def forget_old() -> None:
    """Delete the rows far below the window (they take part in no version)."""
    newest = db.session.scalar(select(func.max(DataChange.id)))
    if newest is not None:
        db.session.execute(delete(DataChange).where(DataChange.id <= newest - 2 * WINDOW))


def _counts(table: str, state=None) -> bool:
    if table in IGNORED_TABLES:
        return False
    ignored = IGNORED_COLUMNS.get(table)
    if state is None or ignored is None:
        return True
    return any(attr.history.has_changes() for attr in state.attrs
               if attr.key not in ignored and attr.key in state.mapper.column_attrs)


def _table_of(mapper) -> str:
    return mapper.persist_selectable.name if mapper is not None else ""


def _log(session: Session) -> None:
    """One row for the innermost transaction, unless it has one (a savepoint rolled back takes its
    row with it, and the transaction around it logs again)."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    if session.info.get(_LOGGED) is transaction:
        return
    session.connection().execute(insert(DataChange).values(created_at=utcnow()))
    session.info[_LOGGED] = transaction


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    for obj in (*session.new, *session.deleted):
        if _counts(_table_of(inspect(obj).mapper)):
            return _log(session)
    for obj in session.dirty:
        state = inspect(obj)
        if session.is_modified(obj, include_collections=False) and _counts(_table_of(state.mapper), state):
            return _log(session)
    return None


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(execute_state) -> None:
    """insert(Model), update(Model), delete(Model) run through the session change rows without a flush."""
    if not (execute_state.is_insert or execute_state.is_update or execute_state.is_delete):
        return
    table = getattr(execute_state.statement, "table", None)
    if table is not None and _counts(table.name):
        _log(execute_state.session)
