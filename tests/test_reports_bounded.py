"""Issue 21 point 2: the dashboard /reports summarizes; the full lists of the period's meetings and
decisions are their own paginated pages. At two data sizes (demo-like and ten times more meetings
and decisions, inserted in bulk) the dashboard renders the same number of rows and about the same
bytes with the same number of queries; the list pages show the right page and respect the filters."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from portal.meetings.models import Decision, Meeting, Participation
from portal.reports.report import CHAPTERS_SHOWN, RECENT

YEAR = "start=2024-01-01&end=2024-12-31"
BASE = datetime(2024, 1, 1, 17, tzinfo=timezone.utc)  # 18:00 in Berlin


def _add_meetings(db, group, people, first: int, count: int) -> None:
    """Meetings number `first`…`first + count - 1`, one a day from 1 January 2024: the even ones of the
    plenary, the odd ones of `group`; held, with published minutes, two decisions (Markdown) and the
    people present."""
    rows = [{"kind": "group" if i % 2 else "plenary", "group_id": group.id if i % 2 else None,
             "title": f"Sitzung {i:03d}", "status": "held", "starts_at": BASE + timedelta(days=i),
             "ends_at": BASE + timedelta(days=i, hours=2), "minutes_status": "published", "ical_sequence": 0,
             "minutes_version": 0} for i in range(first, first + count)]
    db.session.execute(insert(Meeting), rows)
    ids = dict(db.session.execute(select(Meeting.title, Meeting.id).where(
        Meeting.title.in_([r["title"] for r in rows]))).all())
    db.session.execute(insert(Decision), [
        {"meeting_id": ids[f"Sitzung {i:03d}"], "number": k, "text": f"Die Allianz beschließt **{i:03d}-{k}**."}
        for i in range(first, first + count) for k in (1, 2)])
    db.session.execute(insert(Participation), [
        {"meeting_id": meeting_id, "person_id": p.id, "attendance": "present", "rsvp": "accepted"}
        for meeting_id in ids.values() for p in people])
    db.session.commit()


@pytest.fixture
def alliance(db, make):
    group = make.group(name="Handel der Zukunft")
    people = [make.person(password=None) for _ in range(4)]
    make.meeting(group, title="Ausgefallen", starts_at=BASE + timedelta(days=3, hours=1), status="cancelled",
                 cancel_reason="Raum belegt")
    db.session.commit()
    return {"group": group, "people": people, "db": db}


def _titles(html: str) -> list[str]:
    return re.findall(r"Sitzung (\d{3})", html)


def _dashboard(client, count_queries):
    client.get(f"/reports?{YEAR}")  # warm: the first request of a client does more
    with count_queries() as counter:
        response = client.get(f"/reports?{YEAR}")
    assert response.status_code == 200
    return response.get_data(as_text=True), counter.count


def test_dashboard_rows_bytes_and_queries_stay_flat_as_the_alliance_grows(client, login_as, make, alliance,
                                                                        count_queries):
    login_as(make.person("observer"))
    db, group, people = alliance["db"], alliance["group"], alliance["people"]
    _add_meetings(db, group, people, 0, 30)
    small, small_queries = _dashboard(client, count_queries)
    _add_meetings(db, group, people, 30, 270)
    large, large_queries = _dashboard(client, count_queries)

    assert large_queries == small_queries
    for page, total in ((small, 30), (large, 300)):
        table = re.search(r'<table class="meetings">.*?</table>', page, re.DOTALL).group(0)
        assert table.count("<tr>") == 1 + RECENT  # the header and the latest meetings
        assert page.count('class="decision-source"') == RECENT and page.count("<strong>") < 40
        assert f"Alle {total} Treffen des Zeitraums anzeigen" in page
        assert f"Alle {total * 2} Beschlüsse des Zeitraums anzeigen" in page
        assert "1 abgesagtes Treffen" in page and "Ausgefallen" not in page
    # the latest first; the oldest are on the list pages only
    assert _titles(re.search(r'<table class="meetings">.*?</table>', large, re.DOTALL).group(0)) == [
        "299", "298", "297", "296", "295"]
    assert "Sitzung 000" not in large and "beschließt <strong>299-1</strong>" in large
    assert "beschließt <strong>000-1</strong>" not in large
    # more digits in the figures and more bars in the charts (twelve months at most), never another
    # row: 270 more meetings and 540 more decisions in full would be over 100 kB
    assert len(large.encode()) - len(small.encode()) < 5_000, (len(small), len(large))
    assert figure_row(large, "Handel der Zukunft") == ["150", "300", "0 / 0", "0"]
    assert figure_row(large, "Plenum") == ["150", "300", "–", "0"]


def figure_row(page: str, name: str) -> list[str]:
    """The cells of a row of the table per working group."""
    table = re.search(r'<table class="chapters">.*?</table>', page, re.DOTALL).group(0)
    row = re.search(rf"{name}(?:</a>)?</th>(.*?)</tr>", table, re.DOTALL).group(1)
    return [cell.strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]


def test_groups_beyond_the_first_ones_are_a_link_not_rows(client, login_as, make, alliance):
    for n in range(CHAPTERS_SHOWN + 2):
        make.group(name=f"Zusatzlabor {n:02d}")
    alliance["db"].session.commit()
    login_as(make.person("office"))
    page = client.get(f"/reports?{YEAR}").text
    table = re.search(r'<table class="chapters">.*?</table>', page, re.DOTALL).group(0)
    assert table.count("<tr>") == 1 + CHAPTERS_SHOWN
    assert "Alle 13 Reallabore anzeigen" in page and 'href="/groups"' in page


def test_meeting_list_pages_the_period_latest_first_and_filters(client, login_as, make, alliance, count_queries):
    login_as(make.person("observer"))
    db, group = alliance["db"], alliance["group"]
    _add_meetings(db, group, alliance["people"], 0, 30)
    first = client.get(f"/reports/meetings?{YEAR}").text
    second = client.get(f"/reports/meetings?{YEAR}&page=2").text
    assert _titles(first) == [f"{i:03d}" for i in range(29, 4, -1)]
    assert _titles(second) == ["004", "003", "002", "001", "000"]
    assert "Ausgefallen" not in first + second  # listed apart, never tabled with the others
    assert 'rel="next"' in first and "page=2" in first and "start=2024-01-01" in first
    # each row with its figures: 4 present of 4 invited, 2 decisions
    row = re.search(r"Sitzung 004</a></th>(.*?)</tr>", second, re.DOTALL).group(1)
    assert re.findall(r'<td class="num">(.*?)</td>', row) == ["4", "4", "100,0 %", "2"]

    by_group = client.get(f"/reports/meetings?{YEAR}&group={group.id}").text
    assert _titles(by_group) == [f"{i:03d}" for i in range(29, 0, -2)] and 'rel="next"' not in by_group
    ten_days = client.get("/reports/meetings?start=2024-01-01&end=2024-01-10").text
    assert _titles(ten_days) == [f"{i:03d}" for i in range(9, -1, -1)]
    cancelled = client.get(f"/reports/meetings?cancelled=1&{YEAR}").text
    assert "Ausgefallen" in cancelled and "Raum belegt" in cancelled and _titles(cancelled) == []

    page = _page_two_with_flat_queries(client, count_queries, f"/reports/meetings?{YEAR}&page=2",
                                       lambda: _add_meetings(db, group, alliance["people"], 30, 270))
    assert len(_titles(page)) == 25 and _titles(page)[0] == "274"


def _page_two_with_flat_queries(client, count_queries, path: str, grow) -> str:
    """Page 2 of `path` after `grow()` added ten times the data: with the same number of queries."""
    with count_queries() as counter:
        client.get(path)
    small = counter.count
    grow()
    with count_queries() as counter:
        page = client.get(path).text
    assert counter.count == small
    return page


def test_decision_list_pages_the_period_latest_first_and_filters(client, login_as, make, alliance, count_queries):
    login_as(make.person("office"))
    db, group = alliance["db"], alliance["group"]
    _add_meetings(db, group, alliance["people"], 0, 15)  # 30 decisions
    first = client.get(f"/reports/decisions?{YEAR}").text
    second = client.get(f"/reports/decisions?{YEAR}&page=2").text

    def decisions(html: str) -> list[str]:
        return re.findall(r"beschließt <strong>(\d{3}-\d)</strong>", html)

    assert decisions(first)[:4] == ["014-1", "014-2", "013-1", "013-2"] and len(decisions(first)) == 25
    assert decisions(second) == ["002-2", "001-1", "001-2", "000-1", "000-2"]
    assert "30 Beschlüsse" in first
    by_group = decisions(client.get(f"/reports/decisions?{YEAR}&group={group.id}").text)
    assert by_group == [f"{i:03d}-{k}" for i in range(13, 0, -2) for k in (1, 2)]
    assert decisions(client.get("/reports/decisions?start=2024-01-02&end=2024-01-02").text) == ["001-1", "001-2"]
    # unpublished minutes: their decisions are neither counted nor listed (as in the report)
    db.session.execute(Meeting.__table__.update().where(Meeting.title == "Sitzung 014").values(minutes_status="draft"))
    db.session.commit()
    assert decisions(client.get(f"/reports/decisions?{YEAR}").text)[:2] == ["013-1", "013-2"]

    page = _page_two_with_flat_queries(client, count_queries, f"/reports/decisions?{YEAR}&page=2",
                                       lambda: _add_meetings(db, group, alliance["people"], 15, 285))
    assert decisions(page)[:2] == ["287-2", "286-1"] and len(decisions(page)) == 25


def test_list_pages_read_like_the_dashboard_and_answer_nonsense_without_500(client, login_as, make, alliance):
    login_as(make.person("observer"))
    _add_meetings(alliance["db"], alliance["group"], alliance["people"], 0, 3)
    dashboard = client.get(f"/reports?{YEAR}").text
    assert f'href="/reports/meetings?{YEAR}"' in dashboard.replace("&amp;", "&")
    assert f'href="/reports/decisions?{YEAR}"' in dashboard.replace("&amp;", "&")
    assert f'href="/reports/meetings?cancelled=1&{YEAR}"' in dashboard.replace("&amp;", "&")
    for path in ("/reports/meetings", "/reports/decisions"):
        page = client.get(f"{path}?start=morgen&page=abc")
        assert page.status_code == 200 and "kein gültiges Datum" in page.text  # the default period instead
        assert client.get(f"{path}?{YEAR}&page=99").status_code == 200
        assert client.get(f"{path}?group=99999").status_code == 404
        assert client.get(f"{path}?group=abc").status_code == 404
    login_as(make.person("member"))
    assert client.get("/reports/meetings").status_code == 403
    assert client.get("/reports/decisions").status_code == 403
