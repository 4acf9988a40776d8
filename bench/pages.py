"""Benchmark of the main pages (not a test): throughput as a ratio to /healthz, CPU, queries, size.

    .venv/bin/python bench/pages.py [--scales 1 100] [--database-url URL] [--duration 10]
                                    [--connections 8] [--pdf-scales 1 10 100]

For each scale it builds an alliance with bench/report.py's bulk generator (scale 1 is demo-sized:
about 50 members, 3 working groups, 28 meetings), adds an office login, and serves it with the
README's production command (`gunicorn -c gunicorn.conf.py wsgi:app`). In the same run it serves
bench/anchor.py — a minimal Flask page that runs 4 queries and renders a template — with the same
settings. Every page is loaded with `wrk -t2 -c<connections> -d<duration>s` as the office; the table
shows requests per second as a ratio to /healthz of the same run, the server's CPU time per request
(its processes' user + system time over the run divided by the requests), the number of SQL
statements and the size of one response (both from one request through the Flask test client), and
how many workers gunicorn booted during the measurements (a recycled worker shows as a boot).
wrk asks for the same page again and again, which the portal serves as kept for the viewer while
nothing changed (portal.kept_pages); what rendering a page costs when it is not kept is the column
"render ms": the median time of one request through the test client with nothing kept.
With --pdf-scales it then times the progress report PDF of the whole phase and the minutes PDF of the
largest plenary in a fresh child process each, with that process's peak RSS.

The database is a SQLite file in a temporary folder, or with --database-url (PostgreSQL) a schema of
its own in that database, made anew for each scale.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402  (after the path is set)
from bench.concurrency import Client, free_port  # noqa: E402

PASSWORD = "Seiten-Bench-2026"
OFFICE_EMAIL = "bench-office@example.org"
SCHEMA = "bench_pages"
PAGES = ("/", "/members", "/organizations", "/groups", "/groups/{group}", "/meetings",
         "/meetings/{plenary}", "/meetings/{plenary}/minutes", "/meetings/{plenary}/moderate",
         "/actions", "/actions/mine", "/reports", "/calendar/{token}.ics")
PHASE = f"start={report.PHASE_START.isoformat()}&end={report.PHASE_END.isoformat()}"


def database_url(base: str | None, folder: Path, scale: int) -> str:
    if not base:
        return f"sqlite:///{folder / f'pages-{scale}.db'}"
    from portal.database import fresh_schema

    return fresh_schema(base, f"{SCHEMA}_{scale}")


def prepare(url: str, scale: int) -> dict:
    """The synthetic alliance at `scale`, an office login with a feed token, the pages' ids."""
    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.meetings.models import Meeting, Participation
    from portal.members.models import Person
    from portal.members.passwords import hash_password

    made = report.build(url, scale)
    app = report._app(url)
    with app.app_context():
        office = Person(name="Bench Geschäftsstelle", email=OFFICE_EMAIL, role="office",
                        password_hash=hash_password(PASSWORD))
        db.session.add(office)
        db.session.commit()
        invitees = func.count(Participation.id)
        plenary = db.session.execute(
            select(Meeting.id).join(Participation).where(Meeting.kind == "plenary")
            .group_by(Meeting.id).order_by(invitees.desc(), Meeting.id.desc()).limit(1)).scalar()
        group = db.session.scalar(select(Meeting.group_id).where(Meeting.group_id.is_not(None)).limit(1))
        return {**made, "plenary": plenary, "group": group, "token": office.calendar_token}


def paths(ids: dict) -> list[str]:
    return [page.format(**ids) for page in PAGES]


def portal_env(url: str, folder: Path, port: int) -> dict:
    """The environment of the portal's processes (server and job worker) on `url`."""
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-pages-" + "x" * 32,
            "PORTAL_BASE_URL": f"http://127.0.0.1:{port}", "PORTAL_DEMO": "0", "MAIL_SERVER": "",
            "MAIL_OUTBOX": str(folder / "outbox"), "GUNICORN_ACCESSLOG": "", "PYTHONPATH": str(ROOT)}


