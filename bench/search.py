"""Benchmark of /search (not a test): median latency at demo size and at 100 × the demo.

    .venv/bin/python bench/search.py [--scales 1 100] [--database-url URL] [--runs 7]

Builds an alliance with bench/report.py's bulk generator (scale 100: about 2,800 meetings) and gives
every meeting agenda items with minutes texts (5 per meeting at scale 1, 50 at scale 100: about
140,000 texts; about 1,800 different words, each topic word of the queries in about 2 % of the
texts, as in real minutes), then rebuilds the search index as `flask search reindex` does. Prints, for a few
queries, the median time of GET /search through the Flask test client as the office and as a member
(whose hits are filtered by the minutes they may read), the number of hits and of SQL statements.
SQLite in a temporary folder, or with --database-url (PostgreSQL) a schema of its own.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402

PASSWORD = "Such-Bench-2026"
QUERIES = ("Lastenrad", "Lastenräder Innenstadt", '"Stadtlogistik Louise"', "Sparkasse -Gründungspreis",
           "Leerstand", "Fachkräfte Ausbildung")
# the same words, one kind paged or in the order of their date (all hits sorted, no rank)
VARIANTS = (("Lastenrad", {"order": "oldest"}), ("Leerstand", {"kind": "minutes", "page": "5"}),
            ("Sparkasse", {"kind": "decision", "order": "newest"}))
TOPICS = ("Lastenrad", "Lastenräder", "Innenstadt", "Stadtlogistik", "Louise", "Sparkasse", "Gründungspreis",
          "Fachkräfte", "Ausbildung", "Leerstandsflächen", "Quartiersmanagement", "Umweltmanagement", "EMAS",
          "Gesundheitsmanagement", "Mobilität", "Kreishandwerkerschaft", "Werkstattgespräch", "Hochschule")
# filler: many different words, as real minutes have; each topic word turns up in about 2 % of texts
FILLER = [f"{stem}{ending}" for stem in ("Bericht", "Planung", "Termin", "Angebot", "Betrieb", "Kunde", "Projekt",
                                          "Antrag", "Förder", "Markt", "Laden", "Straße", "Fläche", "Verein",
                                          "Netzwerk", "Gespräch", "Beratung", "Zahl", "Woche", "Monat")
          for ending in ("", "e", "en", "ung", "ungen", "s", "er", "ern", "lich", "haft", "nis", "keit", "tum",
                         "chen", "wesen", "stelle", "plan", "liste", "runde", "kreis", "gruppe", "zeit", "weg",
                         "feld", "raum", "punkt", "stand", "wert", "art", "werk")]


def _text(rng: random.Random) -> str:
    words = [rng.choice(FILLER) for _ in range(rng.randint(30, 90))]
    for topic in TOPICS:
        if rng.random() < 0.02:
            words.insert(rng.randrange(len(words)), topic)
    return " ".join(words)


def database_url(base: str | None, folder: Path, scale: int) -> str:
    if not base:
        return f"sqlite:///{folder / f'search-{scale}.db'}"
    from portal.database import fresh_schema

    return fresh_schema(base, f"bench_search_{scale}")


def prepare(url: str, scale: int) -> dict:
    from sqlalchemy import insert, select

    from portal.extensions import db
    from portal.meetings.models import AgendaItem, Meeting
    from portal.members.models import Person
    from portal.members.passwords import hash_password
    from portal.search import index

    made = report.build(url, scale)
    rng = random.Random(scale)
    per_meeting = 5 if scale == 1 else 50
    app = report._app(url)
    with app.app_context():
        meeting_ids = db.session.scalars(select(Meeting.id)).all()
        items = [{"meeting_id": m, "position": p + 1, "title": f"Thema {p + 1}", "kind": "discussion",
                  "minutes_text": _text(rng)}
                 for m in meeting_ids for p in range(per_meeting)]
        for start in range(0, len(items), 10_000):
            db.session.execute(insert(AgendaItem), items[start:start + 10_000])
        office = Person(name="Bench Geschäftsstelle", email="bench-office@example.org", role="office",
                        password_hash=hash_password(PASSWORD))
        db.session.add(office)
        member = db.session.scalar(select(Person).where(Person.role == "member").limit(1))
        member.password_hash = hash_password(PASSWORD)
        db.session.commit()
        started = time.perf_counter()
        documents = index.rebuild(db.session)
        db.session.commit()
        return {**made, "agenda_items": len(items), "documents": documents,
                "reindex_s": time.perf_counter() - started, "member": member.email}


def measure(url: str, email: str, runs: int) -> list[tuple[str, float, int, int]]:
    import re

    from sqlalchemy import event

    from portal.extensions import db

    app = report._app(url)
    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    out = []
    with app.app_context():
        counter = {"n": 0}

        def count(*_args):
            counter["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        for query, extra in (*((q, {}) for q in QUERIES), *VARIANTS):
            args = {"q": query, **extra}
            client.get("/search", query_string=args)  # warm-up
            times = []
            for _ in range(runs):
                counter["n"] = 0
                start = time.perf_counter()
                response = client.get("/search", query_string=args)
                times.append(time.perf_counter() - start)
            hits = re.search(r'<p role="status">(\d[\d.]*) Treffer', response.text)
            shown = " ".join([query, *(f"{k}={v}" for k, v in extra.items())])
            out.append((shown, statistics.median(times) * 1000, int(hits.group(1).replace(".", "")) if hits else 0,
                        counter["n"]))
        event.remove(db.engine, "before_cursor_execute", count)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    os.environ.setdefault("PORTAL_DEMO", "1")
    database = "PostgreSQL" if args.database_url else "SQLite"
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            url = database_url(args.database_url, Path(tmp), scale)
            made = prepare(url, scale)
            print(f"\n## {database}, scale {scale}: {made['meetings']} meetings, {made['agenda_items']} agenda-item "
                  f"texts, {made['documents']} documents indexed in {made['reindex_s']:.0f} s")
            print("| query | who | median ms | hits | queries |")
            print("|---|---|---|---|---|")
            for who, email in (("office", "bench-office@example.org"), ("member", made["member"])):
                for query, ms, hits, queries in measure(url, email, args.runs):
                    print(f"| {query} | {who} | {ms:.0f} | {hits} | {queries} |")


if __name__ == "__main__":
    main()
