"""Forms sent back with errors (issue 19 point 5): the focus lands on the error summary, which
links each error to its field, and axe finds nothing on the page after the failed submit."""
from __future__ import annotations

import pytest

from tests.browser.conftest import MEMBER, OFFICE, axe_violations, login

pytestmark = pytest.mark.browser

# (who, path, a text field that is emptied before sending)
FORMS = [
    (OFFICE, "/meetings/new", "title"),
    (OFFICE, "/actions/new", "title"),
    (OFFICE, "/groups/new", "name"),
    (MEMBER, "/profile", "name"),
]


def _send_empty(page, field: str) -> None:
    """Empty the field and send its form past the browser's own checks (required etc.)."""
    form = page.locator(f"main form:has([name={field}])").first
    form.locator(f"[name={field}]").fill("")
    form.evaluate("f => { f.noValidate = true; }")
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()


@pytest.mark.parametrize("locale", ["de", "en"])
@pytest.mark.parametrize("who,path,field", FORMS, ids=[p for _, p, _ in FORMS])
def test_failed_submit_focuses_the_error_summary_and_passes_axe(open_page, locale, who, path, field):
    page = open_page(locale, axe=True)
    login(page, who)
    page.goto(path)
    _send_empty(page, field)
    summary = page.locator("[data-error-summary]")
    assert summary.count() == 1, "no error summary after the failed submit"
    assert summary.evaluate("el => el === document.activeElement"), "focus is not on the error summary"
    links = summary.locator("a[href^='#']")
    assert links.count() >= 1
    targets = links.evaluate_all("as => as.map(a => a.getAttribute('href').slice(1))")
    assert all(page.locator(f"[id='{t}']").count() == 1 for t in targets), targets
    links.first.click()
    assert page.evaluate("document.activeElement.id") == targets[0]
    assert axe_violations(page) == []
