"""Issue 21: the dashboard /reports is kept per data version (portal.reports.dashboard_cache).

What is served from the table equals the page rendered in one piece from a report built now; every
kind of edit the report shows is there on the next request; a request costs the same number of
queries at two data sizes, stored or built; a slow dashboard whose data changed is shown with its
time ("Stand") and built anew by the job worker; the data version is one query that reads no
participation."""
from __future__ import annotations

import itertools
import os
import threading
from datetime import date

import pytest
from flask import render_template
from flask_login import login_user
from sqlalchemy import func, select, update

from bench import concurrency
from portal.change_log import WINDOW
from portal.jobs import worker
from portal.jobs.models import Job
from portal.meetings.models import Participation
from portal.reports import changes, dashboard_cache, display, phases
from portal.reports.charts import charts_for
from portal.reports.dashboard_models import DashboardEntry, DataChange
from portal.reports.forms import NarrativeForm
from portal.reports.periods import KINDS, PRESETS, Period
from portal.reports.progress import build_progress_report
from tests.test_reports import alliance, berlin  # noqa: F401  (the fixture)

Q1 = Period(date(2025, 1, 1), date(2025, 3, 31))
URL = "/reports?start=2025-01-01&end=2025-03-31"


def _content(html: str) -> str:
    """The page's own content: from its heading to the end of <main> (the rest is base.html's)."""
    return html[html.index("<h1>"):html.index("</main>")]


def _direct(app, person, period: Period = Q1, group=None, phase=None) -> str:
    """The dashboard as templates/reports/index.html renders it in one piece from a report built
    now, for `person`: the way it was rendered before the cache."""
    with app.test_request_context("/reports"):
        login_user(person)
        report = build_progress_report(period, group, phase=phase)
        writer = person.role == "office"
        form = NarrativeForm(formdata=None, data={"text": report.narrative.text if report.narrative else ""})
        html = render_template(
            "reports/index.html", report=report, charts=charts_for(report), error=None,
            filter_form=dashboard_cache.filter_form(period, group), narrative_form=form if writer else None,
            kinds=KINDS, presets=PRESETS, args=dashboard_cache.args(period, group, phase),
            group_arg=dashboard_cache.group_args(group), phases=phases.all_phases(), **display.helpers())
    return _content(html)


def _page(client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["observer", "office"])
def test_the_stored_dashboard_equals_the_one_rendered_in_one_piece(app, client, login_as, alliance, db, role):
    person = login_as(alliance["people"][role])
    built = _page(client)  # built in the request and stored
    assert db.session.scalar(select(func.count(DashboardEntry.id))) == 1
    stored = _page(client)
    assert _content(stored) == _content(built) == _direct(app, person)
    assert ("Ergebnis erfassen" in stored) == (role == "office")
    assert ('name="text"' in stored) == (role == "office")  # the narrative form


def _decision(world, make, db):
    make.decision(world["meetings"]["plenary"], text="Ein neuer Beschluss.")


def _attendance(world, make, db):
    absent = db.session.scalar(select(Participation).where(Participation.attendance == "absent"))
    absent.attendance = "present"


def _attendance_in_bulk(world, make, db):
    db.session.execute(update(Participation).where(Participation.attendance == "excused")
                       .values(attendance="present"))


def _outcome(world, make, db):
    make.outcome(world["ga"], title="Neues Ergebnis", status="completed")


def _goal(world, make, db):
    world["goals"][2].reached_on = date(2025, 2, 2)


def _organization(world, make, db):
    world["people"]["m1"].organization.sector = "Industrie"


def _membership_left(world, make, db):
    world["people"]["m4"].left_at = berlin(2025, 2, 1)


def _meeting_cancelled(world, make, db):
    world["meetings"]["ga_first_day"].status = "cancelled"


def _milestone(world, make, db):
    world["milestones"][2].reached_on = date(2025, 3, 3)


@pytest.mark.parametrize("edit", [_decision, _attendance, _attendance_in_bulk, _outcome, _goal, _organization,
                                  _membership_left, _meeting_cancelled, _milestone])
def test_an_edit_shows_on_the_next_request(app, client, login_as, alliance, make, db, edit):
    observer = login_as(alliance["people"]["observer"])
    _page(client)
    before = _content(_page(client))  # stored
    edit(alliance, make, db)
    db.session.commit()
    after = _content(_page(client))
    assert after != before
    assert after == _direct(app, observer)


def test_the_office_narrative_shows_on_the_next_request(client, login_as, alliance):
    login_as(alliance["people"]["office"])
    _page(client)
    client.post(URL, data={"text": "Das Quartal war **gut**."})
    assert "Das Quartal war <strong>gut</strong>." in _page(client)
    login_as(alliance["people"]["observer"])
    assert "Das Quartal war <strong>gut</strong>." in _page(client)


