"""Full-text search: German word forms, umlauts, phrases, exclusions, ranking, permissions, freshness."""
from __future__ import annotations

import os
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.meetings.models import AgendaItem, Meeting
from portal.search.words import parse, terms
from tests.factories import utc
from tests.test_demo import fast_pdf  # noqa: F401 (a fixture)
from tests.test_minutes import add_decision, minutes_url, moderate_url, save_text, session  # noqa: F401 (a fixture)


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
    assert "<mark>Amalia</mark> Sichtbar" in _hits(client, "Amalia")  # the title marked as found
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


def _order_of(page: str, *titles: str) -> list[int]:
    return [page.index(t) for t in titles]


def test_ranking_puts_a_decision_about_it_above_a_newer_passing_mention(client, make, office):
    """Within one kind (the overview lists the kinds in a fixed order, so only this is ranking):
    the older decision whose text is about the Sparkasse comes before the newer one that names it
    in passing; newest-first alone would put them the other way round."""
    old = _published(make, title="Frühjahr", number=3, starts_at=utc(2018, 3, 1, 16))
    new = _published(make, title="Herbst", number=9, starts_at=utc(2024, 10, 1, 16))
    about = make.agenda_item(old, title="Gründungspreis", minutes_text="Die Sparkasse stiftet den Gründungspreis; "
                             "die Sparkasse stellt die Jury, die Sparkasse lädt zur Preisverleihung.")
    passing = make.agenda_item(new, title="Verschiedenes",
                               minutes_text="Termine: Sommerfest, Baustellen in der Innenstadt, Parkplätze am Markt, "
                                            "Weihnachtsbeleuchtung, ein Gespräch mit Stadt, Sparkasse und Kammer, "
                                            "das nächste Treffen der Werbegemeinschaft und die Ferienzeiten.")
    make.decision(old, agenda_item=about, number=1, text="Die Sparkasse fördert den Gründungspreis der Sparkasse.")
    make.decision(new, agenda_item=passing, number=4,
                  text="Die Geschäftsstelle plant das Sommerfest mit Stadt, Kammer, Sparkasse, Werbegemeinschaft, "
                       "Hochschule und Vereinen und berichtet im nächsten Treffen über Kosten und Termine.")
    for kind, titles in (("decision", ("Beschluss 3/1", "Beschluss 9/4")),
                         ("minutes", ("TOP 1: Gründungspreis", "TOP 1: Verschiedenes"))):
        first, second = _order_of(_hits(client, "Sparkasse", kind=kind), *titles)
        assert first < second, kind
        first, second = _order_of(_hits(client, "Sparkasse", kind=kind, order="newest"), *titles)
        assert first > second, kind  # the order by date is the other way round: the test can tell
    overview = _hits(client, "Sparkasse")
    assert overview.index("Beschluss 3/1") < overview.index("Beschluss 9/4")


def test_oldest_first_finds_where_a_topic_was_first_discussed(client, make, office):
    for year, number in ((2017, 1), (2019, 2), (2023, 3)):
        meeting = _published(make, title=f"Treffen {year}", number=number, starts_at=utc(year, 5, 1, 16))
        make.agenda_item(meeting, title=f"Stadtlogistik {year}", minutes_text="Louise " * (2023 - year + 1))
    page = _hits(client, "Louise", kind="minutes", order="oldest")
    assert _order_of(page, "Stadtlogistik 2017", "Stadtlogistik 2019", "Stadtlogistik 2023") == sorted(
        _order_of(page, "Stadtlogistik 2017", "Stadtlogistik 2019", "Stadtlogistik 2023"))
    best = _hits(client, "Louise", kind="minutes")
    assert best.index("Stadtlogistik 2017") < best.index("Stadtlogistik 2023")  # most mentions
    newest = _hits(client, "Louise", kind="minutes", order="newest")
    assert newest.index("Stadtlogistik 2023") < newest.index("Stadtlogistik 2017")
    assert '<option selected value="oldest">' in client.get("/search?q=Louise&order=oldest").text


