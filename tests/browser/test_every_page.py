"""axe on every page of every role, in German and English, and on every form after a failed submit
(issue 19): the pages come from the route × role table (tests/routes/), walked against a server
whose database holds the table's world, so that a new route is checked as soon as it has its rows.

Each role signs in once per language and visits every GET route the table lets it see ("ok"),
except files named by their extension; pages that answer 200 with HTML go through axe, which must
report nothing of any impact (downloads and redirects are left to the other tests). Then each POST form in a page's main content that has required fields is sent with those
fields emptied (past the browser's own checks), and the page that comes back must show the error
summary and pass axe. A form is sent once per language, by the first role (in the order below)
whose pages show it.
"""
from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import _console_problem, axe_result, login, start_axe
from tests.factories import PASSWORD
from tests.routes import ROLES, all_routes

# The pages' HTML does not depend on the database, and every route already answers on both in
# test_permissions: the two-minute walk runs once, in the SQLite run, to keep CI short.
pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="axe walk of every page runs in the SQLite run (the HTML is the same on PostgreSQL)")]

# the office first: it sees most forms, so the fewest forms are left to the roles after it
WALKERS = ("office", "moderator", "other_moderator", "member", "observer", "meeting_lead", "anonymous")
assert set(ROLES) <= set(WALKERS)

# not only the serious and critical ones the other tests look at: axe reports nothing at all
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")

# per language, the forms sent so far (a form's action with its numbers left out, and its fields)
_FORMS_SENT: dict[str, set[str]] = {"de": set(), "en": set()}

# The POST forms of the main content with required fields the user fills in: their index among
# `main form`, a key that names the form apart from the ids in its action, and what it asks.
FORMS_OF_PAGE = """() => [...document.querySelectorAll('main form')].map((form, index) => {
    const required = [...form.querySelectorAll('[required]')]
        .filter(el => el.type !== 'hidden' && !el.disabled).map(el => el.name);
    const action = new URL(form.action, location.href).pathname.replace(/\\d+/g, 'N');
    return {index, required, post: form.method === 'post',
            key: action + ' ' + [...new Set(required)].sort().join(',')};
}).filter(form => form.post && form.required.length)"""

# Empty the form's required fields and send it with its last submit button, past the browser's checks.
SEND_EMPTY = """index => {
    const form = document.querySelectorAll('main form')[index];
    for (const el of form.querySelectorAll('[required]')) {
        if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
        else if (el.tagName === 'SELECT') el.selectedIndex = -1;
        else el.value = '';
    }
    form.noValidate = true;
    const buttons = form.querySelectorAll('button:not([type]), button[type=submit], input[type=submit]');
    form.requestSubmit(buttons.length ? buttons[buttons.length - 1] : null);
}"""


# files by their name (.pdf, .csv, .ics, .svg, .zip, .xlsx): no pages, and some are costly to make
FILE = re.compile(r"\.[a-z]+$")


def _pages(role: str, world: dict) -> list[str]:
    """The paths of every GET route the table lets the role see, each once, files left out."""
    paths = [route.path(world) for route in all_routes()
             if route.method == "GET" and route.expect.get(role) == "ok" and not FILE.search(route.rule)]
    return list(dict.fromkeys(paths))


def _html(page, path: str) -> bool:
    """Go to path; True when it answered 200 with an HTML page itself (a download is no page, and
    where a redirect leads is checked as its own route)."""
    try:
        response = page.goto(path)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return False
        raise
    return (response is not None and response.status == 200 and response.request.redirected_from is None
            and response.headers.get("content-type", "").startswith("text/html"))


def _icon_of_a_download(message) -> bool:
    """Chromium asks for /favicon.ico on a page without an icon link, such as the JSON of /healthz;
    the portal serves no such file, and that is no problem of the page."""
    return message.location.get("url", "").endswith("/favicon.ico")


class Pipeline:
    """Two tabs of one browser context taking turns: while axe checks the page in one tab, the
    server renders the next page in the other (axe runs in the browser, start_axe returns at once)."""

    def __init__(self, page, tabs: int = 2) -> None:
        self.tabs = [self._tab(page) for _ in range(tabs)]
        self.turn = 0
        self.running: dict[int, str] = {}  # tab number -> the name of the page axe is checking
        self.violations: dict[str, list] = {}

    @staticmethod
    def _tab(page):
        tab = page.context.new_page()
        tab.problems = page.problems  # one list for the context's tabs
        tab.on("console", lambda message: _icon_of_a_download(message) or _console_problem(tab, message))
        tab.on("pageerror", lambda error: tab.problems.append(f"{tab.url}: {error}"))
        return tab

    def next_tab(self):
        """The next tab, once axe has finished the page it showed."""
        self.turn = (self.turn + 1) % len(self.tabs)
        self._finish(self.turn)
        return self.tabs[self.turn]

    def check(self, name: str) -> None:
        """Start axe on what the current tab shows."""
        start_axe(self.tabs[self.turn])
        self.running[self.turn] = name

    def _finish(self, number: int) -> None:
        if number in self.running:
            name = self.running.pop(number)
            if found := axe_result(self.tabs[number], impacts=ALL_IMPACTS):
                self.violations[name] = found

    def finish(self) -> dict[str, list]:
        for number in list(self.running):
            self._finish(number)
        return self.violations


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize("role", WALKERS)
def test_every_page_and_every_failed_form_passes_axe(open_page, world_server, role, locale):
    world = world_server.world
    page = open_page(locale, axe=True, server=world_server)
    if role != "anonymous":
        login(page, world["emails"][role], PASSWORD)
    pipeline, checked, forms = Pipeline(page), 0, {}
    for path in _pages(role, world):
        tab = pipeline.next_tab()
        if not _html(tab, path):
            continue
        checked += 1
        lang, forms_of_page = tab.evaluate(f"() => [document.documentElement.lang, ({FORMS_OF_PAGE})()]")
        assert lang == locale, path
        for form in forms_of_page:
            if form["key"] not in _FORMS_SENT[locale] and form["key"] not in forms:
                forms[form["key"]] = (path, form["index"])
        pipeline.check(path)
    assert checked, f"no page of {role} was checked"

    without_summary = {}
    for key, (path, index) in forms.items():
        _FORMS_SENT[locale].add(key)
        tab = pipeline.next_tab()
        tab.goto(path)
        with tab.expect_navigation() as navigation:
            tab.evaluate(SEND_EMPTY, index)
        name = f"{path} form {index} ({key}) -> {navigation.value.status if navigation.value else None}"
        if tab.locator("[data-error-summary]").count() != 1:
            without_summary[name] = tab.url
        pipeline.check(name)
    violations = pipeline.finish()
    assert not violations, f"axe ({role}, {locale}): {violations}"
    assert not without_summary, f"no error summary after an empty submit ({role}, {locale}): {without_summary}"
    assert not page.problems, page.problems


def test_the_walk_reaches_the_pages_of_the_table(world_server):
    """The walk above would pass vacuously if the table lost its GET rows or the world its objects."""
    world = world_server.world
    pages = {role: _pages(role, world) for role in WALKERS}
    assert len(pages["office"]) > 70 and all(pages.values())
    assert not any("<" in path or FILE.search(path) for paths in pages.values() for path in paths)
