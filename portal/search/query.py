"""Answering a search: the hits a person may see, ranked, grouped by kind or one kind paged."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.extensions import db
from portal.search import engines, visibility
from portal.search.models import SearchDocument
from portal.search.words import Query, parse

PER_KIND = 5  # hits per kind on the overview; "show all" opens the kind, paged
PER_PAGE = 20


@dataclass
class Filters:
    kind: str | None = None
    group_id: int | None = None
    year: int | None = None


@dataclass
class Hit:
    document: SearchDocument
    rank: float


@dataclass
class Results:
    query: Query
    counts: dict[str, int] = field(default_factory=dict)  # hits per kind
    groups: dict[str, list[Hit]] = field(default_factory=dict)  # the overview: the best per kind
    hits: list[Hit] = field(default_factory=list)  # one kind, this page
    total: int = 0
    page: int = 1
    pages: int = 0

    # as Flask-SQLAlchemy's pagination, for the pagination macro
    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def search(user, text: str, filters: Filters, page: int = 1) -> Results:
    query = parse(text)
    results = Results(query=query, page=page)
    if query.is_empty:
        return results
    base = _matching(user, query, filters)
    rows = db.session.execute(
        select(base.c.kind, func.count()).group_by(base.c.kind)).all()
    results.counts = {kind: count for kind, count in rows}
    if filters.kind:
        results.total = results.counts.get(filters.kind, 0)
        results.pages = (results.total + PER_PAGE - 1) // PER_PAGE
        results.hits = _page(base, page)
    else:
        results.total = sum(results.counts.values())
        for hit in _best_per_kind(base):
            results.groups.setdefault(hit.document.kind, []).append(hit)
    return results


def _matching(user, query: Query, filters: Filters):
    dialect = db.session.connection().dialect.name
    statement = engines.ranked(dialect, query).where(visibility.condition(user))
    if filters.kind:
        statement = statement.where(SearchDocument.kind == filters.kind)
    if filters.group_id:
        statement = statement.where(SearchDocument.group_id == filters.group_id)
    if filters.year:
        statement = statement.where(SearchDocument.year == filters.year)
    return statement.subquery("hits")


def _order(hits):
    return hits.c.rank.desc(), hits.c.dated_at.desc().nulls_last(), hits.c.id.desc()


def _page(hits, page: int) -> list[Hit]:
    document = aliased(SearchDocument, hits)
    rows = db.session.execute(select(document, hits.c.rank).order_by(*_order(hits))
                              .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return [Hit(d, r) for d, r in rows]


def _best_per_kind(hits) -> list[Hit]:
    place = func.row_number().over(partition_by=hits.c.kind, order_by=_order(hits)).label("place")
    numbered = select(hits, place).subquery("numbered")
    document = aliased(SearchDocument, numbered)
    rows = db.session.execute(select(document, numbered.c.rank).where(numbered.c.place <= PER_KIND)
                              .order_by(numbered.c.kind, numbered.c.place)).all()
    return [Hit(d, r) for d, r in rows]
