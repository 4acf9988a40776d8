"""Benchmark of concurrent writes (not a test): users writing at once against gunicorn.

    .venv/bin/python bench/concurrency.py [--users 8] [--writes 200] [--database-url URL]

Prepares a fresh database by the migrations (a SQLite file in a temporary folder; with
--database-url a schema of its own in that PostgreSQL database), with one working group whose
`users` members all moderate it, an upcoming meeting they are invited to, a meeting whose minutes
are a draft with one agenda item per user, and a few open action items. Then serves it with the
README's gunicorn command (4 workers, 2 threads) on a free loopback port; every user signs in
through the login form and does `writes` mixed writes, one after the other, all users at once:
an RSVP, a comment on one of the shared action items, the minutes text of their own agenda item
(opened first, as an editor does; the opening is not timed), a new meeting of the group.

Prints writes/s and the p50/p95 latency of the writes, the responses by class (2xx/3xx, 409
conflict pages, other 4xx, 5xx), and whether every write that was answered as done is in the
database (`check`). tests/test_concurrency.py runs the same with fewer writes.
"""
from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Gleichzeitig-2026"
SCHEMA = "concurrency"
ACTION_ITEMS = 3  # shared by all users: several users comment on the same item at once
GUNICORN = ["-c", "gunicorn.conf.py"]  # the README's production settings
KINDS = ("rsvp", "action", "minutes", "meeting")


def database_url(url: str | None, folder: Path) -> str:
    """A SQLite file in `folder`; with a PostgreSQL URL, a fresh schema of its own in that
    database (as the browser tests' live server does), apart from the tests' "public"."""
    if not url:
        return f"sqlite:///{folder / 'concurrency.db'}"
    from portal.database import fresh_schema

    return fresh_schema(url, SCHEMA)


def _app(url: str, folder: Path):
    from portal import create_app

    return create_app({"SECRET_KEY": "concurrency-" + "x" * 32, "SQLALCHEMY_DATABASE_URI": url,
                       "PASSWORD_HASHER": "argon2-fast", "MAIL_OUTBOX": str(folder / "outbox")})


@dataclass
class Data:
    emails: list[str]
    group: int
    upcoming: int
    draft: int
    items: dict[str, int]  # email -> the user's agenda item in the draft minutes
    actions: list[int]


