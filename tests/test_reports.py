"""Progress reports: a small alliance built by hand; every expected figure is computed here, in
the test, from the raw data (by local dates, not by the report's UTC bounds) and compared with the
Report object, the dashboard HTML, the CSV and the PDF text."""
from __future__ import annotations

import csv
import io
import re
import statistics
from datetime import date, datetime, timedelta, timezone

import pypdf
import pytest
from sqlalchemy import insert, select

from portal.actions.models import ActionItem
from portal.extensions import db as _db
from portal.meetings.models import Meeting, Participation
from portal.reports.models import ReportNarrative
from portal.reports.periods import Period, PeriodError, buckets, choose, local_midnight
from portal.reports.progress import build_progress_report
from portal.types import BERLIN
from tests.factories import utc

Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))  # 90 days; the previous period is 2024-10-03..12-31
TODAY = date(2025, 6, 1)


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(timezone.utc)


def local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(BERLIN).date() if moment else None


def within(day: date | None, start: date, end: date) -> bool:
    return day is not None and start <= day <= end


# -- the alliance --------------------------------------------------------------------------------

@pytest.fixture
def alliance(make):
    """Raw facts, kept beside the rows so that the test can count them itself."""
    handwerk = make.organization(name="Tischlerei Kranz", sector="Handwerk")
    handel = make.organization(name="Modehaus Berg", sector="Handel")
    people = {
        "m1": make.person(name="Anna Eins", organization=handwerk, joined_at=berlin(2024, 1, 1), password=None),
        "m2": make.person(name="Ben Zwei", organization=handel, joined_at=berlin(2025, 2, 1), password=None),
        "m3": make.person(name="Cem Drei", joined_at=berlin(2024, 5, 1), left_at=berlin(2025, 3, 15),
                          active=False, password=None),
        "m4": make.person(name="Dora Vier", organization=handwerk, joined_at=berlin(2024, 11, 1), password=None),
        "office": make.person("office", name="Olga Office", joined_at=berlin(2020, 1, 1), password=None),
        "observer": make.person("observer", name="Otto Observer", joined_at=berlin(2020, 1, 1), password=None),
    }
    ga = make.group(name="Handel der Zukunft", short_name="Handel")
    gb = make.group(name="Handwerk digital")
    make.membership(people["m1"], ga, role="moderator", joined_at=berlin(2024, 2, 1))
    make.membership(people["m2"], ga, joined_at=berlin(2025, 2, 10))
    make.membership(people["m3"], ga, status="left", joined_at=berlin(2024, 6, 1), left_at=berlin(2025, 3, 1))
    make.membership(people["m4"], gb, joined_at=berlin(2024, 11, 5))
    goals = [
        make.goal(ga, title="Lieferdienst starten", status="reached", reached_on=date(2025, 3, 31)),
        make.goal(ga, title="Schaufenster", status="reached", reached_on=date(2024, 12, 1)),
        make.goal(ga, title="Lastenrad", status="in_progress"),
        make.goal(gb, title="Werkzeugbörse", status="open"),
    ]

    # meetings: (key, group, local start, status, [(person key or guest, attendance)], decisions)
    specs = [
        ("plenary", None, (2025, 3, 31, 23, 30), "held",
         [("m1", "present"), ("m2", "present"), ("m3", "absent"), ("guest", "present")], 2),
        ("ga_first_day", ga, (2025, 1, 1, 0, 30), "held", [("m1", "present"), ("m4", "excused")], 1),
        ("ga_previous", ga, (2024, 12, 31, 23, 30), "held", [("m1", "present"), ("m3", "present")], 1),
        ("gb_next_day", gb, (2025, 4, 1, 0, 30), "held", [("m4", "present")], 1),
        ("ga_cancelled", ga, (2025, 2, 10, 18, 0), "cancelled", [("m1", "unknown")], 0),
    ]
    meetings = {}
    for key, group, start, status, attendance, decisions in specs:
        minutes = "published" if status == "held" else "none"  # only published decisions count
        meeting = make.meeting(group, starts_at=berlin(*start), status=status, title=key, minutes_status=minutes)
        for who, state in attendance:
            if who == "guest":
                make.participation(meeting, None, guest_name="Gisela Gast", attendance=state)
            else:
                make.participation(meeting, people[who], attendance=state)
        for _ in range(decisions):
            make.decision(meeting)
        meetings[key] = meeting

    # action items: (group, created, due, status, completed)
    action_specs = [
        (ga, berlin(2025, 1, 10, 9), date(2025, 2, 1), "done", berlin(2025, 1, 20, 9)),
        (ga, berlin(2024, 12, 1, 9), date(2025, 1, 15), "done", berlin(2025, 2, 1, 21)),
        (ga, berlin(2025, 2, 1, 9), date(2025, 3, 1), "open", None),
        (ga, berlin(2025, 3, 1, 9), date(2025, 4, 15), "in_progress", None),
        (ga, berlin(2024, 11, 1, 9), date(2024, 12, 15), "cancelled", berlin(2025, 1, 5, 9)),
        (gb, berlin(2025, 3, 5, 9), date(2025, 3, 10), "done", berlin(2025, 4, 2, 9)),
        (None, berlin(2025, 3, 31, 23, 45), date(2025, 3, 20), "open", None),  # plenary, last minutes
    ]
    actions = [make.action_item(people["m1"], group, created_at=created, updated_at=completed or created,
                                due_on=due, status=status, completed_at=completed)
               for group, created, due, status, completed in action_specs]

    louise = make.outcome(ga, title="Louise", status="running", partners="Werbegemeinschaft")
    milestones = [
        make.milestone(louise, title="Pilot", due_on=date(2025, 2, 1), reached_on=date(2025, 2, 3)),
        make.milestone(louise, title="Konzept", due_on=date(2024, 12, 1), reached_on=date(2024, 12, 2)),
        make.milestone(louise, title="Regelbetrieb", due_on=date(2026, 1, 1)),
    ]
    make.outcome(gb, title="Werkzeug-App", status="idea")
    return {
        "people": people, "ga": ga, "gb": gb, "goals": goals, "meetings": meetings, "specs": specs,
        "actions": actions, "action_specs": action_specs, "milestones": milestones,
    }