def test_the_topics_of_a_meeting_named_after_the_word_are_not_hits(client, make, office):
    """The meeting's title is shown beside its TOPs and decisions, but only the meeting is found by it."""
    meeting = _published(make, title="Stadtlogistik Louise", number=2)
    item = make.agenda_item(meeting, title="Genehmigung des Protokolls", minutes_text="Ohne Änderungen genehmigt.")
    make.decision(meeting, agenda_item=item, number=1, text="Das Protokoll ist genehmigt.")
    page = _hits(client, "Louise")
    assert "Treffen und Tagesordnungen" in page
    assert "TOP 1: Genehmigung des Protokolls" not in page and "Beschluss 2/1" not in page


def test_action_hits_say_their_state_and_due_date_as_they_are_now(client, make, office, db):
    item = make.action_item(office, title="Leerstandsliste bei der Stadt anfragen", due_on=date(2027, 6, 12),
                            status="open")
    db.session.commit()
    page = _hits(client, "Leerstände")
    assert "<mark>Leerstandsliste</mark> bei der Stadt anfragen" in page  # a compound of the word, marked
    assert "offen" in page and "fällig am 12.06.2027" in page
    item.status = "done"
    db.session.commit()
    assert "erledigt" in _hits(client, "Leerstände")


def test_a_compound_found_by_its_first_word_is_marked_in_the_text(client, make, office):
    meeting = _published(make, title="Innenstadt")
    make.agenda_item(meeting, title="Flächen", minutes_text="Viel Text vorweg. " * 20 + "Die Leerstandsflächen am Markt.")
    page = _hits(client, "Leerstand", kind="minutes")
    assert "Die <mark>Leerstandsflächen</mark> am Markt" in page


def test_the_index_follows_a_decision_edited_and_deleted(client, make, office, db):
    meeting = _published(make, title="Haushalt", number=4)
    decision = make.decision(meeting, number=2, text="Der Beitrag bleibt bei Kormoranwert.")
    db.session.commit()
    assert "Beschluss 4/2" in _hits(client, "Kormoranwert")
    decision.text = "Der Beitrag steigt auf Pelikanwert."
    db.session.commit()
    assert "Nichts gefunden" in _hits(client, "Kormoranwert") and "Beschluss 4/2" in _hits(client, "Pelikanwert")
    db.session.delete(decision)
    db.session.commit()
    assert "Nichts gefunden" in _hits(client, "Pelikanwert")


def test_the_overview_says_which_kinds_have_no_hits(client, make, office):
    """"Every decision about the Sparkasse": when there is none, the page says so."""
    make.action_item(office, title="Termin mit der Sparkasse vereinbaren")
    page = _hits(client, "Sparkasse")
    assert "Nichts gefunden unter: Beschlüsse, Protokolle" in " ".join(page.split())
    assert "Nichts gefunden unter" not in _hits(client, "Sparkasse", kind="action")