@contextmanager
def serve(app_module: str, url: str, folder: Path, name: str):
    """gunicorn with gunicorn.conf.py on a free port; yields (port, pid, log path)."""
    port = free_port()
    log = folder / f"{name}.log"
    env = portal_env(url, folder, port)
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                                   "--bind", f"127.0.0.1:{port}", app_module],
                                  cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_until_up(port, server, log)
            yield port, server.pid, log
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_until_up(port: int, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if Client(port).request("GET", "/healthz")[0] == 200:
                return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")
        time.sleep(0.2)


def cpu_seconds(master: int) -> float:
    """User + system time of gunicorn's master and its workers so far."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    for pid in [str(master), *children]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


def boots(log: Path) -> int:
    return log.read_text().count("Booting worker")


def wrk(port: int, path: str, cookie: str, duration: int, connections: int) -> float:
    """Requests per second that wrk measured for `path`."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-H", f"Cookie: {cookie}",
               f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError(f"{path} answered with errors under load:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def signed_in_cookie(port: int) -> str:
    client = Client(port)
    client.request("GET", "/login")
    status, _ = client.request("POST", "/login", {"email": OFFICE_EMAIL, "password": PASSWORD})
    if status != 302:
        raise RuntimeError(f"the office could not sign in ({status})")
    return "; ".join(f"{k}={v}" for k, v in client.cookies.items())


def rendered(url: str, pages: list[str], runs: int = 15) -> dict[str, tuple[int, int, int, float]]:
    """(status, SQL statements, bytes, median ms) of rendering each page, through the test client
    with no page kept."""
    from sqlalchemy import event

    from portal import kept_pages
    from portal.extensions import db

    app = report._app(url)
    app.config["WTF_CSRF_ENABLED"] = False
    app.extensions.pop(kept_pages.EXTENSION, None)
    client = app.test_client()
    client.post("/login", data={"email": OFFICE_EMAIL, "password": PASSWORD})
    results = {}
    with app.app_context():
        counter = {"n": 0}

        def count(*_args):
            counter["n"] += 1

        event.listen(db.engine, "before_cursor_execute", count)
        for path in pages:
            client.get(path)  # warm-up
            counter["n"] = 0
            response = client.get(path)
            statements = counter["n"]
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            results[path] = (response.status_code, statements, len(response.data), statistics.median(times))
        event.remove(db.engine, "before_cursor_execute", count)
    return results


def measure_pages(url: str, ids: dict, folder: Path, duration: int, connections: int) -> tuple[list, dict]:
    pages = paths(ids)
    static = rendered(url, pages)
    rows = []
    with serve("bench.anchor:app", url, folder, "anchor") as (anchor_port, _, _):
        anchor = wrk(anchor_port, "/anchor", "", duration, connections)
    with serve("wsgi:app", url, folder, "portal") as (port, pid, log):
        cookie = signed_in_cookie(port)
        booted = boots(log)
        healthz = wrk(port, "/healthz", cookie, duration, connections)
        rows.append(("/healthz (1.00)", healthz, 1.0, None, None, None, None))
        rows.append(("anchor: 4 queries + template", anchor, anchor / healthz, None, None, 4, None))
        for path in pages:
            before = cpu_seconds(pid)
            rate = wrk(port, path, cookie, duration, connections)
            # no answer within wrk's timeout: the page is too slow to measure this way
            cpu_ms = (cpu_seconds(pid) - before) / (rate * duration) * 1000 if rate else None
            status, queries, size, render_ms = static[path]
            rows.append((path if status == 200 else f"{path} ({status})", rate, rate / healthz, cpu_ms,
                         render_ms, queries, size))
        restarts = boots(log) - booted
    return rows, {"worker boots during the run": restarts}


def print_pages(scale: int, database: str, rows: list, notes: dict) -> None:
    print(f"\n## {database}, scale {scale}")
    print("| page | req/s | × /healthz | CPU ms/req | render ms | queries | bytes |")
    print("|---|---|---|---|---|---|---|")
    for path, rate, ratio, cpu, render_ms, queries, size in rows:
        cpu_text = f"{cpu:.1f}" if cpu is not None else ""
        render_text = f"{render_ms:.1f}" if render_ms is not None else ""
        print(f"| {path} | {rate:.0f} | {ratio:.2f} | {cpu_text} | {render_text} "
              f"| {queries if queries is not None else ''} | {size if size is not None else ''} |")
    for key, value in notes.items():
        print(f"{key}: {value}")


def pdf_child(url: str, path: str) -> None:
    """In a fresh process: sign in, time one GET of the PDF, print JSON (time, bytes, status)."""
    app = report._app(url)
    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/login", data={"email": OFFICE_EMAIL, "password": PASSWORD})
    start = time.perf_counter()
    response = client.get(path)
    # VmHWM: this process's own peak since it started; the rusage of wait4 would also hold the
    # parent's size when it forked (Linux keeps it across exec), and the parent built the alliance
    peak = int(re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text()).group(1))
    print(json.dumps({"seconds": time.perf_counter() - start, "bytes": len(response.data),
                      "status": response.status_code, "peak_rss_mb": peak / 1024}))


def measure_pdf(url: str, path: str) -> dict:
    """Wall time and peak RSS of a fresh process that renders `path` once."""
    child = subprocess.Popen([sys.executable, __file__, "--pdf-child", url, path], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "PORTAL_DEMO": "1"})
    out = child.stdout.read()
    child.wait()
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="*", default=[1, 100])
    parser.add_argument("--pdf-scales", type=int, nargs="*", default=[])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--pdf-child", nargs=2, metavar=("URL", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ.setdefault("PORTAL_DEMO", "1")
    if args.pdf_child:
        pdf_child(*args.pdf_child)
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed: apt-get install wrk")
    database = "PostgreSQL" if args.database_url else "SQLite"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for scale in args.scales:
            url = database_url(args.database_url, folder, scale)
            ids = prepare(url, scale)
            rows, notes = measure_pages(url, ids, folder, args.duration, args.connections)
            print_pages(scale, database, rows, notes)
        if args.pdf_scales:
            print(f"\n## PDFs, {database} (a fresh process each)")
            print("| scale | document | seconds | peak RSS MB | bytes | status |")
            print("|---|---|---|---|---|---|")
        for scale in args.pdf_scales:
            url = database_url(args.database_url, folder, 1000 + scale)
            ids = prepare(url, scale)
            for name, path in (("progress report", f"/reports/progress.pdf?{PHASE}"),
                               ("minutes", f"/meetings/{ids['plenary']}/minutes.pdf")):
                result = measure_pdf(url, path)
                print(f"| {scale} | {name} | {result['seconds']:.2f} | {result['peak_rss_mb']:.0f} "
                      f"| {result['bytes']} | {result['status']} |")


if __name__ == "__main__":
    main()
