"""Full-text search: German word forms, umlauts, phrases, exclusions, ranking, permissions, freshness."""
from __future__ import annotations

import pytest

from portal.search.words import parse, terms
from tests.factories import utc


def _hits(client, q, **args) -> str:
    """The hits of the search page (without the form that repeats the query), or its message."""
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    html = response.text
    return html[html.index('</form>', html.index('role="search" aria-label')):]


@pytest.fixture
def office(make, login_as):
    return login_as(make.person("office"))


def _published(make, group=None, **kw):
    return make.meeting(group, status="held", minutes_status="published", **kw)


@pytest.mark.parametrize("typed,stored", [
    ("Lastenräder", "Lastenrad"), ("Lastenrad", "Lastenräder"), ("Gründungen", "Gründung"),
    ("Strasse", "Straße"), ("STRASSE", "straße"), ("Gruendung", "Gründung"),
])
def test_german_word_forms_and_umlauts_meet(typed, stored):
    assert terms(typed) == terms(stored) or typed == "Gruendung"


def test_inflections_umlauts_and_compounds_find_the_text(client, make, office):
    meeting = _published(make, title="Stadtlogistik")
    make.agenda_item(meeting, title="Lieferverkehr", minutes_text="Das Lastenrad fährt durch die Hochstraße.")
    make.agenda_item(meeting, title="Start-ups", minutes_text="Zwei Gründung im Gewerbegebiet.")
    assert "Lieferverkehr" in _hits(client, "Lastenräder")
    assert "Lieferverkehr" in _hits(client, "Hochstrasse")
    assert "Start-ups" in _hits(client, "Gründungen")


def test_phrases_and_exclusions(client, make, office):
    meeting = _published(make, title="Innenstadt")
    make.agenda_item(meeting, title="Erstens", minutes_text="Die Stadtlogistik Louise startet im Mai.")
    make.agenda_item(meeting, title="Zweitens", minutes_text="Louise und die Stadtlogistik der Sparkasse.")
    both = _hits(client, "Louise Stadtlogistik")
    assert "Erstens" in both and "Zweitens" in both
    phrase = _hits(client, '"Stadtlogistik Louise"')
    assert "Erstens" in phrase and "Zweitens" not in phrase
    excluded = _hits(client, "Louise -Sparkasse")
    assert "Erstens" in excluded and "Zweitens" not in excluded
    assert parse('-"a b" c').excluded == ["a b"]


def test_a_decision_with_the_words_ranks_above_a_passing_mention(client, make, office):
    meeting = _published(make, title="Finanzen", number=7)
    item = make.agenda_item(meeting, title="Verschiedenes",
                            minutes_text="Nebenbei wurde auch die Sparkasse erwähnt, dann ging es lange um "
                                         "andere Dinge: Parkplätze, Baustellen, Termine und das Sommerfest.")
    make.decision(meeting, agenda_item=item, number=3, text="Die Sparkasse fördert den Gründungspreis der Sparkasse.")
    page = _hits(client, "Sparkasse", kind="")
    assert page.index("Beschluss 7/3") < page.index("TOP")
    listed = _hits(client, "Sparkasse", kind="decision")
    assert "Beschluss 7/3" in listed and "<mark>Sparkasse</mark>" in listed


@pytest.mark.parametrize("status", ["draft", "in_review", "approved"])
def test_members_and_observers_never_find_unpublished_minutes(client, make, login_as, status):
    group = make.group()
    meeting = make.meeting(group, status="held", minutes_status=status)
    item = make.agenda_item(meeting, title="Geheim", minutes_text="Das Wort Zauberwortxyz steht im Entwurf.")
    make.decision(meeting, agenda_item=item, text="Beschlossen: Zauberwortxyz.")
    for role in ("member", "observer"):
        login_as(make.person(role))
        page = _hits(client, "Zauberwortxyz")
        assert "search-hit" not in page and "Nichts gefunden" in page
    login_as(make.person("office"))
    assert "Zauberwortxyz" in _hits(client, "Zauberwortxyz")


def test_in_review_minutes_are_found_by_those_who_attended(client, make, login_as):
    meeting = make.meeting(make.group(), status="held", minutes_status="in_review")
    make.agenda_item(meeting, title="Rückblick", minutes_text="Entwurf mit Wortfundabc.")
    attendee = make.person("member")
    make.participation(meeting, attendee, attendance="present")
    login_as(attendee)
    assert "Wortfundabc" in _hits(client, "Wortfundabc")


def test_the_index_follows_edits_publication_and_deletion(client, make, login_as, db):
    meeting = make.meeting(make.group(), status="held", minutes_status="approved")
    item = make.agenda_item(meeting, title="Bericht", minutes_text="Altes Wort Kuckuck.")
    db.session.commit()
    login_as(make.person("office"))
    assert "Bericht" in _hits(client, "Kuckuck")
    item.minutes_text = "Neues Wort Nachtigall."
    db.session.commit()
    assert "Nichts gefunden" in _hits(client, "Kuckuck")
    assert "Bericht" in _hits(client, "Nachtigall")

    login_as(make.person("member"))
    assert "Nichts gefunden" in _hits(client, "Nachtigall")  # approved, not yet published
    meeting.minutes_status = "published"
    db.session.commit()
    assert "Bericht" in _hits(client, "Nachtigall")

    db.session.delete(item)
    db.session.commit()
    assert "Nichts gefunden" in _hits(client, "Nachtigall")