def test_the_demo_answers_where_louise_was_first_discussed(runner, client, db, fast_pdf):
    """The new user's question, on the demo: the first minutes hit, oldest first, is the earliest
    TOP whose minutes name Louise, and its vacancy action items show whether they are open."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = db.session.execute(select(AgendaItem.position, Meeting.starts_at).join(AgendaItem.meeting)
                               .where(AgendaItem.minutes_text.like("%Louise%"), Meeting.minutes_status == "published")
                               .order_by(Meeting.starts_at).limit(1)).one()
    client.post("/login", data={"email": "kaya@example.org", "password": "Allianz-Demo-2026"})
    page = _hits(client, "Louise", kind="minutes", order="oldest")
    hit = page[page.index('class="search-hit"'):]
    assert f"TOP {first.position}: " in hit[:hit.index("</li>")]
    assert f"{first.starts_at:%d.%m.%Y}" in hit[:hit.index("</li>")]
    vacancies = _hits(client, "Leerstände", kind="action")
    assert vacancies.count('class="search-hit"') == db.session.scalar(
        select(func.count(ActionItem.id)).where(ActionItem.title.like("%Leerstand%")
                                                | ActionItem.title.like("%Leerständ%")))
    assert all(s in vacancies for s in ("fällig am", "<mark>Leerstandsliste</mark>"))


def test_one_kind_still_counts_every_kind(client, make, office):
    meeting = _published(make, title="Zählung")
    make.agenda_item(meeting, title="Punkt", minutes_text="Zählwortqq im Protokoll.")
    make.action_item(office, title="Zählwortqq erledigen")
    page = " ".join(_hits(client, "Zählwortqq", kind="minutes").split())
    assert "1 Treffer" in page and "alle Arten: <strong>2</strong>" in page


def test_the_index_follows_the_minutes_forms_at_once(client, make, login_as, session, fast_pdf):
    """Through the portal's own routes (moderation, review, publication), no reindex in between:
    what the moderator writes is found by the office at once, by an outsider only once published."""
    meeting, first, second = session["meeting"], session["first"], session["second"]
    outsider = make.person("member", name="Olaf Außen")
    login_as(session["moderator"])
    client.post(moderate_url(meeting, action="next"))
    assert save_text(client, meeting, first, "Der Wendehalsqz wird beobachtet.", 0).status_code == 302
    client.post(moderate_url(meeting, action="next"))
    assert add_decision(client, meeting, second, "Der Wiedehopfqz wird gefördert.").status_code == 302
    assert "Wendehalsqz" in _hits(client, "Wendehalsqz")  # the minute-taker reads the draft
    login_as(outsider)
    assert "Nichts gefunden" in _hits(client, "Wendehalsqz") and "Nichts gefunden" in _hits(client, "Wiedehopfqz")
    login_as(session["moderator"])
    assert save_text(client, meeting, first, "Der Kiebitzqz wird beobachtet.", 1).status_code == 302
    client.post(minutes_url(meeting, "submit"))
    login_as(session["office"])
    assert "Nichts gefunden" in _hits(client, "Wendehalsqz") and "Kiebitzqz" in _hits(client, "Kiebitzqz")
    client.post(minutes_url(meeting, "approve"), data={"approve-confirm": "y"})
    assert client.post(minutes_url(meeting, "publish")).status_code == 302
    assert meeting.minutes_status == "published"
    login_as(outsider)
    assert "TOP 1" in _hits(client, "Kiebitzqz") and "Beschluss 7/1" in _hits(client, "Wiedehopfqz")


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="SQLite has one writer at a time")
def test_a_later_writer_of_a_document_reads_what_the_earlier_one_committed(app):
    """Two transactions change the sources of one action item's document at once (its owner's
    name, its title): the later one waits for the earlier one's document before reading, so the
    document holds both changes, not the later writer's older reading of the name."""
    import threading
    import time

    from sqlalchemy import delete, update
    from sqlalchemy.orm import Session

    from portal.extensions import db as _db
    from portal.members.models import Person
    from portal.search import index
    from portal.search.models import SearchDocument
    from tests.factories import Factory

    with app.app_context():
        engine = _db.engine
        with Session(engine) as setup:
            make = Factory(setup)
            owner = make.person(name="Anna Alt")
            item = make.action_item(owner, title="Lastenrad testen")
            setup.commit()
            owner_id, item_id = owner.id, item.id
        errors: list[Exception] = []

        def later() -> None:
            try:
                with Session(engine) as second:
                    second.execute(update(ActionItem).where(ActionItem.id == item_id).values(title="Lastenrad fahren"))
                    index.write_documents(second, [("action", item_id)])
                    second.commit()
            except Exception as error:  # shown by the assertion below
                errors.append(error)

        try:
            with Session(engine) as first:
                first.execute(update(Person).where(Person.id == owner_id).values(name="Anna Neu"))
                index.write_documents(first, [("action", item_id)])
                thread = threading.Thread(target=later)
                thread.start()
                time.sleep(0.5)  # the second has changed the title and waits for the document
                first.commit()
            thread.join(30)
            assert errors == []
            with Session(engine) as reading:
                document = reading.scalars(select(SearchDocument).where(SearchDocument.kind == "action",
                                                                        SearchDocument.object_id == item_id)).one()
                assert (document.title, document.context) == ("Lastenrad fahren", "Anna Neu")
        finally:
            with Session(engine) as cleaning:
                cleaning.execute(delete(SearchDocument).where(
                    ((SearchDocument.kind == "action") & (SearchDocument.object_id == item_id))
                    | ((SearchDocument.kind == "person") & (SearchDocument.object_id == owner_id))))
                cleaning.execute(delete(ActionItem).where(ActionItem.id == item_id))
                cleaning.execute(delete(Person).where(Person.id == owner_id))
                cleaning.commit()
