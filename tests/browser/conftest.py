"""Browser tests: Playwright drives Debian's Chromium against a real server on 127.0.0.1.

The server runs in a thread with its own fresh database (the demo alliance) and its own outbox
folder: SQLite, or with TEST_DATABASE_URL a schema of its own in that PostgreSQL database, so
that CI's second run drives the journeys on PostgreSQL. One server and one browser serve the whole session; every test opens its own
browser context (cookies, language, window width). Without /usr/bin/chromium or axe-core (npm)
these tests are skipped, and the test run says so in one line.
"""
from __future__ import annotations

import functools
import os
import re
import shutil
import socket
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from portal.database import fresh_schema

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "Allianz-Demo-2026"
OFFICE = "geschaeftsstelle@example.org"
MODERATOR = "hoevelmann@example.org"  # moderates "Handwerk digital"
MEMBER = "kaya@example.org"
OBSERVER = "ob-buero@example.org"
LOCALES = {"de": "de-DE", "en": "en-GB"}


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return "Chromium not found (apt-get install chromium)"
    if not AXE.exists():
        return "axe-core not installed (npm ci)"
    return None


def pytest_report_header(config):
    reason = _missing()
    return f"browser tests: skipped, {reason}" if reason else f"browser tests: {CHROMIUM}"


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason:
        for item in items:
            if "tests/browser/" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    def __init__(self, app, url: str, outbox: Path) -> None:
        self.app, self.url, self.outbox = app, url, outbox

    def mails_to(self, address: str):
        from tests.mails import Outbox

        return Outbox(str(self.outbox)).to(address)


def _server_error():
    """A route that fails, so that the accessibility check sees the 500 page."""
    raise RuntimeError("server error on purpose (browser tests)")


LIVE_SCHEMA = "browser_tests"


def _live_database(tmp: Path, schema: str = LIVE_SCHEMA) -> str:
    """SQLite in the session's folder; with TEST_DATABASE_URL (PostgreSQL in CI) a schema of
    its own in that database, apart from "public", which the other tests empty and fill."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return f"sqlite:///{tmp / 'live.db'}"
    return fresh_schema(url, schema)


def _serve(tmp: Path, schema: str, fill):
    """A server on a free port with a fresh database that fill(app) fills; yields (app, url, port, server)."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.extensions import db

    port = _free_port()
    app = create_app({
        "SECRET_KEY": "browser-tests-secret-of-32-characters",
        "SQLALCHEMY_DATABASE_URI": _live_database(tmp, schema),
        "MAIL_SERVER": "",
        "MAIL_OUTBOX": str(tmp / "outbox"),
        "PASSWORD_HASHER": "argon2-fast",
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
        "SEND_FILE_MAX_AGE_DEFAULT": 3600,  # the browser asks for the CSS and scripts once, not with every page
    })
    with app.app_context():
        upgrade()
        fill(app)
        db.session.commit()
    return app, port


@contextmanager
def _running(app, port: int):
    from portal.extensions import db

    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from portal.demo.seed import seed_demo
    from portal.types import local_today

    tmp = tmp_path_factory.mktemp("live")
    app, port = _serve(tmp, LIVE_SCHEMA, lambda app: seed_demo(local_today()))
    app.add_url_rule("/_test/server-error", "test_server_error", _server_error)
    with _running(app, port):
        yield LiveServer(app, f"http://127.0.0.1:{port}", tmp / "outbox")


@pytest.fixture(scope="session")
def world_server(tmp_path_factory):
    """A server whose database holds the world of the route × role table (tests/routes/world.py)
    and nothing else; .world maps the world's names to ids and tokens (as Route.path wants them)."""
    from portal.extensions import db
    from tests.factories import Factory
    from tests.routes.world import build_world

    tmp = tmp_path_factory.mktemp("world")
    world = {}

    def fill(app):
        built = build_world(Factory(db.session))
        db.session.commit()
        world.update({name: getattr(value, "id", value) for name, value in built.items()})
        world["emails"] = {name: value.email for name, value in built.items()
                           if getattr(value, "email", None) and hasattr(value, "password_hash")}

    app, port = _serve(tmp, "browser_world", fill)
    with _running(app, port):
        server = LiveServer(app, f"http://127.0.0.1:{port}", tmp / "outbox")
        server.world = world
        yield server


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    if call.when == "call":
        item.call_report = outcome.get_result()