def expected_figures(world: dict, start: date, end: date, group=None, today: date = TODAY) -> dict:
    """Every key figure, counted from the raw facts of the fixture by local dates."""
    as_of = min(end, today)
    specs = [s for s in world["specs"] if group is None or s[1] is group]
    in_period = [s for s in specs if within(date(*s[2][:3]), start, end)]
    held = [s for s in in_period if s[3] == "held"]
    present = [(who, state) for s in held for who, state in s[4] if state == "present"]
    invited = [(who, state) for s in held for who, state in s[4] if who != "guest"]
    invited_present = [(who, state) for who, state in invited if state == "present"]

    if group is None:
        member_dates = [(p.joined_at, p.left_at) for p in world["people"].values() if p.role == "member"]
    else:
        member_dates = [(m.joined_at, m.left_at) for m in group.memberships]

    def member_on(day, joined, left):
        return local_day(joined) <= day and (left is None or local_day(left) > day)

    actions = [a for a in world["action_specs"] if group is None or a[0] is group]
    done = [a for a in actions if a[3] == "done" and within(local_day(a[4]), start, end)]

    def open_at_end(a):
        created, completed = local_day(a[1]), local_day(a[4])
        closed = a[3] in ("done", "cancelled") and completed <= as_of
        return created <= as_of and not closed

    goals = [g for g in world["goals"] if group is None or g.group_id == group.id]
    milestones = [m for m in world["milestones"] if group is None or m.outcome.group_id == group.id]
    return {
        "meetings_held": len(held),
        "plenary_meetings": sum(1 for s in held if s[1] is None),
        "group_meetings": sum(1 for s in held if s[1] is not None),
        "attendances": len(present),
        "participants": len({who for who, _ in present if who != "guest"}),
        "attendance_rate": len(invited_present) / len(invited) if invited else None,
        "members": sum(member_on(as_of, j, l) for j, l in member_dates),
        "members_joined": sum(within(local_day(j), start, end) for j, _ in member_dates),
        "members_left": sum(within(local_day(l), start, end) for _, l in member_dates),
        "decisions": sum(s[5] for s in in_period),
        "actions_opened": sum(within(local_day(a[1]), start, end) for a in actions),
        "actions_done": len(done),
        "actions_overdue": sum(open_at_end(a) and a[2] < as_of for a in actions),
        "median_days_to_done": statistics.median([(a[4] - a[1]).total_seconds() / 86400 for a in done])
        if done else None,
        "goals_reached": sum(within(g.reached_on, start, end) for g in goals),
        "milestones_reached": sum(within(m.reached_on, start, end) for m in milestones),
    }


