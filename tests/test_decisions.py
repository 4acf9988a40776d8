"""The register of decisions: what it lists, for whom, its filters, CSV and each decision's page."""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import extract, select

from portal.csv_files import unguarded
from portal.meetings.models import Decision, Meeting
from tests.factories import utc
from tests.test_demo import fast_pdf  # noqa: F401 (a fixture)


def _alliance(make):
    office = make.person("office")
    group = make.group(name="Handel der Zukunft")
    other = make.group(name="Handwerk digital")
    spring = make.meeting(group, title="Frühjahr", number=7, starts_at=utc(2018, 3, 10, 16), status="held",
                          minutes_status="published")
    autumn = make.meeting(other, title="Herbst", number=2, starts_at=utc(2019, 10, 10, 16), status="held",
                          minutes_status="published")
    draft = make.meeting(group, title="Entwurf", number=8, starts_at=utc(2019, 11, 10, 16), status="held",
                         minutes_status="draft")
    sparkasse = make.decision(spring, number=3, text="Die Sparkasse fördert den Gründungspreis.",
                              votes_yes=9, votes_no=1, votes_abstain=1)
    make.action_item(office, group, meeting=spring, decision_id=sparkasse.id, title="Preis ausschreiben",
                     due_on=date(2018, 5, 1), status="done")
    make.decision(autumn, number=1, text="Der Lastenradverleih wird verlängert, mit Ökostrom.")
    make.decision(draft, number=1, text="Geheimer Entwurfsbeschluss.")
    return office, group, spring, sparkasse


def test_register_lists_readable_decisions_with_their_action_items(client, make, login_as):
    _, _, _, sparkasse = _alliance(make)
    login_as(make.person("member"))
    page = client.get("/decisions").text
    assert "7/3" in page and "2/1" in page and "Geheimer Entwurfsbeschluss" not in page
    assert "Preis ausschreiben" in page and "erledigt" in page
    assert "Ja 9 · Nein 1 · 1 Enthaltung" in " ".join(page.split())
    detail = client.get(f"/decisions/{sparkasse.id}").text
    assert "Beschluss 7/3" in detail and "Preis ausschreiben" in detail and "Frühjahr" in detail


def test_filters_by_group_year_meeting_and_text(client, make, login_as):
    _, group, spring, _ = _alliance(make)
    login_as(make.person("observer"))
    assert "2/1" not in client.get(f"/decisions?group={group.id}").text
    assert "7/3" not in client.get("/decisions?year=2019").text
    assert "2/1" not in client.get(f"/decisions?meeting={spring.id}").text
    by_text = client.get("/decisions?text=sparkasse").text
    assert "7/3" in by_text and "2/1" not in by_text
    assert "2/1" in client.get("/decisions?text=ökostrom").text  # umlauts folded on SQLite too
    odd = client.get("/decisions?group=abc&year=1&meeting=-5&text=%25")
    assert odd.status_code == 200 and "Keine Beschlüsse passen" in odd.text


def test_csv_has_every_filtered_decision(client, make, login_as):
    _alliance(make)
    login_as(make.person("member"))
    response = client.get("/decisions/export.csv?text=Sparkasse")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    text = unguarded(response.data.decode("utf-8-sig"))
    lines = text.strip().splitlines()
    assert lines[0].startswith("Beschluss;Datum;Treffen") and len(lines) == 2
    assert lines[1].startswith("7/3;10.03.2018;Frühjahr;Handel der Zukunft") and ";1;1;" in lines[1]


def test_office_sees_draft_decisions_marked(client, make, login_as):
    office, *_ = _alliance(make)
    login_as(office)
    assert "Geheimer Entwurfsbeschluss" in client.get("/decisions").text


def test_register_runs_a_fixed_number_of_queries(client, make, login_as, count_queries):
    office = make.person("office")
    login_as(make.person("member"))
    counts = []
    for size in (2, 20):
        meeting = make.meeting(make.group(), status="held", minutes_status="published")
        for n in range(size):
            decision = make.decision(meeting, number=n + 1, text=f"Beschluss {n}")
            make.action_item(office, decision_id=decision.id, title=f"Aufgabe {n}")
        with count_queries() as counter:
            assert client.get("/decisions").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_the_register_lists_every_published_decision_of_the_demo(runner, client, db, fast_pdf):
    """As the demo's member and observer: all decisions of published minutes, every filter as the
    database answers it, and the CSV with as many rows."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    published = select(Decision.id).join(Decision.meeting).where(Meeting.minutes_status == "published")

    def expected(*where) -> set[int]:
        return set(db.session.scalars(published.where(*where)))

    def listed(**args) -> set[int]:
        ids, page = set(), 1
        while True:
            html = client.get("/decisions", query_string={**args, "page": page}).text
            ids |= {int(i) for i in re.findall(r'<th scope="row"><a href="/decisions/(\d+)"', html)}
            if f"page={page + 1}" not in html:
                return ids
            page += 1

    everything = expected()
    assert len(everything) >= 40
    louise = db.session.scalar(select(Meeting).where(Meeting.title.like("%Louise%"), Meeting.group_id.is_not(None),
                                                     Meeting.minutes_status == "published"))
    for email in ("kaya@example.org", "ob-buero@example.org"):
        client.post("/login", data={"email": email, "password": "Allianz-Demo-2026"})
        first = client.get("/decisions").text
        assert f"{len(everything)} Beschlüsse, die neuesten zuerst" in first
        assert listed() == everything
        assert listed(year="2017") == expected(extract("year", Meeting.starts_at) == 2017)
        assert listed(group=str(louise.group_id)) == expected(Meeting.group_id == louise.group_id)
        assert listed(group="0") == expected(Meeting.group_id.is_(None))
        assert listed(meeting=str(louise.id)) == expected(Meeting.id == louise.id)
        assert listed(text="louise") == expected(Decision.text.like("%Louise%")) != set()
        csv = unguarded(client.get("/decisions/export.csv").data.decode("utf-8-sig")).strip().splitlines()
        assert len(csv) == len(everything) + 1
        client.post("/logout")
