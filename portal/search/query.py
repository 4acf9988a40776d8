"""Answering a search: the hits a person may see, ranked, grouped by kind or one kind paged."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, literal, select
from sqlalchemy.orm import aliased

from portal.actions.models import ActionItem
from portal.extensions import db
from portal.search import engines, visibility
from portal.search.models import SearchDocument
from portal.search.words import Query, parse

PER_KIND = 5  # hits per kind on the overview; "show all" opens the kind, paged
PER_PAGE = 20
CANDIDATES = 1000  # ranked hits at most: the newest matching documents (see engines.ranked)
OLDEST, NEWEST = "oldest", "newest"  # the orders by date; none: the best hits first


@dataclass
class Filters:
    kind: str | None = None
    group_id: int | None = None
    year: int | None = None
    order: str = ""  # OLDEST, NEWEST or the best first


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
    actions: dict[int, ActionItem] = field(default_factory=dict)  # the action items hit, as they are now

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
    if filters.kind:
        conditions.append(SearchDocument.kind == filters.kind)
    if filters.order:  # by date: the first (or last) of all the hits, no rank needed
        statement = engines.matching(dialect, query, SearchDocument, literal(0.0).label("rank"))
        candidates = _by_date(SearchDocument, filters.order)
    else:
        statement, newest = engines.ranked(dialect, query)
        candidates = (newest.desc(),)
    hits = statement.where(*conditions).order_by(*candidates).limit(CANDIDATES).subquery("hits")
    if filters.kind:
        results.total = results.counts.get(filters.kind, 0)
        results.pages = (min(results.total, CANDIDATES) + PER_PAGE - 1) // PER_PAGE
        results.hits = _page(hits, page, filters.order)
        shown = results.hits
    else:
        results.total = sum(results.counts.values())
        shown = _best_per_kind(hits, filters.order)
        for hit in shown:
            results.groups.setdefault(hit.document.kind, []).append(hit)
    results.actions = _actions([h.document.object_id for h in shown if h.document.kind == "action"])
    return results


def _actions(ids: list[int]) -> dict[int, ActionItem]:
    """The action items of the hits, for their state and due date (which change without the text)."""
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(select(ActionItem).where(ActionItem.id.in_(ids)))}


def _conditions(user, filters: Filters) -> list:
    """Who may see which hits, and the filters other than the kind (the counts are per kind)."""
    conditions = [visibility.condition(user)]
    if filters.group_id:
        conditions.append(SearchDocument.group_id == filters.group_id)
    if filters.year:
        conditions.append(SearchDocument.year == filters.year)
    return conditions


def _by_date(columns, order: str) -> tuple:
    if order == OLDEST:
        return columns.dated_at.asc().nulls_last(), columns.id.asc()
    return columns.dated_at.desc().nulls_last(), columns.id.desc()


def _order(hits, order: str = "") -> tuple:
    if order:
        return _by_date(hits.c, order)
    return hits.c.rank.desc(), hits.c.dated_at.desc().nulls_last(), hits.c.id.desc()


def _page(hits, page: int, order: str = "") -> list[Hit]:
    document = aliased(SearchDocument, hits)
    rows = db.session.execute(select(document, hits.c.rank).order_by(*_order(hits, order))
                              .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return [Hit(d, r) for d, r in rows]


def _best_per_kind(hits, order: str = "") -> list[Hit]:
    place = func.row_number().over(partition_by=hits.c.kind, order_by=_order(hits, order)).label("place")
    numbered = select(hits, place).subquery("numbered")
    document = aliased(SearchDocument, numbered)
    rows = db.session.execute(select(document, numbered.c.rank).where(numbered.c.place <= PER_KIND)
                              .order_by(numbered.c.kind, numbered.c.place)).all()
    return [Hit(d, r) for d, r in rows]
