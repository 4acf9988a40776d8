"""Benchmark of the progress report at scale through the job queue (not a test), with pages asked
while the worker renders it.

    .venv/bin/python bench/queued_report.py [--scale 100] [--database-url URL] [--duration 5]
                                            [--connections 8] [--without-pages]

It builds the synthetic alliance at `scale` (bench/pages.py's prepare; scale 100: 300 working groups,
2,800 meetings and 4,900 decisions in the phase), serves it with the README's production command
and starts the job worker (`flask --app wsgi jobs work`) beside it, as production runs them. Then:

1. a few main pages alone: `wrk -t2 -c<connections> -d<duration>s` each, as the office;
2. the office asks for the report of the whole phase: the request answers with a redirect to the
   progress page, the worker renders it in a child process. Until the page says it is ready, the
   same pages are asked again in turn, with the same load (not with --without-pages); meanwhile the
   resident memory (RSS) of the worker and of its rendering child is read every 50 ms;
3. the report is asked again and must come from the table, without rendering.

It prints the seconds from asking to ready (the worker looks for jobs every few seconds, which is
included), the peak RSS of the worker, of its child and of both at once, each page's requests per
second and median latency alone and while the report was rendered (the last run of a page may end
up to --duration seconds after the report is ready), and the time of the second ask.
"""
from __future__ import annotations

import argparse
import itertools
import re
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import pages  # noqa: E402  (after the path is set)
from bench.concurrency import Client  # noqa: E402

PAGES = ("/", "/meetings", "/actions", "/reports")
REPORT = f"/reports/progress.pdf?{pages.PHASE}"
TIMEOUT_S = 600


def wrk_run(port: int, path: str, cookie: str, duration: int, connections: int) -> tuple[float, float]:
    """(requests per second, median latency in ms) that wrk measured for `path`."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-H", f"Cookie: {cookie}",
               f"http://127.0.0.1:{port}{path}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in out:
        raise RuntimeError(f"{path} answered with errors under load:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
    return rate, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def office(port: int) -> Client:
    client = Client(port)
    client.request("GET", "/login")
    status, _ = client.request("POST", "/login", {"email": pages.OFFICE_EMAIL, "password": pages.PASSWORD})
    if status != 302:
        raise RuntimeError(f"the office could not sign in ({status})")
    return client


@contextmanager
def job_worker(url: str, folder: Path, port: int):
    log = folder / "worker.log"
    with open(log, "w") as out:
        worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "work"], cwd=ROOT,
                                  env=pages.portal_env(url, folder, port), stdout=out, stderr=subprocess.STDOUT)
        try:
            yield worker
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def children_of(pid: int) -> list[int]:
    """The processes that any thread of `pid` started."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return children


class PeakMemory(threading.Thread):
    """The largest RSS of a process, of any of its children, and of both together (read at the same
    moment; the sum counts the pages a child shares with its parent after fork twice, so it is an
    upper bound), every 50 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.worker_mb, self.child_mb, self.both_mb = pid, 0.0, 0.0, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            worker = rss_mb(self.pid)
            child = max([0.0, *(rss_mb(c) for c in children_of(self.pid))])
            self.worker_mb, self.child_mb = max(self.worker_mb, worker), max(self.child_mb, child)
            self.both_mb = max(self.both_mb, worker + child)


class Readiness(threading.Thread):
    """Asks the report's progress page every half second until it no longer says it is being made
    (ready, failed, or gone), or for at most `TIMEOUT_S`."""

    def __init__(self, client: Client, location: str, started: float) -> None:
        super().__init__(daemon=True)
        self.client, self.location, self.started = client, location, started
        self.seconds: float | None = None
        self.outcome = "waiting"

    def run(self) -> None:
        while time.monotonic() - self.started < TIMEOUT_S:
            status, text = self.client.request("GET", self.location)
            if status == 200 and "Der Bericht ist fertig." in text:
                self.outcome = "ready"
            elif status != 200 or "Der Bericht wird erstellt" not in text:
                self.outcome = f"failed ({status})"
            if self.outcome != "waiting":
                break
            time.sleep(0.5)
        else:
            self.outcome = f"not ready after {TIMEOUT_S} s"
        self.seconds = time.monotonic() - self.started


def measure(url: str, folder: Path, duration: int, connections: int, with_pages: bool) -> dict:
    with pages.serve("wsgi:app", url, folder, "portal") as (port, _, _):
        client = office(port)
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        for path in PAGES:  # a first visit (the dashboard builds its parts), as a person's would be
            client.request("GET", path)
        alone = {path: wrk_run(port, path, cookie, duration, connections) for path in PAGES}
        with job_worker(url, folder, port) as worker:
            memory = PeakMemory(worker.pid)
            memory.start()
            started = time.monotonic()
            status, text = client.request("GET", REPORT)
            if status != 302:
                raise RuntimeError(f"the report was not handed to the worker ({status})")
            ready = Readiness(client, re.search(r'href="([^"]+)"', text).group(1), started)
            ready.start()
            during: dict[str, list] = {path: [] for path in PAGES}
            for path in itertools.cycle(PAGES if with_pages else ()):
                if not ready.is_alive():
                    break
                during[path].append(wrk_run(port, path, cookie, duration, connections))
            ready.join()
            memory.done.set()
            memory.join()
        again = time.monotonic()
        status, _ = client.request("GET", REPORT)
        again_ms = (time.monotonic() - again) * 1000
    return {"outcome": ready.outcome, "seconds": ready.seconds, "worker_mb": memory.worker_mb,
            "child_mb": memory.child_mb, "both_mb": memory.both_mb, "alone": alone, "during": during,
            "again": (status, again_ms)}


def print_result(scale: int, database: str, result: dict) -> None:
    print(f"\n## Progress report through the job queue, {database}, scale {scale}")
    print(f"outcome: {result['outcome']} after {result['seconds']:.1f} s; peak RSS: worker "
          f"{result['worker_mb']:.0f} MB, rendering child {result['child_mb']:.0f} MB, both at once "
          f"{result['both_mb']:.0f} MB (shared pages counted twice)")
    status, again_ms = result["again"]
    print(f"asked again: {status} in {again_ms:.0f} ms (from the table)")
    print("| page | req/s alone | req/s while rendering | ratio | median ms alone | median ms while rendering |")
    print("|---|---|---|---|---|---|")
    for path, (rate, median) in result["alone"].items():
        runs = result["during"][path]
        if not runs:
            print(f"| {path} | {rate:.0f} | (not asked) | | {median:.1f} | |")
            continue
        busy_rate = sum(r for r, _ in runs) / len(runs)
        busy_median = sum(m for _, m in runs) / len(runs)
        ratio = f"{busy_rate / rate:.2f}" if rate else "–"
        print(f"| {path} | {rate:.0f} | {busy_rate:.0f} | {ratio} | {median:.1f} | {busy_median:.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--database-url")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--without-pages", action="store_true",
                        help="no pages while the report is rendered: its time on an idle machine")
    args = parser.parse_args()
    database = "PostgreSQL" if args.database_url else "SQLite"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = pages.database_url(args.database_url, folder, args.scale)
        pages.prepare(url, args.scale)
        print_result(args.scale, database, measure(url, folder, args.duration, args.connections,
                                                   with_pages=not args.without_pages))


if __name__ == "__main__":
    main()