def as_dict(figures) -> dict:
    return {name: getattr(figures, name) for name in figures.__dataclass_fields__}


def assert_figures(actual, expected: dict) -> None:
    actual = as_dict(actual)
    for name, value in expected.items():
        if isinstance(value, float):
            assert actual[name] == pytest.approx(value), name
        else:
            assert actual[name] == value, name


# -- the report object ---------------------------------------------------------------------------

def test_report_figures_match_independent_count(alliance):
    report = build_progress_report(Q1, today=TODAY)
    expected = expected_figures(alliance, Q1.start, Q1.end)
    assert_figures(report.figures, expected)
    # spot checks of the fixture's intent, so that a wrong fixture cannot agree with a wrong report
    assert expected["meetings_held"] == 2 and expected["attendances"] == 4 and expected["decisions"] == 3
    assert expected["actions_done"] == 2 and expected["actions_overdue"] == 3
    assert expected["members"] == 3 and expected["members_joined"] == 1 and expected["members_left"] == 1


def test_previous_period_has_same_length_and_its_own_figures(alliance):
    report = build_progress_report(Q1, today=TODAY)
    previous = report.previous_period
    assert previous.end == date(2024, 12, 31) and previous.days == Q1.days
    assert_figures(report.previous, expected_figures(alliance, previous.start, previous.end))
    rows = {row.name: row for row in report.key_figures}
    assert rows["meetings_held"].change == report.figures.meetings_held - report.previous.meetings_held


def test_one_group_counts_only_its_meetings_members_and_actions(alliance):
    ga = alliance["ga"]
    report = build_progress_report(Q1, ga, today=TODAY)
    assert_figures(report.figures, expected_figures(alliance, Q1.start, Q1.end, group=ga))
    assert {row.meeting.title for row in report.meetings} == {"ga_first_day"}
    assert [m.title for m in report.cancelled] == ["ga_cancelled"]
    assert [c.group for c in report.chapters] == [ga]
    assert [o.title for o in report.outcomes] == ["Louise"]


def test_meeting_rows_carry_attendance_per_meeting(alliance):
    report = build_progress_report(Q1, today=TODAY)
    rows = {row.meeting.title: row for row in report.meetings}
    plenary = rows["plenary"]
    assert (plenary.attendances, plenary.invited, plenary.invited_present) == (3, 3, 2)
    assert plenary.rate == pytest.approx(2 / 3)
    assert set(rows) == {"plenary", "ga_first_day"}  # a cancelled meeting is no row


def test_members_by_sector_at_period_end(alliance):
    report = build_progress_report(Q1, today=TODAY)
    # m1, m4 (Handwerk), m2 (Handel); m3 left on 15 March
    assert report.sectors == [("Handwerk", 2), ("Handel", 1)]


def test_chart_series_split_the_period_by_month(alliance):
    report = build_progress_report(Q1, today=TODAY)
    assert [p.bucket.start.month for p in report.attendance] == [1, 2, 3]
    assert [p.attendances for p in report.attendance] == [1, 0, 3]
    assert [(p.opened, p.done) for p in report.actions] == [(1, 1), (1, 1), (3, 0)]


# -- periods: midnight, daylight saving, defaults ------------------------------------------------

@pytest.mark.parametrize("last_day,utc_end", [
    (date(2025, 3, 29), utc(2025, 3, 29, 23)),   # the day before summer time: UTC+1 at midnight
    (date(2025, 3, 30), utc(2025, 3, 30, 22)),   # the 23-hour day
    (date(2025, 10, 26), utc(2025, 10, 26, 23)),  # the 25-hour day
])
def test_period_ends_at_local_midnight_across_daylight_saving(last_day, utc_end):
    assert Period(date(2025, 1, 1), last_day).ends_before == utc_end


