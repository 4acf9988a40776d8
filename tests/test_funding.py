"""Funding phases and their Sachbericht: organizations counted by hand, narratives found by their
phase whatever "today" is, empty sections flagged, and an English report without German words."""
from __future__ import annotations

import io
import re
from datetime import date, datetime, timezone

import pypdf
import pytest
from sqlalchemy import func, select

from portal.extensions import db as _db
from portal.reports.models import FundingPhase, ReportNarrative
from portal.reports.phases import phase_period
from portal.reports.progress import build_progress_report
from portal.types import BERLIN

# the phase ends on the day summer time ends (2019-10-27 has 25 hours in Berlin)
START, END = date(2016, 1, 1), date(2019, 10, 27)


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(timezone.utc)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def frozen(monkeypatch):
    """Set "today" as the views and the report see it (as tests/test_reports.py does)."""
    import portal.reports.progress as progress
    import portal.reports.views as views

    def freeze(day: date) -> None:
        monkeypatch.setattr(progress, "local_today", lambda: day)
        monkeypatch.setattr(views, "local_today", lambda: day)
    freeze(date(2026, 12, 4))
    return freeze


@pytest.fixture
def world(make):
    """Six organizations whose members join and leave around the phase's boundaries.

    Counted by hand for the phase 2016-01-01 .. 2019-10-27:
    A  Handwerk        member since 2015, stays                 -> member at the end, not joined
    B  Handel          first member 2017, one of two leaves     -> joined, member at the end
    C  Industrie       joins 2016, leaves 23:30 on the last day -> joined and left in the phase
    D  Dienstleistung  joins 00:30 the day after the end        -> nothing
    E  Handel          joined 2014, left 2015                   -> nothing
    F  Wissenschaft    joins 2016, leaves 2020                  -> joined, member at the end
    At the end: 3 organizations (Handwerk 1, Handel 1, Wissenschaft 1); joined 3; left 1.
    Only B has someone in a working group: share 1/3. The one held meeting has members of A and B
    present and a guest without an account: 2 organizations. A cancelled meeting counts nothing.
    """
    orgs = {key: make.organization(name=f"Org {key}", sector=sector) for key, sector in
            {"A": "Handwerk", "B": "Handel", "C": "Industrie", "D": "Dienstleistung", "E": "Handel",
             "F": "Wissenschaft"}.items()}

    def member(key, joined, left=None):
        return make.person("member", organization=orgs[key], joined_at=joined, left_at=left)

    a1 = member("A", berlin(2015, 6, 1, 12))
    b1 = member("B", berlin(2017, 3, 1, 12), berlin(2018, 6, 1, 12))
    b2 = member("B", berlin(2018, 1, 1, 12))
    member("C", berlin(2016, 5, 1, 12), berlin(2019, 10, 27, 23, 30))
    member("D", berlin(2019, 10, 28, 0, 30))
    member("E", berlin(2014, 1, 1, 12), berlin(2015, 1, 1, 12))
    member("F", berlin(2016, 2, 1, 12), berlin(2020, 3, 1, 12))
    group = make.group(name="Handel der Zukunft")
    make.membership(b2, group, joined_at=berlin(2018, 2, 1, 12))
    held = make.meeting(None, starts_at=berlin(2018, 5, 1, 17), status="held", minutes_status="published",
                        title="Plenum im Mai")
    for person in (a1, b1, b2):
        make.participation(held, person, attendance="present")
    make.participation(held, guest_name="Gabi Gast", guest_organization="Hochschule", attendance="present")
    decision = make.decision(held, text="Die Allianz gründet das Projekt Louise.", votes_yes=12, votes_no=0,
                             votes_abstain=1)
    make.action_item(b2, None, decision_id=decision.id, due_on=date(2018, 6, 1), status="done",
                     completed_at=berlin(2018, 5, 30, 12), created_at=berlin(2018, 5, 1, 20))
    make.action_item(a1, None, decision_id=decision.id, due_on=date(2018, 6, 1), status="done",
                     completed_at=berlin(2018, 6, 2, 12), created_at=berlin(2018, 5, 1, 20))
    make.meeting(group, starts_at=berlin(2018, 9, 1, 17), status="cancelled", title="Abgesagte Sitzung")
    phase = make.phase(name="Projektphase 2016–2019", starts_on=START, ends_on=END,
                       funder="Bundesministerium für Bildung und Forschung", reference="03K1234",
                       goals="Eine **Allianz** aufbauen.")
    return {"phase": phase, "group": group, "decision": decision, "office": make.person("office"),
            "observer": make.person("observer", locale="en")}