@pytest.fixture
def open_page(request, browser):
    """open_page(locale="de", width=1366, axe=False, server=None) -> a page in a fresh browser
    context (no cookies) on server (the demo's live_server unless given); with axe, axe-core is
    loaded into every document the page shows.
    When the test fails, each page's last view is saved in test-artifacts/failed/."""
    contexts = []

    def open_(locale: str = "de", width: int = 1366, axe: bool = False, server=None):
        server = server or request.getfixturevalue("live_server")
        context = browser.new_context(base_url=server.url, locale=LOCALES[locale],
                                      viewport={"width": width, "height": 900}, accept_downloads=True)
        context.set_default_timeout(10_000)
        if axe:  # sent to the browser once, not with every page
            context.add_init_script(path=str(AXE))
        contexts.append(context)
        page = context.new_page()
        page.problems = []  # console errors (such as content blocked by the CSP) and script errors
        page.on("console", lambda message: _console_problem(page, message))
        page.on("pageerror", lambda error: page.problems.append(f"{page.url}: {error}"))
        return page

    yield open_
    report = getattr(request.node, "call_report", None)
    for number, context in enumerate(contexts):
        if report is not None and report.failed:
            for page in context.pages:
                (ARTIFACTS / "failed").mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "failed" / f"{request.node.name}-{number}.png"),
                                full_page=True)
        context.close()


def _console_problem(page, message) -> None:
    """Note a console error, except the status of an error page the test asked for itself."""
    own_status = message.text.startswith("Failed to load resource") and message.location.get("url") == page.url
    if message.type == "error" and not own_status:
        page.problems.append(f"{page.url}: {message.text}")


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture(scope="session")
def demo(live_server):
    """Ids of demo objects the page lists need, read from the live database once."""
    from sqlalchemy import select

    from portal.actions.models import ActionItem
    from portal.extensions import db
    from portal.groups.models import WorkingGroup
    from portal.meetings.models import Meeting, Participation
    from portal.members.invitations import invite
    from portal.members.models import Person
    from portal.types import utcnow

    with live_server.app.test_request_context():
        people = {p.email: p for p in db.session.scalars(
            select(Person).where(Person.email.in_([OFFICE, MODERATOR, MEMBER, OBSERVER])))}
        handwerk = db.session.scalar(select(WorkingGroup).where(WorkingGroup.short_name == "Handwerk digital"))
        meetings = select(Meeting).where(Meeting.group_id == handwerk.id)
        published = db.session.scalar(meetings.where(Meeting.minutes_status == "published")
                                      .order_by(Meeting.starts_at.desc()))
        draft = db.session.scalar(meetings.where(Meeting.minutes_status == "draft"))
        upcoming = db.session.scalar(meetings.where(Meeting.starts_at > utcnow()).order_by(Meeting.starts_at))
        member = people[MEMBER]
        invited = db.session.scalar(
            select(Meeting).join(Participation).where(Participation.person_id == member.id,
                                                      Meeting.starts_at > utcnow())
            .order_by(Meeting.starts_at))
        action = db.session.scalar(select(ActionItem).where(ActionItem.owner_id == member.id)
                                   .order_by(ActionItem.id))
        # a pending invitation, for the page behind an invitation link
        guest = invite(people[OFFICE], name="Petra Probst", email="probst.a11y@example.org", role="member")
        db.session.commit()
        token = link_in(live_server.mails_to(guest.email)[-1], "/invite/").rsplit("/", 1)[1]
        return {
            "group": handwerk.id, "published": published.id, "draft": draft.id,
            "upcoming": upcoming.id, "invited": invited.id, "action": action.id,
            "moderator": people[MODERATOR].id, "invite_token": token,
        }


def link_in(message, fragment: str) -> str:
    """The first link in a mail's text that contains fragment."""
    from tests.mails import Outbox

    return next(url for url in re.findall(r"https?://\S+", Outbox.text(message)) if fragment in url)


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the login form (language-independent selectors)."""
    page.goto("/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def logout(page) -> None:
    if page.locator(".menu-toggle").is_visible():  # a phone: the account sits in the folded menu
        page.locator(".menu-toggle").click()
    page.locator("form[action$='/logout'] button").click()
    page.wait_for_url("**/login")


def csrf_token(page) -> str:
    """The CSRF token of the current page, as a forger who can read the page would have it."""
    return page.locator("input[name=csrf_token]").first.get_attribute("value")


AXE_WCAG = "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations'], iframes: false}"


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def start_axe(page, rules: list[str] | None = None) -> None:
    """Start axe-core on the page without waiting for it (the browser works while we go on)."""
    # through the DevTools protocol (an init script, or evaluated here): the portal's
    # Content-Security-Policy (rightly) forbids inline scripts, and the test must not weaken it
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(f"() => {{ {_axe_source()}; }}")
    options = (f"{{runOnly: {{type: 'rule', values: {rules!r}}}, resultTypes: ['violations'], iframes: false}}"
               if rules else AXE_WCAG)
    page.evaluate(f"() => {{ window.__axe = axe.run(document, {options}); }}")


def axe_result(page, impacts=("serious", "critical")) -> list[dict]:
    """The violations of the run start_axe began, of the given impacts."""
    violations = page.evaluate("() => window.__axe.then(r => r.violations)")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations if v["impact"] in impacts
    ]


def axe_violations(page, impacts=("serious", "critical"), rules: list[str] | None = None) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations of the page as axe-core reports them."""
    start_axe(page, rules)
    return axe_result(page, impacts)


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the window (> 0 means sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def screenshot(page, name: str) -> None:
    """A full-page picture in test-artifacts/ to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