@pytest.mark.parametrize("last_day", [date(2025, 3, 30), date(2025, 10, 26), date(2025, 7, 31)])
def test_meeting_at_half_past_eleven_on_the_last_day_belongs_to_the_period(make, last_day):
    late = make.meeting(None, starts_at=berlin(last_day.year, last_day.month, last_day.day, 23, 30),
                        status="held", title="spät")
    next_day = last_day + timedelta(days=1)
    make.meeting(None, starts_at=berlin(next_day.year, next_day.month, next_day.day, 0, 30),
                 status="held", title="nächster Tag")
    report = build_progress_report(Period(last_day - timedelta(days=6), last_day), today=TODAY)
    assert [row.meeting for row in report.meetings] == [late]
    assert report.figures.meetings_held == 1


def test_named_periods_and_defaults(db):
    today = date(2025, 11, 14)
    first = berlin(2016, 3, 10, 17)
    assert choose("quarter", None, None, today=today, first_meeting=first) == Period(
        date(2025, 10, 1), date(2025, 12, 31), "quarter")
    assert choose("year", None, None, today=today, first_meeting=first).start == date(2025, 1, 1)
    phase = choose(None, None, None, today=today, first_meeting=first)
    assert (phase.start, phase.end, phase.kind) == (date(2016, 3, 10), today, "phase")
    assert choose(None, "2025-02-01", None, today=today, first_meeting=first).end == today
    with pytest.raises(PeriodError, match="kein gültiges Datum"):
        choose(None, "2025-02-30", None, today=today, first_meeting=first)
    with pytest.raises(PeriodError, match="vor dem Anfangsdatum"):
        choose(None, "2025-03-01", "2025-02-01", today=today, first_meeting=first)


def test_buckets_grow_from_months_to_quarters_to_years(db):
    assert len(buckets(Period(date(2025, 1, 15), date(2025, 12, 31)))) == 12
    quarters = buckets(Period(date(2016, 3, 10), date(2019, 12, 31)))
    assert (quarters[0].start, quarters[0].end, len(quarters)) == (date(2016, 3, 10), date(2016, 3, 31), 16)
    assert len(buckets(Period(date(2010, 1, 1), date(2025, 6, 1)))) == 16
    assert local_midnight(date(2025, 3, 31)) == utc(2025, 3, 30, 22)


# -- empty period ----------------------------------------------------------------------------------

def test_empty_period_shows_zeros_and_an_explanation(client, login_as, make):
    login_as(make.person("observer"))
    response = client.get("/reports?start=2001-01-01&end=2001-12-31")
    assert response.status_code == 200
    assert "stehen alle Kennzahlen des Zeitraums auf 0" in response.text
    assert figure_cell(response.text, "Treffen abgehalten") == "0"
    assert figure_cell(response.text, "Anwesenheitsquote der Eingeladenen") == "–"
    pdf = client.get("/reports/progress.pdf?start=2001-01-01&end=2001-12-31")
    assert pdf.status_code == 200
    assert "stehen alle Kennzahlen des Zeitraums auf 0" in " ".join(pdf_text(pdf.data).split())


def test_report_object_of_empty_period_is_all_zero(db):
    report = build_progress_report(Period(date(2001, 1, 1), date(2001, 12, 31)), today=TODAY)
    assert report.is_empty and report.figures.meetings_held == 0 and report.figures.attendance_rate is None


# -- dashboard, CSV, PDF: the same figures -------------------------------------------------------

def figure_cell(html: str, label: str) -> str:
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>\s*<td class="num">([^<]*)</td>', html)
    assert match, label
    return match.group(1)


def written(value, kind: str) -> str:
    """A figure the way a German reader sees it, computed here without the portal's helpers."""
    if value is None:
        return "–"
    if kind == "percent":
        return f"{value * 100:.1f}".replace(".", ",") + " %"
    if kind == "days":
        return f"{value:.1f}".replace(".", ",")
    return str(value)


LABELS = {  # key figure -> (label, kind)
    "meetings_held": ("Treffen abgehalten", "count"),
    "attendances": ("Teilnahmen (anwesend, mit Gästen)", "count"),
    "participants": ("Verschiedene Teilnehmende", "count"),
    "attendance_rate": ("Anwesenheitsquote der Eingeladenen", "percent"),
    "members": ("Personen (Mitglieder) am Ende des Zeitraums", "count"),
    "members_joined": ("Personen beigetreten", "count"),
    "members_left": ("Personen ausgetreten", "count"),
    "decisions": ("Beschlüsse", "count"),
    "actions_opened": ("Aufgaben angelegt", "count"),
    "actions_done": ("Aufgaben erledigt", "count"),
    "actions_overdue": ("Aufgaben überfällig am Ende des Zeitraums", "count"),
    "median_days_to_done": ("Median Tage bis erledigt", "days"),
    "goals_reached": ("Ziele erreicht", "count"),
    "milestones_reached": ("Meilensteine erreicht", "count"),
}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def frozen_today(monkeypatch):
    """The views ask portal.types.local_today(); the report's 'end of period' must be stable."""
    import portal.reports.progress as progress
    import portal.reports.views as views
    monkeypatch.setattr(progress, "local_today", lambda: TODAY)
    monkeypatch.setattr(views, "local_today", lambda: TODAY)