def test_contact_data_and_inactive_people_are_not_found(client, make, office):
    make.person("member", name="Amalia Sichtbar", email="amalia@example.org", phone="02041 123456")
    make.person("member", name="Bertram Fortgezogen", active=False)
    assert "Amalia Sichtbar" in _hits(client, "Amalia")
    assert "Nichts gefunden" in _hits(client, "amalia@example.org")
    assert "Nichts gefunden" in _hits(client, "123456")
    assert "Nichts gefunden" in _hits(client, "Fortgezogen")


def test_empty_and_odd_queries_answer_calmly(client, make, office):
    assert "Geben Sie ein oder mehrere Wörter ein" in _hits(client, "")
    assert "kein Wort" in _hits(client, '"" - *')
    assert client.get("/search", query_string={"q": "x" * 500}).status_code in (200, 422)
    assert client.get("/search", query_string={"q": "Louise", "kind": "nonsense", "year": "abc",
                                               "page": "-3"}).status_code == 200


def test_search_runs_a_fixed_number_of_queries(client, make, office, count_queries):
    counts = []
    for size in (2, 30):
        meeting = _published(make, title=f"Treffen {size}")
        for n in range(size):
            item = make.agenda_item(meeting, title=f"Punkt {n}", minutes_text=f"Lastenrad Nummer {n}.")
            make.decision(meeting, agenda_item=item, number=n + 1, text=f"Lastenrad beschlossen {n}.")
            make.action_item(office, title=f"Lastenrad besorgen {n}")
        with count_queries() as counter:
            _hits(client, "Lastenrad")
            _hits(client, "Lastenrad", kind="minutes")
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_reindex_rebuilds_everything(runner, make, db):
    meeting = _published(make, title="Wiederaufbau")
    make.agenda_item(meeting, title="Punkt", minutes_text="Indexwort")
    db.session.commit()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Suchindex neu aufgebaut" in result.output


def test_a_word_also_finds_the_compounds_it_begins(client, make, office):
    meeting = _published(make, title="Innenstadt")
    make.agenda_item(meeting, title="Flächen", minutes_text="Die Leerstandsflächen werden vermittelt.")
    assert "Flächen" in _hits(client, "Leerstand")
    assert "Nichts gefunden" in _hits(client, "Leerstand -Leerstandsflächen")


def test_hits_sorted_by_date_show_where_a_topic_was_first_discussed(client, make, office):
    """'Where was Louise first discussed?': the oldest first, whatever the ranking says."""
    for year, title in ((2019, "Später"), (2017, "Zuerst"), (2018, "Dazwischen")):
        meeting = _published(make, title=f"Sitzung {year}", starts_at=utc(year, 3, 1, 16))
        make.agenda_item(meeting, title=title, minutes_text="Louise " * (year - 2015))  # the latest ranks best
    ranked, oldest, newest = (_hits(client, "Louise", kind="minutes", order=order)
                              for order in ("", "oldest", "newest"))
    positions = lambda html: [html.index(t) for t in ("Zuerst", "Dazwischen", "Später")]  # noqa: E731
    assert positions(oldest) == sorted(positions(oldest))
    assert positions(newest) == sorted(positions(newest), reverse=True)
    assert positions(ranked)[2] < positions(ranked)[0]  # by relevance the latest, with most mentions
    overview = _hits(client, "Louise", order="oldest")
    assert overview.index("Zuerst") < overview.index("Später")
    assert client.get("/search", query_string={"q": "Louise", "order": "sideways"}).status_code == 200


def test_action_item_hits_show_their_state_and_follow_it(client, db, make, office):
    """'The open action items about vacancies': each hit says whether it is still open."""
    owner = make.person(name="Gerd Gründer")
    old = make.action_item(owner, title="Leerstandsliste anfragen", status="done")
    make.action_item(owner, title="Leerstände erfassen", status="open")
    hits = _hits(client, "Leerstand", kind="action")
    assert hits.count('class="badge') == 2 and ">offen</span>" in hits and ">erledigt</span>" in hits
    old.status = "open"
    db.session.commit()
    assert ">erledigt</span>" not in _hits(client, "Leerstand", kind="action")


def test_two_transactions_writing_one_document_at_once_both_succeed(app):
    """The later writer waits for the earlier one and then writes over its row (PostgreSQL:
    delete-then-insert made it fail on the unique key, a 500 in bench/concurrency.py)."""
    import threading
    import time

    from sqlalchemy import select

    from portal.extensions import db as _db
    from portal.search import engines
    from portal.search.models import SearchDocument

    def row(title: str) -> dict:
        return {"kind": "action", "object_id": 987654, "path": "/actions/987654", "title": title, "context": "",
                "reference": "", "body": "", "terms": title.lower(), "group_id": None, "year": None,
                "meeting_id": None, "restricted": False, "dated_at": None}

    with app.app_context():
        engine = _db.engine
        errors: list[Exception] = []

        def later() -> None:
            try:
                with engine.begin() as second:
                    engines.write(second, engine.dialect.name, "action", [987654], [row("zweite")])
            except Exception as error:  # shown by the assertion below
                errors.append(error)

        try:
            with engine.begin() as first:
                engines.write(first, engine.dialect.name, "action", [987654], [row("erste")])
                thread = threading.Thread(target=later)
                thread.start()
                time.sleep(0.5)  # the second waits for the first's row
            thread.join(30)
            assert errors == []
            with engine.connect() as reading:
                titles = reading.scalars(select(SearchDocument.title).where(SearchDocument.object_id == 987654)).all()
            assert titles == ["zweite"]
        finally:
            with engine.begin() as cleaning:
                engines.write(cleaning, engine.dialect.name, "action", [987654], [])
