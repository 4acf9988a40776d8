"""Benchmark of the minutes PDF (a script, not a test).

Builds a large meeting in a temporary SQLite database (15 agenda items, 60 attendees,
40 action items, long minutes), renders its PDF several times and prints the median render
time, the pages, the peak memory and how the time splits between the portal (queries,
template) and WeasyPrint; then archives it and times serving the stored PDF.

    /work/venv/bin/python bench/pdf.py [--runs 5] [--out /tmp/minutes.pdf]
"""
from __future__ import annotations

import argparse
import io
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from portal import create_app  # noqa: E402
from portal.actions.models import ActionItem, CarriedActionItem  # noqa: E402
from portal.auth import sessions  # noqa: E402
from portal.documents import minutes_pdf  # noqa: E402
from portal.documents.render import render_pdf  # noqa: E402
from portal.extensions import db  # noqa: E402
from portal.groups.models import WorkingGroup  # noqa: E402
from portal.meetings.models import AgendaItem, Decision, Meeting, Participation  # noqa: E402
from portal.members.models import Organization, Person  # noqa: E402
from portal.minutes.data import load_minutes  # noqa: E402

LONG_MINUTES = """Frau Beispiel berichtet über den Stand des Projekts **Louise**: Die Software läuft
bei zwölf Geschäften der Innenstadt im Testbetrieb, die Rückmeldungen sind überwiegend positiv.
Die Lieferung per Lastenrad funktioniert an Werktagen zuverlässig; am Samstag fehlen Fahrer.

In der Aussprache werden folgende Punkte genannt:

- Die Händler wünschen sich eine gemeinsame Abholstation am Altmarkt.
- Die Kosten der Zustellung sollen transparent auf die Beteiligten verteilt werden.
- Die Hochschule bietet an, die Touren mit Studierenden auszuwerten.
- Die Stadtverwaltung prüft, ob eine Ladezone in der Hochstraße eingerichtet werden kann.

Herr Muster ergänzt, dass die Fördermittel bis Ende des Jahres gebunden sein müssen. Die
Anwesenden sind sich einig, dass ein Zwischenbericht an das Ministerium vorbereitet wird.
Offen bleibt, wer die Pflege der Produktdaten übernimmt; dazu wird im nächsten Treffen
berichtet. Die Diskussion zeigt, dass der Austausch zwischen Handel, Handwerk und Verwaltung
weiter gestärkt werden soll, und dass kleinere Betriebe Unterstützung bei der Digitalisierung
ihrer Warenwirtschaft benötigen.
"""


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def build_meeting() -> Meeting:
    """One large group meeting, added with few flushes (bulk-ish)."""
    orgs = [Organization(name=f"Betrieb {n} GmbH", sector="Handel") for n in range(20)]
    people = [Person(name=f"Vorname{n} Nachname{n}", email=f"p{n}@example.org",
                     organization=orgs[n % 20], role="office" if n == 0 else "member")
              for n in range(64)]
    group = WorkingGroup(name="Handel der Zukunft")
    earlier = Meeting(kind="group", group=group, number=6, title="Vorige Sitzung",
                      starts_at=utc(2030, 1, 10, 16), ends_at=utc(2030, 1, 10, 18), status="held")
    meeting = Meeting(kind="group", group=group, number=7, title="Stadtlogistik und Projekt Louise",
                      starts_at=utc(2030, 3, 10, 16), ends_at=utc(2030, 3, 10, 19), status="held",
                      location="Rathaus Bottrop, Ernst-Wilczok-Platz 1", room="Kammersaal",
                      moderator=people[1], minute_taker=people[0], minutes_status="approved",
                      approved_at=utc(2030, 3, 20, 9), approved_by=people[0])
    db.session.add_all([*orgs, *people, group, earlier, meeting])
    states = ["present"] * 40 + ["excused"] * 12 + ["absent"] * 8
    db.session.add_all(Participation(meeting=meeting, person=people[n], attendance=state)
                       for n, state in enumerate(states))
    db.session.add_all(Participation(meeting=meeting, guest_name=f"Gast {n}",
                                     guest_organization="Stadt Bottrop", attendance="present")
                       for n in range(3))
    items = [AgendaItem(meeting=meeting, position=n + 1, title=f"Thema {n + 1}: Stadtlogistik",
                        kind="discussion", planned_minutes=10 + n % 3 * 10, presenter=people[n + 2],
                        minutes_text=LONG_MINUTES) for n in range(15)]
    db.session.add_all(items)
    decisions = [Decision(meeting=meeting, agenda_item=items[n], number=n + 1,
                          text=f"Die Gruppe beschließt, Maßnahme {n + 1} umzusetzen.",
                          votes_yes=30, votes_no=2, votes_abstain=3) for n in range(10)]
    db.session.add_all(decisions)
    db.session.add_all(ActionItem(title=f"Aufgabe {n + 1}: Angebot einholen und berichten",
                                  owner=people[n % 40], group=group, meeting=meeting,
                                  agenda_item=items[n % 15], due_on=date(2030, 4, 1) + timedelta(days=n))
                       for n in range(40))
    old = [ActionItem(title=f"Offene Aufgabe {n + 1}", owner=people[n], group=group, meeting=earlier,
                      due_on=date(2030, 2, 1)) for n in range(10)]
    db.session.add_all(old)
    db.session.add_all(CarriedActionItem(meeting=meeting, action_item=item, status="in_progress",
                                         note="Stand berichtet") for item in old)
    db.session.commit()
    return meeting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", help="write the rendered PDF here")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret-of-at-least-32-characters", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db",
                          "MAIL_SERVER": "", "MAIL_OUTBOX": f"{tmp}/outbox"})
        with app.app_context():
            upgrade()
            meeting = build_meeting()
            base_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            html_times, weasy_times, query_times = [], [], []
            pdf = b""
            for run in range(args.runs + 1):  # the first run warms fonts and templates up
                db.session.expire_all()
                start = time.perf_counter()
                data = load_minutes(meeting)
                loaded = time.perf_counter()
                html = minutes_pdf.minutes_html(data)
                built = time.perf_counter()
                pdf = render_pdf(html, minutes_pdf.document_title(meeting))
                done = time.perf_counter()
                if run:
                    query_times.append(loaded - start)
                    html_times.append(built - start)
                    weasy_times.append(done - built)
            peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            if args.out:
                Path(args.out).write_bytes(pdf)

            html_ms, weasy_ms = statistics.median(html_times) * 1000, statistics.median(weasy_times) * 1000
            total = html_ms + weasy_ms
            print(f"minutes PDF: {pages} pages, {len(pdf) / 1024:.0f} KiB, {len(html) / 1024:.0f} KiB of HTML, "
                  f"median of {args.runs} runs")
            print(f"  total        {total:8.1f} ms  ({pages / total * 1000:.1f} pages/s)")
            print(f"  portal       {html_ms:8.1f} ms  ({html_ms / total:.1%}; queries "
                  f"{statistics.median(query_times) * 1000:.1f} ms, template the rest)")
            print(f"  WeasyPrint   {weasy_ms:8.1f} ms  ({weasy_ms / total:.1%})")
            print(f"  peak memory  {peak_mib:8.1f} MiB resident (process; "
                  f"{peak_mib - base_mib:.0f} MiB more than before rendering)")

            # the stored PDF, as a download
            meeting = db.session.get(Meeting, meeting.id)
            meeting.minutes_status, meeting.published_at = "published", utc(2030, 3, 21, 9)
            meeting.published_by = meeting.approved_by
            minutes_pdf.archive_minutes(meeting)
            sessions.start(meeting.approved_by)
            db.session.commit()
            meeting_id, office_user_id = meeting.id, meeting.approved_by.get_id()
        # outside the app context above, so that each request gets its own (and its own user)
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = office_user_id, True
        url = f"/meetings/{meeting_id}/minutes.pdf"
        serve_times = []
        for _ in range(50):
            start = time.perf_counter()
            response = client.get(url)
            serve_times.append(time.perf_counter() - start)
            assert response.status_code == 200 and response.data.startswith(b"%PDF"), response.status_code
        print(f"  stored PDF   {statistics.median(serve_times) * 1000:8.2f} ms per download "
              f"(median of 50, through the Flask test client)")


if __name__ == "__main__":
    main()
