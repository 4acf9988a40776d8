"""Full-text search over what the alliance said and decided (`/search`), in German.

Every searchable thing (a decision, the minutes of an agenda item, an action item, …) is one row of
`search_documents`, kept current in the transaction that changes it (`index.py`, by session events).
Its text is indexed as German word stems with umlauts and ß folded (`words.py`), so "Lastenräder"
finds "Lastenrad" and "Strasse" finds "Straße". Two engines read the same rows: SQLite's FTS5 and
PostgreSQL's tsvector with a GIN index (`engines.py`). Who sees a hit is decided in `visibility.py`
with the same permission predicates the pages use.
"""