def test_dashboard_shows_the_independently_counted_figures(client, login_as, alliance, frozen_today):
    login_as(alliance["people"]["observer"])
    response = client.get("/reports?start=2025-01-01&end=2025-03-31")
    assert response.status_code == 200
    expected = expected_figures(alliance, Q1.start, Q1.end)
    for name, (label, kind) in LABELS.items():
        assert figure_cell(response.text, label) == written(expected[name], kind), name
    assert "<svg" in response.text and 'role="img"' in response.text
    assert "Zahlen zur Grafik „Mitgliedsorganisationen nach Branche“" in response.text
    assert "stehen alle Kennzahlen" not in response.text


def test_csv_has_bom_semicolons_and_the_same_figures(client, login_as, alliance, frozen_today):
    login_as(alliance["people"]["observer"])
    response = client.get("/reports/export.csv?start=2025-01-01&end=2025-03-31")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    rows = {row[0]: row for row in csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";")}
    expected = expected_figures(alliance, Q1.start, Q1.end)
    previous = expected_figures(alliance, date(2024, 10, 3), date(2024, 12, 31))
    for name, (label, kind) in LABELS.items():
        assert rows[label][1] == written(expected[name], kind), name
        assert rows[label][2] == written(previous[name], kind), name


def test_pdf_has_cover_contents_chapters_appendix_and_the_same_figures(client, login_as, alliance, frozen_today):
    office = login_as(alliance["people"]["office"])
    ga = alliance["ga"]
    client.post("/reports?start=2025-01-01&end=2025-03-31", data={"text": "Ein **starkes** Quartal."})
    response = client.get("/reports/progress.pdf?start=2025-01-01&end=2025-03-31")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert "Fortschrittsbericht" in pages[0] and "01.01.2025 – 31.03.2025" in pages[0]
    assert "Seite" not in pages[0]  # no page number on the cover
    assert "Inhalt" in pages[1]
    # table of contents: each entry with the page number its chapter is really on
    for title in ("Bericht der Geschäftsstelle", "Kennzahlen", ga.name, "Anhang"):
        entry = re.search(rf"{re.escape(title)}[ .]*?(\d+)\s*$", pages[1], re.MULTILINE)
        assert entry, title
        page = int(entry.group(1))
        assert title in pages[page - 1], (title, page)
    total = len(pages)
    assert all(f"Seite {n} von {total}" in pages[n - 1] for n in range(2, total + 1))
    assert "Ein starkes Quartal." in text
    expected = expected_figures(alliance, Q1.start, Q1.end)
    notes = {row.name: row.note_number for row in build_progress_report(Q1, today=TODAY).key_figures}
    for name, (label, kind) in LABELS.items():
        ref = f" {notes[name]}" if notes[name] else ""  # the footnote's number after the label
        assert re.search(rf"^{re.escape(label)}{ref} {re.escape(written(expected[name], kind))} ",
                         text.replace("\xa0", " "), re.MULTILINE), name
    for meeting in ("plenary", "ga_first_day", "ga_cancelled"):
        assert meeting in text
    assert "gb_next_day" not in text and "ga_previous" not in text
    assert "Louise" in text and "Verzeichnis der Beschlüsse" in text
    assert office.name  # the narrative was written by the office


# -- no comparison with a period before the alliance ------------------------------------------------

NO_COMPARISON = "Kein Vergleich: Der Vorzeitraum liegt vor dem Beginn der Allianz."


