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
CANDIDATES = 1000  # ranked hits at most: the newest matching documents (see engines.ranked)


@dataclass
class Filters:
    kind: str | None = None
    group_id: int | None = None
    year: int | None = None
    order: str = "relevance"  # or by the date of what was found: "newest" or "oldest" first


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
    dialect = db.session.connection().dialect.name
    conditions = _conditions(user, filters)
    counted = engines.matching(dialect, query, SearchDocument.kind, func.count()).where(*conditions)
    results.counts = dict(db.session.execute(counted.group_by(SearchDocument.kind)).all())
    statement, newest = engines.ranked(dialect, query)
    if filters.kind:
        conditions.append(SearchDocument.kind == filters.kind)
    candidates = (newest.desc(),) if filters.order == "relevance" else _by_date(SearchDocument, filters.order)
    hits = statement.where(*conditions).order_by(*candidates).limit(CANDIDATES).subquery("hits")
    order = _order(hits, filters.order)
    if filters.kind:
        results.total = results.counts.get(filters.kind, 0)
        results.pages = (min(results.total, CANDIDATES) + PER_PAGE - 1) // PER_PAGE
        results.hits = _page(hits, order, page)
    else:
        results.total = sum(results.counts.values())
        for hit in _best_per_kind(hits, order):
            results.groups.setdefault(hit.document.kind, []).append(hit)
    return results


def _conditions(user, filters: Filters) -> list:
    """Who may see which hits, and the filters other than the kind (the counts are per kind)."""
    conditions = [visibility.condition(user)]
    if filters.group_id:
        conditions.append(SearchDocument.group_id == filters.group_id)
    if filters.year:
        conditions.append(SearchDocument.year == filters.year)
    return conditions


def _by_date(columns, order: str) -> tuple:
    """By the date of what was found (the meeting's for minutes and decisions), undated last."""
    if order == "oldest":
        return columns.dated_at.asc().nulls_last(), columns.id.asc()
    return columns.dated_at.desc().nulls_last(), columns.id.desc()


def _order(hits, order: str) -> tuple:
    if order == "relevance":
        return hits.c.rank.desc(), hits.c.dated_at.desc().nulls_last(), hits.c.id.desc()
    return _by_date(hits.c, order)


def _page(hits, order: tuple, page: int) -> list[Hit]:
    document = aliased(SearchDocument, hits)
    rows = db.session.execute(select(document, hits.c.rank).order_by(*order)
                              .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return [Hit(d, r) for d, r in rows]


def _best_per_kind(hits, order: tuple) -> list[Hit]:
    place = func.row_number().over(partition_by=hits.c.kind, order_by=order).label("place")
    numbered = select(hits, place).subquery("numbered")
    document = aliased(SearchDocument, numbered)
    rows = db.session.execute(select(document, numbered.c.rank).where(numbered.c.place <= PER_KIND)
                              .order_by(numbered.c.kind, numbered.c.place)).all()
    return [Hit(d, r) for d, r in rows]