def test_a_sachbericht_text_shows_on_the_next_request(client, login_as, alliance, make):
    login_as(alliance["people"]["office"])
    phase = make.phase(name="Phase eins", starts_on=date(2025, 1, 1), ends_on=date(2025, 3, 31))
    url = f"/reports?phase={phase.id}"
    _page(client, url)
    client.post(f"/reports/phases/{phase.id}/sachbericht", data={"outlook": "Weiter mit dem Lastenrad."})
    assert "Weiter mit dem Lastenrad." in _page(client, url)


def test_each_language_and_selection_has_its_own_entry(client, login_as, alliance, db):
    observer = login_as(alliance["people"]["observer"])
    german = _page(client)
    group = _page(client, URL + f"&group={alliance['ga'].id}")
    observer.locale = "en"  # changes no version: the reports do not show it
    db.session.commit()
    english = _page(client)
    assert "<h1>Fortschrittsbericht</h1>" in german and "<h1>Progress report</h1>" in english
    assert "<h1>Fortschrittsbericht: Handel der Zukunft</h1>" in group
    assert db.session.scalar(select(func.count(DashboardEntry.id))) == 3
    assert _page(client) == english


def test_signing_in_changes_no_version(client, login_as, alliance, db):
    version = changes.version()
    login_as(alliance["people"]["observer"])
    alliance["people"]["observer"].last_login_at = berlin(2025, 6, 1)
    db.session.commit()
    assert changes.version() == version


def test_the_data_version_is_one_query_that_reads_no_participation(alliance, db, count_queries):
    with count_queries() as counter:
        dashboard_cache.data_version()
    assert counter.count == 1
    assert "participations" not in counter.statements[0]


def test_a_request_costs_the_same_queries_at_two_sizes_stored_or_built(app, client, login_as, alliance, make, db,
                                                                        count_queries):
    login_as(alliance["people"]["observer"])
    counts = []
    for size in (1, 2):
        for n in range(6 * size):
            person = make.person("member", organization=make.organization(name=f"Betrieb {size}-{n}"),
                                 joined_at=berlin(2024, 1, 1))
            meeting = make.meeting(alliance["ga"], starts_at=berlin(2025, 2, n + 1, 17), status="held",
                                   minutes_status="published")
            make.participation(meeting, person, attendance="present")
            make.decision(meeting)
        db.session.commit()
        with count_queries() as built:
            _page(client)
        with count_queries() as stored:
            _page(client)
        counts.append((built.count, stored.count))
    assert counts[0] == counts[1]
    assert counts[0][1] < counts[0][0]


def test_a_slow_dashboard_is_shown_as_it_stood_while_the_worker_builds_it(app, client, login_as, alliance, make, db,
                                                                         monkeypatch):
    observer = login_as(alliance["people"]["observer"])
    monkeypatch.setitem(app.config, "DASHBOARD_INLINE_MS", 0)  # every dashboard counts as slow
    before = _content(_page(client))
    make.decision(alliance["meetings"]["plenary"], text="Ein neuer Beschluss.")
    db.session.commit()
    stale = _page(client)
    assert "Stand:" in stale and "wird gerade neu berechnet" in stale
    assert _content(stale).replace(_stand_note(stale), "") == before
    _page(client)  # asked again: no second job
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == dashboard_cache.JOB_KIND)) == 1

    worker.run_due(db.session, app.config, kinds=(dashboard_cache.JOB_KIND,))
    fresh = _page(client)
    assert "Stand:" not in fresh
    assert _content(fresh) == _direct(app, observer) != before


def _stand_note(html: str) -> str:
    start = html.index('<p class="flash" role="status">Stand:')
    return html[start:html.index("</p>", start) + len("</p>")]


def test_without_a_worker_the_request_builds_it_after_the_wait(app, client, login_as, alliance, make, db,
                                                              monkeypatch):
    observer = login_as(alliance["people"]["observer"])
    monkeypatch.setitem(app.config, "DASHBOARD_INLINE_MS", 0)
    monkeypatch.setitem(app.config, "DASHBOARD_REFRESH_WAIT_S", -1)  # the wait is over at once
    _page(client)
    make.decision(alliance["meetings"]["plenary"], text="Ein neuer Beschluss.")
    db.session.commit()
    assert "Stand:" in _page(client)  # asks the worker
    fresh = _page(client)  # nobody built it: the request does
    assert "Stand:" not in fresh and _content(fresh) == _direct(app, observer)


def test_an_old_dashboard_of_unchanged_data_is_shown_without_a_note_and_built_anew(app, client, login_as, alliance,
                                                                                  db, monkeypatch):
    login_as(alliance["people"]["observer"])
    monkeypatch.setitem(app.config, "DASHBOARD_INLINE_MS", 0)
    first = _page(client)
    built_at = db.session.scalar(select(DashboardEntry.built_at))
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_AGE_S", -1)  # older than allowed: an edit the log missed?
    again = _page(client)
    assert "Stand:" not in again and _content(again) == _content(first)
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == dashboard_cache.JOB_KIND)) == 1
    worker.run_due(db.session, app.config, kinds=(dashboard_cache.JOB_KIND,))
    db.session.expire_all()
    assert db.session.scalars(select(DashboardEntry.built_at)).one() > built_at