def test_whole_project_phase_shows_no_comparison_with_the_time_before_the_alliance(
        client, login_as, make, frozen_today):
    first = make.meeting(None, starts_at=berlin(2016, 3, 10, 17), status="held", title="1. Plenum")
    make.participation(first, make.person(name="Anna Eins"), attendance="present")
    login_as(make.person("observer"))
    page = client.get("/reports").text  # the default: the whole project phase, 10 March 2016 to today
    assert "Gesamte Projektphase" in page and "10.03.2016" in page
    assert page.count(NO_COMPARISON) == 1
    rest = page.replace(NO_COMPARISON, "")
    assert "Vorzeitraum" not in rest and "Veränderung" not in rest and "verglichen mit" not in rest
    assert figure_cell(page, "Treffen abgehalten") == "1"
    assert not re.search(r'<th scope="row">Treffen abgehalten</th>\s*<td class="num">1</td>\s*<td', page)

    pdf = " ".join(pdf_text(client.get("/reports/progress.pdf?period=phase").data).split())
    assert pdf.count(NO_COMPARISON) == 1
    rest = pdf.replace(NO_COMPARISON, "")
    assert "Vorzeitraum" not in rest and "Veränderung" not in rest and "Vergleich mit" not in rest

    response = client.get("/reports/export.csv?period=phase")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Kennzahl (ganze Allianz)", f"10.03.2016 – {TODAY:%d.%m.%Y}"]
    assert rows[1] == [NO_COMPARISON]
    assert {len(row) for row in rows[2:]} == {2}
    assert ["Treffen abgehalten", "1"] in rows


def test_comparison_exists_once_the_previous_period_reaches_the_first_meeting(make):
    make.meeting(None, starts_at=berlin(2016, 3, 10, 17), status="held")
    from_first_day = build_progress_report(Period(date(2016, 3, 10), date(2016, 3, 19)), today=TODAY)
    assert from_first_day.previous_period is None and from_first_day.previous is None
    assert from_first_day.comparison_note == NO_COMPARISON
    assert all(row.previous is None and row.change is None for row in from_first_day.key_figures)
    next_day = build_progress_report(Period(date(2016, 3, 11), date(2016, 3, 20)), today=TODAY)
    assert next_day.previous_period == Period(date(2016, 3, 1), date(2016, 3, 10), "previous")
    assert next_day.comparison_note is None and next_day.previous.meetings_held == 1


def test_without_any_meeting_there_is_no_comparison(db):
    report = build_progress_report(Period(date(2025, 1, 1), date(2025, 3, 31)), today=TODAY)
    assert report.previous_period is None and report.comparison_note == NO_COMPARISON


# -- decisions: only those of published minutes ---------------------------------------------------

MINUTES_STATES = ("published", "approved", "in_review", "draft", "none")


@pytest.fixture
def minutes_in_every_state(make):
    """One held meeting of a group in Q1 per minutes state, each with one decision named after it."""
    group = make.group(name="Handel der Zukunft")
    meetings = {}
    for day, state in enumerate(MINUTES_STATES, start=3):
        meeting = make.meeting(group, starts_at=berlin(2025, 2, day, 18), status="held",
                               minutes_status=state, title=f"Sitzung {state}")
        make.decision(meeting, text=f"Beschlusstext {state}")
        meetings[state] = meeting
    return meetings


def test_observer_sees_only_decisions_of_published_minutes(client, login_as, make, minutes_in_every_state,
                                                           frozen_today):
    login_as(make.person("observer"))
    unpublished = [s for s in MINUTES_STATES if s != "published"]
    for state in unpublished:  # the observer may not read these minutes ...
        assert client.get(f"/meetings/{minutes_in_every_state[state].id}/minutes").status_code == 403, state
    query = "start=2025-01-01&end=2025-03-31"
    page = client.get(f"/reports?{query}").text  # ... so the report must not show their decisions
    pdf = " ".join(pdf_text(client.get(f"/reports/progress.pdf?{query}").data).split())
    rows = {row[0]: row for row in csv.reader(io.StringIO(
        client.get(f"/reports/export.csv?{query}").data.decode("utf-8-sig")), delimiter=";")}
    assert "Beschlusstext published" in page and "Beschlusstext published" in pdf
    for state in unpublished:
        assert f"Beschlusstext {state}" not in page and f"Beschlusstext {state}" not in pdf, state
    assert figure_cell(page, "Beschlüsse") == "1" and rows["Beschlüsse"][1] == "1"
    chapters = re.search(r'<table class="chapters">.*?</table>', page, re.DOTALL).group(0)
    assert re.search(r"Handel der Zukunft</a></th>\s*<td class=\"num\">5</td>\s*<td class=\"num\">1</td>", chapters)
    listed = client.get(f"/reports/decisions?{query}").text  # the full list: the same decisions
    assert "Beschlusstext published" in listed and "1 Beschluss<" in listed
    assert not any(f"Beschlusstext {state}" in listed for state in unpublished)
    report = build_progress_report(Q1, today=TODAY)
    assert report.figures.decisions == 1 and [d.text for d in report.decisions] == ["Beschlusstext published"]
    assert {row.meeting.title: len(row.decisions) for row in report.meetings} == {
        f"Sitzung {state}": int(state == "published") for state in MINUTES_STATES}
    assert [len(c.decisions) for c in report.chapters] == [0, 1]  # plenary, the group


