"""Benchmark of the progress report (not a test): dashboard and PDF for the whole project phase,
and the dashboard and PDF of the funding phase with its Sachbericht (?phase=).

    /work/venv/bin/python bench/report.py [--runs 5] [--scale 10]

Builds two alliances in temporary SQLite databases with bulk inserts: one like the demo (about
50 members, 3 working groups, 7 plenaries and 21 group meetings, 80 action items) and one `scale`
times its size in every dimension. For each it prints the median wall time of GET /reports and
GET /reports/progress.pdf (as the observer, through the Flask test client), their CPU time (steadier
than wall time on a shared machine) and the peak memory: the peak of Python allocations during one
request (tracemalloc) and the peak resident set size of a fresh worker process that served only that
page (so WeasyPrint's native memory is included; measured before tracemalloc is switched on).
From about 6 x on, the PDF is the report too long to print in full (REPORT_PRINT_ENTRIES: its groups
as one table, its lists as attached files), so its figures are not comparable with runs before that
existed; bench/queued_report.py measures it through the job worker.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BERLIN_OFFSET = timedelta(hours=1)  # good enough for synthetic start times
SECTORS = ("Handwerk", "Handel", "Dienstleistung", "Industrie", "Gründung", "Wissenschaft",
           "Verwaltung", "Politik", "Sonstige")
PHASE_START = date(2016, 3, 10)
PHASE_END = date(2019, 12, 31)


def _app(db_path: str):
    """The portal on the SQLite file `db_path`, or on the database URL `db_path` (bench/pages.py)."""
    from portal import create_app

    url = db_path if "://" in db_path else f"sqlite:///{db_path}"
    return create_app({
        "SECRET_KEY": "bench-secret-of-at-least-32-characters", "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False, "PASSWORD_HASHER": "argon2-fast",
        "REPORT_INLINE_MEETINGS": 10**9,  # measure the rendering itself, not the job queue
    })


def _at(day: date, hour: int = 17) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=timezone.utc) - BERLIN_OFFSET


def build(db_path: str, scale: int, seed: int = 2016) -> dict:
    """A demo-like alliance times `scale`, inserted in bulk; returns what was made."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from portal.actions.models import ActionItem
    from portal.extensions import db
    from portal.groups.models import GroupGoal, Membership, WorkingGroup
    from portal.meetings.models import Decision, Meeting, Participation
    from portal.members.models import Organization, Person
    from portal.reports.models import FundingPhase, Milestone, Outcome, ReportNarrative

    rng = random.Random(seed)
    app = _app(db_path)
    with app.app_context():
        logging.disable(logging.INFO)  # the migration's progress lines
        upgrade()
        logging.disable(logging.NOTSET)
        s = db.session
        orgs = [{"name": f"Betrieb {i} GmbH", "sector": SECTORS[i % len(SECTORS)]} for i in range(45 * scale)]
        s.execute(insert(Organization), orgs)
        org_ids = s.scalars(select(Organization.id)).all()
        span = (PHASE_END - PHASE_START).days
        people = [{"name": f"Mitglied {i}", "email": f"m{i}@example.org", "role": "member",
                   "organization_id": org_ids[i % len(org_ids)],
                   "joined_at": _at(PHASE_START + timedelta(days=rng.randrange(span))),
                   "left_at": _at(PHASE_END - timedelta(days=rng.randrange(200))) if i % 25 == 0 else None}
                  for i in range(50 * scale)]
        people.append({"name": "Beobachtung", "email": "observer@example.org", "role": "observer",
                       "joined_at": _at(PHASE_START)})
        s.execute(insert(Person), people)
        member_ids = s.scalars(select(Person.id).where(Person.role == "member")).all()
        observer_id = s.scalar(select(Person.id).where(Person.role == "observer"))

        s.execute(insert(WorkingGroup), [{"name": f"Reallabor {g}", "short_name": f"RL {g}"}
                                         for g in range(3 * scale)])
        group_ids = s.scalars(select(WorkingGroup.id)).all()
        s.execute(insert(GroupGoal), [
            {"group_id": g, "position": p, "title": f"Ziel {p}", "status": ("open", "in_progress", "reached")[p % 3],
             "reached_on": date(2018, 6, 30) if p % 3 == 2 else None}
            for g in group_ids for p in range(3)])
        members_of = {g: rng.sample(member_ids, min(len(member_ids), 17)) for g in group_ids}
        s.execute(insert(Membership), [
            {"person_id": p, "group_id": g, "role": "moderator" if i == 0 else "member", "status": "active",
             "joined_at": _at(PHASE_START + timedelta(days=200))}
            for g, ps in members_of.items() for i, p in enumerate(ps)])

        meetings = []
        for n in range(7 * scale):
            day = PHASE_START + timedelta(days=n * span // (7 * scale))
            meetings.append({"kind": "plenary", "group_id": None, "number": n + 1, "title": f"{n + 1}. Plenum",
                             "starts_at": _at(day), "ends_at": _at(day, 20), "status": "held",
                             "minutes_status": "published"})
        for g in group_ids:
            for n in range(7):
                day = PHASE_START + timedelta(days=300 + n * (span - 300) // 7 + g % 5)
                meetings.append({"kind": "group", "group_id": g, "number": n + 1, "title": f"{n + 1}. Sitzung",
                                 "starts_at": _at(day), "ends_at": _at(day, 19), "status": "held",
                                 "minutes_status": "published"})
        s.execute(insert(Meeting), meetings)
        rows = s.execute(select(Meeting.id, Meeting.group_id, Meeting.starts_at)).all()
        participations, decisions = [], []
        for meeting_id, group_id, _start in rows:
            invitees = members_of[group_id] if group_id else rng.sample(member_ids, min(len(member_ids), 49 * scale))
            for person_id in invitees:
                participations.append({"meeting_id": meeting_id, "person_id": person_id, "rsvp": "accepted",
                                       "attendance": "present" if rng.random() < 0.7 else "excused"})
            decisions += [{"meeting_id": meeting_id, "number": k + 1,
                           "text": f"Die Allianz beschließt Punkt {k + 1} und berichtet im nächsten Treffen."}
                          for k in range(1 if group_id is None else 2)]
        s.execute(insert(Participation), participations)
        s.execute(insert(Decision), decisions)

        actions = []
        for i in range(80 * scale):
            meeting_id, group_id, start = rows[i % len(rows)]
            created = start + timedelta(hours=2)
            due = (created + timedelta(days=rng.randint(21, 90))).date()
            status = rng.choice(("done", "done", "done", "open", "in_progress", "cancelled"))
            closed = created + timedelta(days=rng.randint(5, 80)) if status in ("done", "cancelled") else None
            actions.append({"title": f"Aufgabe {i}", "owner_id": rng.choice(member_ids), "group_id": group_id,
                            "meeting_id": meeting_id, "due_on": due, "status": status, "created_at": created,
                            "updated_at": closed or created, "completed_at": closed})
        s.execute(insert(ActionItem), actions)
        s.execute(insert(Outcome), [{"title": f"Projekt {i}", "status": ("idea", "running", "completed")[i % 3],
                                     "group_id": group_ids[i % len(group_ids)], "partners": "Stadt, Hochschule",
                                     "description": "Ein Ergebnis aus dem Reallabor."} for i in range(3 * scale)])
        outcome_ids = s.scalars(select(Outcome.id)).all()
        s.execute(insert(Milestone), [{"outcome_id": o, "title": f"Meilenstein {k}",
                                       "due_on": date(2017 + k, 6, 1),
                                       "reached_on": date(2017 + k, 6, 10) if k < 2 else None}
                                      for o in outcome_ids for k in range(3)])
        s.execute(insert(ReportNarrative), [{"period_start": PHASE_START, "period_end": date.today(),
                                             "text": "Die Allianz hat sich etabliert. " * 20}])
        phase = FundingPhase(name="Projektphase 2016–2019", starts_on=PHASE_START, ends_on=PHASE_END,
                             funder="Bundesministerium", reference="03SF0561A", goals="- Ziel\n" * 4)
        s.add(phase)
        s.flush()
        s.execute(insert(ReportNarrative), [
            {"period_start": PHASE_START, "period_end": PHASE_END, "phase_id": phase.id, "section": key,
             "text": "Die Allianz hat in dieser Phase viel erreicht. " * 15}
            for key in ("situation", "activities", "results", "deviations")])  # "outlook" left unwritten
        s.commit()
        return {"observer_id": observer_id, "phase_id": phase.id, "members": len(member_ids), "meetings": len(rows),
                "participations": len(participations), "decisions": len(decisions), "actions": len(actions)}


def measure(db_path: str, observer_id: int, url: str, runs: int) -> dict:
    """Median wall and CPU time over `runs` requests after a warm-up, the RSS peak of those
    requests, then the Python peak of one more request (traced last: tracemalloc's own
    bookkeeping would inflate the RSS peak). A PDF is rendered anew for every request (its stored
    copy is forgotten first): what is measured is the rendering, not the stored copy served."""
    from sqlalchemy import delete

    from portal.auth import sessions
    from portal.documents.models import StoredDocument
    from portal.extensions import db
    from portal.members.models import Person

    app = _app(db_path)
    client = app.test_client()
    with app.app_context():
        observer = db.session.get(Person, observer_id)
        sessions.start(observer)  # the id names a server-side session
        db.session.commit()
        user_id = observer.get_id()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
    def forget_stored() -> None:
        if ".pdf" in url:
            with app.app_context():
                db.session.execute(delete(StoredDocument))
                db.session.commit()

    baseline_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    forget_stored()
    response = client.get(url)  # warm-up: templates, fonts
    assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _ in range(runs):
        forget_stored()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    forget_stored()
    tracemalloc.start()
    client.get(url)
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"median_s": statistics.median(times), "cpu_s": statistics.median(cpu),
            "python_peak_mb": python_peak / 2**20, "rss_peak_mb": rss_peak / 1024,
            "rss_before_mb": baseline_rss / 1024, "bytes": len(response.data)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--worker", nargs=3, metavar=("DB", "OBSERVER", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("PORTAL_DEMO", "1")
    if args.worker:
        db_path, observer, url = args.worker
        print(json.dumps(measure(db_path, int(observer), url, args.runs)))
        return

    urls = {"dashboard": "/reports?period=phase", "pdf": f"/reports/progress.pdf?start={PHASE_START}&end={date.today()}"}
    print(f"{'alliance':<18}{'page':<11}{'median':>9}{'cpu':>9}{'py peak':>10}{'RSS peak':>10}{'size':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for name, scale in (("demo-like", 1), (f"{args.scale}x", args.scale)):
            db_path = str(Path(tmp) / f"bench-{scale}.db")
            started = time.perf_counter()
            made = build(db_path, scale)
            print(f"# {name}: {made['members']} members, {made['meetings']} meetings, {made['participations']} "
                  f"participations, {made['decisions']} decisions, {made['actions']} action items "
                  f"(built in {time.perf_counter() - started:.1f} s)")
            pages = {**urls, "phase": f"/reports?phase={made['phase_id']}",
                     "phase-pdf": f"/reports/progress.pdf?phase={made['phase_id']}"}
            for page, url in pages.items():
                out = subprocess.run([sys.executable, __file__, "--runs", str(args.runs), "--worker", db_path,
                                      str(made["observer_id"]), url], capture_output=True, text=True, check=True)
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"{name:<18}{page:<11}{r['median_s'] * 1000:>7.0f}ms{r['cpu_s'] * 1000:>7.0f}ms"
                      f"{r['python_peak_mb']:>8.1f}MB"
                      f"{r['rss_peak_mb']:>8.0f}MB{r['bytes'] / 1024:>8.0f}kB")


if __name__ == "__main__":
    main()