def test_an_old_quick_dashboard_is_built_anew_in_the_request(app, client, login_as, alliance, db, monkeypatch):
    login_as(alliance["people"]["observer"])
    first = _page(client)
    built_at = db.session.scalar(select(DashboardEntry.built_at))
    monkeypatch.setitem(app.config, "DOCUMENT_MAX_AGE_S", -1)
    assert _content(_page(client)) == _content(first)
    db.session.expire_all()
    assert db.session.scalars(select(DashboardEntry.built_at)).one() > built_at
    assert db.session.scalar(select(func.count(Job.id)).where(Job.kind == dashboard_cache.JOB_KIND)) == 0


def test_old_changes_are_forgotten_without_changing_the_version(alliance, db):
    db.session.execute(DataChange.__table__.insert(), [{"created_at": berlin(2025, 1, 1)}] * (3 * WINDOW))
    version = changes.version()
    changes.forget_old()
    assert changes.version() == version
    assert db.session.scalar(select(func.count(DataChange.id))) <= 2 * WINDOW


# -- against a real server: readers of the dashboard while others write (bench/concurrency.py) -------

DATABASES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
                          else [])
OFFICE = "geschaeftsstelle-gleichzeitig@example.org"


def _add_office(url: str, folder) -> None:
    from portal.extensions import db
    from portal.members.models import Person
    from portal.members.passwords import hash_password

    app = concurrency._app(url, folder)
    with app.app_context():
        db.session.add(Person(name="Geschäftsstelle", email=OFFICE, role="office",
                              password_hash=hash_password(concurrency.PASSWORD)))
        db.session.commit()
        db.engine.dispose()


def _stored(url: str, folder) -> tuple[list[str], str, int]:
    """(versions of the stored dashboards, the newest last; the data version now, refresh jobs)."""
    from portal.extensions import db

    app = concurrency._app(url, folder)
    with app.app_context():
        versions = list(db.session.scalars(select(DashboardEntry.version).order_by(DashboardEntry.id)))
        result = versions, dashboard_cache.data_version(), db.session.scalar(
            select(func.count(Job.id)).where(Job.kind == dashboard_cache.JOB_KIND))
        db.engine.dispose()
    return result


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("inline_ms", ["1000", "0"])  # built in the request / shown as it stood
def test_readers_of_the_dashboard_get_no_server_error_while_others_write(database, inline_ms, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("DASHBOARD_INLINE_MS", inline_ms)
    url = concurrency.database_url(os.environ["TEST_DATABASE_URL"] if database == "postgresql" else None, tmp_path)
    data = concurrency.prepare(url, tmp_path, 6)
    _add_office(url, tmp_path)
    statuses: list[int] = []
    done = threading.Event()

    def read(port: int) -> None:
        client = concurrency.Client(port)
        client.sign_in(OFFICE)
        for n in itertools.count():
            if done.is_set() and n >= 3:
                return
            statuses.append(client.request("GET", "/reports")[0])

    with concurrency.gunicorn(url, tmp_path) as port:
        readers = [threading.Thread(target=read, args=(port,)) for _ in range(3)]
        for reader in readers:
            reader.start()
        writes, _ = concurrency.drive(port, data, 8)
        done.set()
        for reader in readers:
            reader.join()
        last = concurrency.Client(port)
        last.sign_in(OFFICE)
        final_status, final = last.request("GET", "/reports")

    assert len(statuses) >= 3 * len(readers) and set(statuses) == {200}, statuses
    # the writes' own 5xx are test_concurrency's; one is known and not the dashboard's: on PostgreSQL two
    # comments on the same action item at once may both insert its search document (portal.search.engines
    # .write deletes, then inserts: "uq_search_documents_kind_object_id")
    assert [w for w in writes if w.status >= 500 and not (database == "postgresql" and w.kind == "action")] == []
    assert final_status == 200
    versions, now, jobs = _stored(url, tmp_path)
    # one dashboard was asked for: one entry, older versions forgotten; but the readers' first builds
    # (nothing to show yet) may commit at the same moment, and on PostgreSQL neither then sees the
    # other's entry to forget it (the next store does): at most one entry per reader (SQLite has one
    # writer at a time)
    assert len(versions) == 1 if database == "sqlite" else 1 <= len(versions) <= len(readers), versions
    if inline_ms == "1000":
        assert versions[-1] == now and "Stand:" not in final
    else:  # every change after the first build was shown as it stood; a job asked for, not one per page:
        # one, or one more per reader whose first build (there was nothing to show) was kept after the ask
        assert 1 <= jobs <= len(readers) < len(statuses), (jobs, len(statuses))
        assert ("Stand:" in final) == (versions[-1] != now)