# -- narrative -----------------------------------------------------------------------------------

def test_office_writes_narrative_kept_with_its_period(client, login_as, alliance):
    office = login_as(alliance["people"]["office"])
    url = "/reports?start=2025-01-01&end=2025-03-31"
    response = client.post(url, data={"text": "Das Quartal war **gut**."})
    assert response.status_code == 302
    page = client.get(url).text
    assert "Das Quartal war <strong>gut</strong>." in page
    narrative = _db.session.scalars(select(ReportNarrative)).one()
    assert narrative.author_id == office.id and narrative.group_id is None
    other = client.get("/reports?start=2025-01-01&end=2025-03-30").text
    assert "Das Quartal war" not in other
    grouped = client.get(f"{url}&group={alliance['ga'].id}").text
    assert "Das Quartal war" not in grouped
    client.post(url, data={"text": "  "})
    assert _db.session.scalars(select(ReportNarrative)).all() == []


def test_period_without_narrative_shows_none(client, login_as, alliance):
    login_as(alliance["people"]["observer"])
    page = client.get("/reports?start=2025-01-01&end=2025-03-31").text
    assert "Bericht der Geschäftsstelle" not in page


def test_group_narrative_is_shown_in_the_group_report_and_its_chapter(client, login_as, alliance):
    login_as(alliance["people"]["office"])
    ga = alliance["ga"]
    client.post(f"/reports?start=2025-01-01&end=2025-03-31&group={ga.id}", data={"text": "Louise läuft."})
    assert "Louise läuft." in client.get(f"/reports?start=2025-01-01&end=2025-03-31&group={ga.id}").text
    report = build_progress_report(Q1, today=TODAY)
    chapter = next(c for c in report.chapters if c.group is ga)
    assert chapter.narrative.text == "Louise läuft." and report.narrative is None


# -- bad input, permissions ----------------------------------------------------------------------

@pytest.mark.parametrize("query,message", [
    ("start=2025-13-01", "kein gültiges Datum"),
    ("start=gestern&end=2025-01-01", "kein gültiges Datum"),
    ("start=2025-03-01&end=2025-01-01", "vor dem Anfangsdatum"),
    ("start=1200-01-01", "muss zwischen"),
])
def test_bad_dates_give_a_message_and_the_default_period(client, login_as, make, query, message):
    login_as(make.person("observer"))
    response = client.get(f"/reports?{query}")
    assert response.status_code == 200
    assert message in response.text and "Gesamte Projektphase" in response.text
    pdf = client.get(f"/reports/progress.pdf?{query}")
    assert pdf.status_code == 302 and "/reports?" in pdf.headers["Location"]
    csv_response = client.get(f"/reports/export.csv?{query}")
    assert csv_response.status_code == 302


