"""The version of the data reports show, cheap at any size (portal.change_log): every transaction
that changes such data adds one row to `data_changes`.

Tables that only keep bookkeeping (sessions, jobs, stored documents, the dashboard cache itself,
audit, search index...) do not count; neither do the columns of a person that reports never show
and that change on every sign-in.
"""
from __future__ import annotations

from portal.change_log import ChangeLog
from portal.reports.dashboard_models import DashboardEntry, DataChange

IGNORED_TABLES = frozenset({
    DashboardEntry.__tablename__, "stored_documents", "jobs", "login_sessions", "auth_attempts", "audit_events",
    "search_documents", "data_exports", "notice_acceptances",
    "reminder_deliveries", "site_settings", "material_blobs",
})
IGNORED_COLUMNS = {"people": frozenset({"last_login_at", "password_hash", "invitation_nonce", "calendar_token",
                                        "privacy_accepted_at", "locale"})}


def _counts(table: str, state=None) -> bool:
    if table in IGNORED_TABLES:
        return False
    ignored = IGNORED_COLUMNS.get(table)
    if state is None or ignored is None:
        return True
    return any(attr.history.has_changes() for attr in state.attrs
               if attr.key not in ignored and attr.key in state.mapper.column_attrs)


LOG = ChangeLog(DataChange, _counts)
version = LOG.version
version_columns = LOG.version_columns
forget_old = LOG.forget_old