def test_organizations_counted_by_hand_across_the_phase_boundaries(world, frozen):
    report = build_progress_report(phase_period(world["phase"]), phase=world["phase"], today=date(2026, 12, 4))
    f = report.figures
    assert (f.organizations, f.organizations_joined, f.organizations_left) == (3, 3, 1)
    assert report.organization_sectors == [("Handwerk", 1), ("Handel", 1), ("Wissenschaft", 1)]
    assert f.organizations_in_groups == pytest.approx(1 / 3)
    assert f.meetings_held == 1 and f.organizations_per_meeting == 2
    assert [row.organizations for row in report.meetings] == [2]
    assert [m.title for m in report.cancelled] == ["Abgesagte Sitzung"]
    assert (f.decisions, f.decision_actions, f.decision_actions_on_time) == (1, 2, 1)


def test_phase_ending_a_day_later_counts_the_organization_that_joined_after_midnight(world, frozen):
    phase = world["phase"]
    phase.ends_on = date(2019, 10, 28)
    f = build_progress_report(phase_period(phase), phase=phase, today=date(2026, 12, 4)).figures
    assert (f.organizations, f.organizations_joined, f.organizations_left) == (4, 4, 1)


def test_narrative_of_a_phase_is_found_after_the_calendar_moves_on(client, login_as, world, frozen):
    login_as(world["office"])
    phase = world["phase"]
    frozen(date(2019, 10, 1))  # written while the phase was running
    client.post(f"/reports?phase={phase.id}", data={"text": "Die Allianz ist **gewachsen**."})
    assert _db.session.scalar(select(func.count(ReportNarrative.id))
                              .where(ReportNarrative.phase_id == phase.id)) == 1
    frozen(date(2026, 12, 4))  # years later
    page = client.get(f"/reports?phase={phase.id}")
    assert "Die Allianz ist <strong>gewachsen</strong>." in page.text
    phase.ends_on = date(2019, 12, 31)  # the phase's dates corrected: still its narrative
    assert "gewachsen" in client.get(f"/reports?phase={phase.id}").text
    # the same dates as a plain period are another report, with a narrative of its own
    assert "gewachsen" not in client.get("/reports?start=2016-01-01&end=2019-12-31").text


def test_sachbericht_shows_empty_sections_and_the_pdf_marks_them_not_written(client, login_as, world, frozen):
    login_as(world["office"])
    phase = world["phase"]
    response = client.post(f"/reports/phases/{phase.id}/sachbericht",
                           data={"situation": "Bottrop im Strukturwandel.", "results": "Louise läuft."})
    assert response.status_code == 302
    page = client.get(f"/reports/phases/{phase.id}/sachbericht").text
    assert "3 Abschnitte sind noch leer" in page
    for title in ("Maßnahmen und Aktivitäten", "Abweichungen vom Plan", "Ausblick"):
        assert f"<li>{title}</li>" in page
    text = pdf_text(client.get(f"/reports/progress.pdf?phase={phase.id}").data)
    assert text.count("Noch nicht verfasst.") == 3
    assert "Bottrop im Strukturwandel." in text and "Louise läuft." in text
    assert "Bundesministerium für Bildung und Forschung" in text and "03K1234" in text
    assert "Projektphase 2016–2019" in text.split("Inhalt")[0]  # on the cover
    # the decision is printed once; the appendix refers to it
    assert text.count("Die Allianz gründet das Projekt Louise.") == 1
    assert "12 Ja-Stimmen, 0 Nein-Stimmen, 1 Enthaltung" in text
    # the cancelled meeting is listed apart, never as held
    assert text.count("Abgesagte Sitzung") == 1


GERMAN = ("Seite", "Stand", "Sachbericht", "Kennzahl", "Treffen", "Beschluss", "Mitglied", "Organisationen",
          "Anhang", "Inhalt", "Zeitraum", "Fördermittelgeber", "Förderkennzeichen", "noch nicht verfasst",
          "Ausgangslage", "Ausblick", "Ergebnisse", "Grafiken", "Plenum", "Reallabor", "Branche", "Enthaltung",
          "Aufgaben", "Erläuterungen", "abgehalten", "Anwesend", "Uhr")