@pytest.mark.parametrize("page", ["progress.pdf", "export.csv"])
def test_way_back_from_a_bad_period_is_built_from_period_and_group_only(client, login_as, make, page):
    login_as(make.person("observer"))
    group = make.group()
    tricks = "&_external=1&_scheme=https&_anchor=x&next=https://evil.example.org/"
    response = client.get(f"/reports/{page}?start=2025-13-01&group={group.id}{tricks}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reports?period=phase&group={group.id}"
    without_group = client.get(f"/reports/{page}?start=morgen&_scheme=javascript")
    assert without_group.status_code == 302 and without_group.headers["Location"] == "/reports?period=phase"
    assert "kein gültiges Datum" in client.get("/reports?period=phase").text  # the flashed message


def test_unknown_group_is_404(client, login_as, make):
    login_as(make.person("observer"))
    assert client.get("/reports?group=99999").status_code == 404
    assert client.get("/reports?group=abc").status_code == 404


def test_observer_reads_and_exports_but_cannot_write_anything(client, login_as, alliance):
    login_as(alliance["people"]["observer"])
    louise = alliance["milestones"][0].outcome
    for url in ("/reports", "/reports/export.csv", "/outcomes", f"/outcomes/{louise.id}"):
        assert client.get(url).status_code == 200, url
    writes = [
        ("/reports?start=2025-01-01&end=2025-03-31", {"text": "Nein"}),
        ("/outcomes/new", {"title": "Fremd", "status": "idea"}),
        (f"/outcomes/{louise.id}/edit", {"title": "Umbenannt", "status": "stopped"}),
    ]
    for url, data in writes:
        assert client.post(url, data=data).status_code == 403, url
    assert client.get("/outcomes/new").status_code == 403
    assert _db.session.scalars(select(ReportNarrative)).all() == []
    assert louise.title == "Louise" and louise.status == "running"


# -- a constant number of queries ----------------------------------------------------------------

def _bulk_alliance(db, make, size: int, group=None) -> None:
    """`size` meetings (of `group` or a new one) with ten participants and two action items each,
    inserted in bulk."""
    group = group or make.group()
    people = [make.person(password=None) for _ in range(10)]
    base = berlin(2024, 1, 1, 18)
    meetings = [{"kind": "group", "group_id": group.id, "title": f"T{i}", "status": "held",
                 "starts_at": base + timedelta(days=3 * i), "ends_at": base + timedelta(days=3 * i, hours=2),
                 "minutes_status": "none", "ical_sequence": 0, "minutes_version": 0}
                for i in range(size)]
    db.session.execute(insert(Meeting), meetings)
    ids = db.session.scalars(select(Meeting.id).where(Meeting.group_id == group.id)).all()
    db.session.execute(insert(Participation), [
        {"meeting_id": m, "person_id": p.id, "attendance": "present", "rsvp": "accepted"}
        for m in ids for p in people])
    db.session.execute(insert(ActionItem), [
        {"title": f"A{i}", "owner_id": people[0].id, "group_id": group.id, "due_on": date(2024, 6, 1),
         "status": "done" if i % 2 else "open", "created_at": base + timedelta(days=i),
         "updated_at": base + timedelta(days=i), "completed_at": base + timedelta(days=i + 5) if i % 2 else None}
        for i in range(2 * size)])
    for i in range(3):
        make.decision(db.session.get(Meeting, ids[i]))


def test_printed_report_keeps_long_lists_out_of_tables(app, db, make):
    """Long tables are WeasyPrint's slow path: the PDF's tables must not grow with the meetings."""
    from portal.reports.document import printable
    period = Period(date(2024, 1, 1), date(2025, 12, 31))
    group, sizes = make.group(), []
    for size in (5, 60):
        _bulk_alliance(db, make, size, group)
        db.session.expire_all()
        report = build_progress_report(period, today=TODAY)
        with app.test_request_context():
            html = printable(report).html
        sizes.append((len(report.meetings), html.count("<tr"), html.count("<li")))
    (few, few_rows, few_items), (many, many_rows, many_items) = sizes
    assert many > few and many_items > few_items  # the meetings are all there ...
    assert many_rows == few_rows  # ... but not as table rows


def test_report_and_dashboard_queries_do_not_grow_with_the_data(db, make, client, login_as, count_queries):
    observer = login_as(make.person("observer", password=None))
    period = Period(date(2024, 1, 1), date(2025, 12, 31))
    counts = []
    for size in (5, 60):
        _bulk_alliance(db, make, size)
        db.session.expire_all()
        with count_queries() as report_queries:
            report = build_progress_report(period, today=TODAY)
        with count_queries() as page_queries:
            assert client.get("/reports?start=2024-01-01&end=2025-12-31").status_code == 200
        counts.append((report_queries.count, page_queries.count, report.figures.meetings_held))
    (small_report, small_page, small_held), (big_report, big_page, big_held) = counts
    assert big_held > small_held
    assert small_report == big_report
    assert small_page == big_page
    assert observer.role == "observer"
