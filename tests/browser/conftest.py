"""Browser tests: Playwright drives Debian's Chromium against a real server on 127.0.0.1.

The server runs in a thread with its own fresh SQLite database (the demo alliance) and its own
outbox folder. Without /usr/bin/chromium or axe-core (npm) these tests are skipped, and the
test run says so in one line.
"""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "Allianz-Demo-2026"


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


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from flask_migrate import upgrade

    from portal import create_app
    from portal.demo.seed import seed_demo
    from portal.extensions import db
    from portal.types import local_today

    tmp = tmp_path_factory.mktemp("live")
    port = _free_port()
    app = create_app({
        "SECRET_KEY": "browser-tests",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'live.db'}",
        "MAIL_SERVER": "",
        "MAIL_OUTBOX": str(tmp / "outbox"),
        "PASSWORD_HASHER": "argon2-fast",
        "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
    })
    with app.app_context():
        upgrade()
        seed_demo(local_today())
        db.session.commit()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield LiveServer(app, f"http://127.0.0.1:{port}", tmp / "outbox")
    server.shutdown()


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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="de-DE",
                                  viewport={"width": 1366, "height": 900}, accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/")


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations of the page as axe-core reports them."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
               values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in impacts
    ]


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