def prepare(url: str, folder: Path, users: int) -> Data:
    """Migrate the empty database and write what the users need."""
    import logging

    from flask_migrate import upgrade

    from portal.actions.models import ActionItem
    from portal.extensions import db
    from portal.groups.models import Membership, WorkingGroup
    from portal.meetings.models import AgendaItem, Meeting, Participation
    from portal.members.models import Person
    from portal.members.passwords import hash_password
    from portal.types import local_today, utcnow

    app = _app(url, folder)
    with app.app_context():
        logging.disable(logging.INFO)  # the migration's progress lines
        upgrade()
        logging.disable(logging.NOTSET)
        s = db.session
        password_hash = hash_password(PASSWORD)
        people = [Person(name=f"Moderation {n}", email=f"moderation{n}@example.org", role="member",
                         password_hash=password_hash) for n in range(users)]
        group = WorkingGroup(name="Reallabor Gleichzeitig", short_name="Gleichzeitig")
        s.add_all([*people, group])
        s.add_all(Membership(person=p, group=group, role="moderator", status="active", joined_at=utcnow())
                  for p in people)
        now = utcnow()
        upcoming = Meeting(kind="group", group=group, number=2, title="Nächste Sitzung",
                           starts_at=now + timedelta(days=20), ends_at=now + timedelta(days=20, hours=2))
        draft = Meeting(kind="group", group=group, number=1, title="Letzte Sitzung", status="held",
                        minutes_status="draft", starts_at=now - timedelta(days=2),
                        ends_at=now - timedelta(days=2) + timedelta(hours=2))
        s.add_all([upcoming, draft])
        s.add_all(Participation(meeting=upcoming, person=p, invited_at=now) for p in people)
        items = [AgendaItem(meeting=draft, position=n + 1, title=f"TOP {n + 1}") for n in range(users)]
        actions = [ActionItem(title=f"Aufgabe {n + 1}", owner=people[n % users], created_by=people[0],
                              group=group, due_on=local_today() + timedelta(days=30))
                   for n in range(ACTION_ITEMS)]
        s.add_all([*items, *actions])
        s.commit()
        data = Data(emails=[p.email for p in people], group=group.id, upcoming=upcoming.id, draft=draft.id,
                    items={p.email: i.id for p, i in zip(people, items, strict=True)}, actions=[a.id for a in actions])
        db.engine.dispose()
    return data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(url: str, folder: Path):
    """The portal served by gunicorn with the README's settings; yields its port."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "concurrency-" + "x" * 32,
           "PASSWORD_HASHER": "argon2-fast", "MAIL_SERVER": "", "MAIL_OUTBOX": str(folder / "outbox"),
           "PORTAL_BASE_URL": f"http://127.0.0.1:{port}", "PORTAL_DEMO": "0"}
    log = open(folder / "gunicorn.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}",
                               "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Client(port).request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{(folder / 'gunicorn.log').read_text()}")
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


class Client:
    """One browser: its cookies and the form token. A new connection for every request, so that
    a recycled worker never leaves a write unanswered but perhaps done."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.csrf = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode({"csrf_token": self.csrf, **form})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text)
        if token:
            self.csrf = token.group(1)
        return response.status, text

    def sign_in(self, email: str) -> None:
        self.request("GET", "/login")
        status, _ = self.request("POST", "/login", {"email": email, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"{email} could not sign in ({status})")
        self.request("GET", "/")  # a token of the signed-in session


@dataclass
class Write:
    kind: str
    status: int
    seconds: float
    user: str
    target: int
    value: str


@dataclass
class User:
    email: str
    data: Data
    writes: int
    seed: int
    days: itertools.count
    results: list[Write] = field(default_factory=list)

    def run(self, port: int, start: threading.Barrier) -> None:
        client = Client(port)
        client.sign_in(self.email)
        rng = random.Random(self.seed)
        start.wait()
        for n in range(self.writes):
            kind = KINDS[(n + self.seed) % len(KINDS)]
            path, form, target, value = getattr(self, f"_{kind}")(client, rng, n)
            began = time.perf_counter()
            status, _ = client.request("POST", path, form)
            self.results.append(Write(kind, status, time.perf_counter() - began, self.email, target, value))

    def _rsvp(self, client, rng, n):
        answer = rng.choice(("accepted", "declined", "tentative"))
        return f"/meetings/{self.data.upcoming}/rsvp", {"answer": answer}, self.data.upcoming, answer

    def _action(self, client, rng, n):
        item = rng.choice(self.data.actions)
        comment = f"{self.email} #{n}"
        return (f"/actions/{item}/update", {"update-status": "open", "update-comment": comment},
                item, comment)

    def _minutes(self, client, rng, n):
        item = self.data.items[self.email]
        path = f"/meetings/{self.data.draft}/minutes"
        _, page = client.request("GET", f"{path}?edit={item}")
        version = re.search(r'name="text-version" type="hidden" value="(\d+)"', page).group(1)
        text = f"Protokoll von {self.email}, Stand {n}"
        return f"{path}/text", {"item": item, "text-version": version, "text-text": text}, item, text

    def _meeting(self, client, rng, n):
        from portal.types import local_today

        day = local_today() + timedelta(days=30 + next(self.days) % 3000)
        title = f"Sitzung von {self.email} #{n}"
        return "/meetings/new", {
            "series": self.data.group, "title": title, "day": day.isoformat(), "start_time": "16:00",
            "end_time": "18:00", "organizer_id": "0", "moderator_id": "0", "minute_taker_id": "0",
        }, self.data.group, title


def drive(port: int, data: Data, writes: int) -> tuple[list[Write], float]:
    """Every user does `writes` writes, all at once; returns the writes and the wall time."""
    days = itertools.count()
    users = [User(email, data, writes, seed, days) for seed, email in enumerate(data.emails)]
    start = threading.Barrier(len(users) + 1)
    threads = [threading.Thread(target=user.run, args=(port, start)) for user in users]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return [w for user in users for w in user.results], time.perf_counter() - began


def status_class(status: int) -> str:
    if status == 409:
        return "409"
    if status < 400:
        return "2xx/3xx"
    return "4xx" if status < 500 else "5xx"


def lost(url: str, folder: Path, data: Data, writes: list[Write]) -> list[str]:
    """What was answered as done but is not in the database: the last accepted RSVP of each
    user, every accepted action-item comment, the last accepted minutes text of each item, every
    accepted new meeting (and the numbers of the series all different)."""
    from sqlalchemy import func, select

    from portal.actions.models import ActionItemEvent
    from portal.extensions import db
    from portal.meetings.models import AgendaItem, Meeting, Participation
    from portal.members.models import Person

    done = [w for w in writes if w.status in (302, 303)]
    problems = []
    with _app(url, folder).app_context():
        last: dict[tuple[str, str], Write] = {}
        for w in done:
            last[w.kind, w.user] = w
        for (kind, email), w in last.items():
            if kind == "rsvp":
                rsvp = db.session.scalar(select(Participation.rsvp).join(Person).where(
                    Participation.meeting_id == w.target, Person.email == email))
                if rsvp != w.value:
                    problems.append(f"RSVP of {email}: {rsvp}, last answered {w.value}")
            if kind == "minutes":
                text = db.session.get(AgendaItem, w.target).minutes_text
                if text != w.value:
                    problems.append(f"minutes of {email}: {text!r}, last saved {w.value!r}")
        comments = set(db.session.scalars(select(ActionItemEvent.comment)))
        problems += [f"comment lost: {w.value}" for w in done if w.kind == "action" and w.value not in comments]
        titles = set(db.session.scalars(select(Meeting.title)))
        problems += [f"meeting lost: {w.value}" for w in done if w.kind == "meeting" and w.value not in titles]
        numbers = db.session.execute(select(Meeting.number, func.count()).where(
            Meeting.group_id == data.group, Meeting.status != "cancelled").group_by(Meeting.number)
            .having(func.count() > 1)).all()
        problems += [f"number {n} given {count} times" for n, count in numbers]
        db.engine.dispose()
    return problems


def report(writes: list[Write], seconds: float) -> str:
    times = sorted(w.seconds * 1000 for w in writes)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    classes = Counter(status_class(w.status) for w in writes)
    lines = [f"{len(writes)} writes in {seconds:.1f} s: {len(writes) / seconds:.0f} writes/s, "
             f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms",
             "responses: " + ", ".join(f"{c} {classes[c]}" for c in ("2xx/3xx", "409", "4xx", "5xx"))]
    for kind in KINDS:
        mine = [w for w in writes if w.kind == kind]
        kind_times = sorted(w.seconds * 1000 for w in mine)
        statuses = Counter(w.status for w in mine)
        lines.append(f"  {kind:<8} {len(mine):>5}  p50 {statistics.median(kind_times):>5.0f} ms  "
                     f"p95 {kind_times[max(0, int(len(mine) * 0.95) - 1)]:>5.0f} ms  "
                     + " ".join(f"{s}×{n}" for s, n in sorted(statuses.items())))
    return "\n".join(lines)


def run(database: str | None, users: int, writes: int, folder: Path) -> tuple[list[Write], float, list[str]]:
    """Prepare, serve, drive; returns the writes, the wall time and what was lost."""
    url = database_url(database, folder)
    data = prepare(url, folder, users)
    with gunicorn(url, folder) as port:
        done, seconds = drive(port, data, writes)
    return done, seconds, lost(url, folder, data, done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--writes", type=int, default=200, help="writes per user")
    parser.add_argument("--database-url", help="PostgreSQL (a schema 'concurrency' is made in it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        writes, seconds, problems = run(args.database_url, args.users, args.writes, Path(tmp))
        engine = "PostgreSQL" if args.database_url else "SQLite"
        print(f"# {engine}, {args.users} users × {args.writes} writes, gunicorn {' '.join(GUNICORN)}")
        print(report(writes, seconds))
        print("lost updates: " + ("none" if not problems else f"{len(problems)}\n  " + "\n  ".join(problems[:20])))
        if any(w.status >= 500 for w in writes):
            print(f"server errors: see the log ({Path(tmp) / 'gunicorn.log'} is removed on exit)")
            print((Path(tmp) / "gunicorn.log").read_text()[-4000:])


if __name__ == "__main__":
    main()