def test_english_pdf_has_no_german_labels(client, login_as, world, frozen):
    login_as(world["observer"])
    response = client.get(f"/reports/progress.pdf?phase={world['phase'].id}")
    assert response.status_code == 200
    text = pdf_text(response.data)
    # the data stay as written (names of phases, groups, meetings, decisions); the labels do not
    for data in ("Projektphase 2016–2019", "Bundesministerium für Bildung und Forschung", "Handel der Zukunft",
                 "Die Allianz gründet das Projekt Louise.", "Plenum im Mai", "Abgesagte Sitzung"):
        text = text.replace(data, "")
    found = [word for word in GERMAN if re.search(rf"\b{word}", text)]
    assert not found, found
    pages = len(pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert f"Page {pages} of {pages}" in text and "As of" in text


def test_phase_with_its_end_before_its_start_is_refused_at_the_field(client, login_as, world):
    login_as(world["office"])
    before = _db.session.scalar(select(func.count(FundingPhase.id)))
    response = client.post("/reports/phases/new", data={"name": "Falsch herum", "starts_on": "2021-01-01",
                                                        "ends_on": "2020-01-01"})
    assert response.status_code == 422
    assert "Das Ende liegt vor dem Beginn." in response.text and 'value="Falsch herum"' in response.text
    assert _db.session.scalar(select(func.count(FundingPhase.id))) == before


def test_phase_name_is_unique(client, login_as, world):
    login_as(world["office"])
    response = client.post("/reports/phases/new", data={"name": "Projektphase 2016–2019",
                                                        "starts_on": "2016-01-01", "ends_on": "2019-12-31"})
    assert response.status_code == 422 and "Eine Förderphase dieses Namens gibt es schon." in response.text


def test_deleting_a_phase_deletes_its_texts(client, login_as, world, frozen):
    login_as(world["office"])
    phase = world["phase"]
    client.post(f"/reports/phases/{phase.id}/sachbericht", data={"outlook": "Weiter so."})
    client.post(f"/reports/phases/{phase.id}/delete", data={"confirm": "yes"})
    assert _db.session.scalar(select(func.count(ReportNarrative.id))) == 0
    assert _db.session.get(FundingPhase, phase.id) is None


def test_observer_reads_phases_but_cannot_write(client, login_as, world):
    login_as(world["observer"])
    assert client.get("/reports/phases").status_code == 200
    assert client.post(f"/reports/phases/{world['phase'].id}/sachbericht", data={"outlook": "x"}).status_code == 403


def test_phase_report_queries_do_not_grow_with_the_data(client, login_as, world, make, count_queries, frozen):
    login_as(world["office"])
    url = f"/reports?phase={world['phase'].id}"
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for n in range(6):
        org = make.organization(name=f"Weitere {n}")
        person = make.person("member", organization=org, joined_at=berlin(2017, 1, 1, 12))
        meeting = make.meeting(world["group"], starts_at=berlin(2017, 2, n + 1, 17), status="held")
        make.participation(meeting, person, attendance="present")
        make.decision(meeting)
    client.get(url)  # the dashboard is built anew for the new data and kept (test_dashboard_cache: flat too)
    with count_queries() as large:
        client.get(url)
    assert large.count == small.count


def test_sachbericht_of_a_past_phase_does_not_claim_goals_reached_later(world, make, frozen):
    make.goal(world["group"], title="Lieferdienst", status="reached", reached_on=date(2019, 10, 27))
    make.goal(world["group"], title="Lastenrad", status="reached", reached_on=date(2019, 10, 28))
    report = build_progress_report(phase_period(world["phase"]), phase=world["phase"], today=date(2026, 12, 4))
    situation = next(s for s in report.sachbericht if s.key == "situation")
    assert situation.items == ["Handel der Zukunft: Lieferdienst – erreicht am 27.10.2019",
                               "Handel der Zukunft: Lastenrad – im Zeitraum nicht erreicht (erst am 28.10.2019)"]
    assert situation.text is None and "Eine **Allianz** aufbauen." == situation.markdown
    outlook = next(s for s in report.sachbericht if s.key == "outlook")
    assert outlook.facts == [("Am Ende des Zeitraums offene Ziele der Reallabore", "1")]  # Lastenrad, reached later


def test_sachbericht_lists_say_what_they_list_apart_from_the_figure_above_them(world, make, frozen):
    """The milestones that came late are not the overdue action items whose count stands above them."""
    outcome = make.outcome(title="Louise", group=world["group"])
    make.milestone(outcome, title="Pilot", due_on=date(2018, 9, 30), reached_on=date(2018, 10, 12))
    make.milestone(outcome, title="Regelbetrieb", due_on=date(2027, 4, 4))
    report = build_progress_report(phase_period(world["phase"]), phase=world["phase"], today=date(2026, 12, 4))
    sections = {s.key: s for s in report.sachbericht}
    deviations, outlook = sections["deviations"], sections["outlook"]
    assert deviations.facts[0][0] == "Aufgaben überfällig am Ende des Zeitraums"
    assert deviations.items_title.startswith("Meilensteine, die im Zeitraum fällig waren")
    assert deviations.items == ["Louise: „Pilot“ fällig am 30.09.2018, erreicht am 12.10.2018"]
    assert outlook.items_title == "Meilensteine, die nach dem Zeitraum fällig sind"
    assert outlook.items == ["Louise: „Regelbetrieb“ geplant bis 04.04.2027"]
