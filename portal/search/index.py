"""Keeping `search_documents` current: in the flush that changes a searchable thing.

After every flush the changed, new and deleted objects are mapped to the documents they touch
(`sources.TOUCHES`) and those are written again in the same transaction, so a search never sees
an older text than the page it links to. Bulk inserts that bypass the ORM (the benchmarks) are
followed by `rebuild()` (`flask --app wsgi search reindex`).
"""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.privacy.erasure import ERASURE_HOOKS
from portal.search import engines, sources
from portal.search.words import terms

BATCH = 500
# kinds whose context is only where they lie (their meeting's title): shown beside the hit, not
# searched. The meeting is a hit of its own; every TOP and decision of a meeting called
# "Stadtlogistik Louise" is not about Louise ("Genehmigung des Protokolls" would be a hit).
PLACED = frozenset({"minutes", "decision", "material"})


def write_documents(session: Session, refs) -> None:
    """(Re)write the documents of `refs` [(kind, id), …] from the current data."""
    connection = session.connection()
    with Session(bind=connection, join_transaction_mode="create_savepoint") as reader:
        refs = sources.expand(reader, {ref for ref in refs if ref[1] is not None})
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in refs:
        by_kind[kind].add(object_id)
    for kind, ids in sorted(by_kind.items()):
        ordered = sorted(ids)
        for start in range(0, len(ordered), BATCH):
            batch = ordered[start:start + BATCH]
            engines.wait_for_writers(connection, connection.dialect.name, kind, batch)
            # read in a session of its own, closed (its savepoint released) before writing
            with Session(bind=connection, join_transaction_mode="create_savepoint") as reader:
                rows = [_with_terms(row) for row in sources.KINDS[kind].load(reader, batch)]
            engines.write(connection, connection.dialect.name, kind, batch, rows)


def _with_terms(row: dict) -> dict:
    context = "" if row["kind"] in PLACED else row["context"]
    return {**row, "terms": terms(f"{row['title']}\n{context}\n{row['body']}")}


def rebuild(session: Session) -> int:
    """Every document anew (after a restore, bulk inserts, or a change of the term rules)."""
    connection = session.connection()
    engines.clear(connection, connection.dialect.name)
    count = 0
    for kind in sources.KINDS:
        ids = sources.all_ids(session, kind)
        write_documents(session, [(kind, i) for i in ids])
        count += len(ids)
    return count


@event.listens_for(Session, "after_flush")
def _reindex_changed(session: Session, _flush_context) -> None:
    refs = {ref for obj in (*session.new, *session.dirty, *session.deleted) for ref in sources.refs_of(obj)}
    if refs:
        write_documents(session, refs)


def _forget_erased(_erased) -> None:
    """An erased person's documents are rewritten by the flush; on SQLite the old words also
    leave FTS5's index segments, which keep deleted entries until they are merged."""
    db.session.flush()
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.execute(text(f"INSERT INTO {engines.SQLITE_FTS}({engines.SQLITE_FTS}) VALUES ('optimize')"))


ERASURE_HOOKS.append(_forget_erased)
