"""WCAG 2.1 AA (axe-core), keyboard use and layout of the portal's main pages, in German and English.

PAGES lists the main pages per signed-in person ("-" is anonymous) with a short name for the
screenshots. Paths take the ids of demo objects from the `demo` fixture.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    MEMBER,
    MODERATOR,
    OBSERVER,
    OFFICE,
    axe_violations,
    horizontal_overflow,
    login,
    logout,
    screenshot,
)

pytestmark = pytest.mark.browser  # left out by `make test-fast`

PAGES = {
    None: [
        ("login", "/login"),
        ("invitation", "/invite/{invite_token}"),
        ("invitation-invalid", "/invite/nicht-gueltig"),
        ("password-reset", "/reset"),
    ],
    OFFICE: [
        ("start-office", "/"),
        ("directory", "/members"),
        ("member-profile", "/members/{moderator}"),
        ("organizations", "/organizations"),
        ("groups", "/groups"),
        ("group", "/groups/{group}"),
        ("meetings", "/meetings"),
        ("meeting-held", "/meetings/{published}"),
        ("meeting-planned", "/meetings/{upcoming}"),
        ("meeting-new", "/meetings/new"),
        ("agenda-editor", "/meetings/{upcoming}/agenda"),
        ("invite", "/meetings/{upcoming}/invite"),
        ("attendance", "/meetings/{draft}/attendance"),
        ("moderation", "/meetings/{draft}/moderate"),
        ("minutes-draft", "/meetings/{draft}/minutes"),
        ("minutes-published", "/meetings/{published}/minutes"),
        ("actions", "/actions"),
        ("action", "/actions/{action}"),
        ("reports", "/reports"),
        ("outcomes", "/outcomes"),
        ("invite-member", "/members/new"),
        ("mails", "/mails"),
        ("search", "/search?q=Louise"),
        ("decisions", "/decisions"),
        ("circulars", "/circulars"),
        ("circular-new", "/circulars/new"),
        ("surveys", "/surveys"),
        ("exchange", "/exchange"),
        ("funding-phases", "/reports/phases"),
        ("privacy-notice", "/privacy-notice"),
        ("error-404", "/gibt-es-nicht"),
        ("error-405", "/logout"),
        ("error-500", "/_test/server-error"),
    ],
    MODERATOR: [
        ("start-moderator", "/"),
    ],
    MEMBER: [
        ("start-member", "/"),
        ("own-profile", "/profile"),
        ("meeting-rsvp", "/meetings/{invited}"),
        ("my-actions", "/actions/mine"),
        ("error-403", "/reports"),
    ],
    OBSERVER: [
        ("start-observer", "/"),
        ("reports-observer", "/reports?period=phase"),
    ],
}


def _walk(page, demo):
    """Visit every page of PAGES as its person; yields each page's name once it is shown."""
    for person, pages in PAGES.items():
        if person:
            login(page, person)
        for name, path in pages:
            page.goto(path.format(**demo))
            yield name
        if person:
            logout(page)


# Phone width gets the axe rule that depends on width (sideways-scrolling boxes must be reachable
# by keyboard); the full rule set runs at desktop width in both languages.
PHONE_RULES = ["scrollable-region-focusable"]


@pytest.mark.parametrize(("locale", "width"), [("de", 1366), ("en", 1366), ("de", 390)],
                         ids=["german-desktop", "english-desktop", "german-phone"])
def test_main_pages_are_accessible_and_fit_the_screen(open_page, demo, locale, width):
    """axe finds no serious or critical WCAG 2.1 A/AA violation, the page is not wider than the
    window, and nothing lands in the console (such as content the CSP blocked). Screenshots of
    the German pages go to test-artifacts/ for people to look at."""
    page = open_page(locale, width, axe=True)
    violations, too_wide = {}, {}
    for name in _walk(page, demo):
        assert page.locator("html").get_attribute("lang") == locale, name
        if found := axe_violations(page, rules=PHONE_RULES if width < 800 else None):
            violations[name] = found
        if (overflow := horizontal_overflow(page)) > 0:
            too_wide[name] = f"{overflow}px"
        if locale == "de":
            screenshot(page, f"{name}-{width}")
    assert not violations, f"axe ({locale}, {width}px): {violations}"
    assert not too_wide, f"wider than {width}px: {too_wide}"
    assert not page.problems, page.problems


# keyboard ------------------------------------------------------------------------------------

FOCUS_STATE = """() => {
    const el = document.activeElement, style = getComputedStyle(el);
    return {tag: el.tagName, name: el.name || '', text: (el.innerText || el.value || '').trim().slice(0, 40),
            id: el.id, visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                                || style.boxShadow !== 'none'};
}"""


def _tab(page, backwards=False) -> dict:
    page.keyboard.press("Shift+Tab" if backwards else "Tab")
    return page.evaluate(FOCUS_STATE)


def _tab_to(page, wanted, limit=60) -> list[dict]:
    """Tab until wanted(focus) holds; every stop on the way must show where the focus is."""
    stops = []
    for _ in range(limit):
        focus = _tab(page)
        stops.append(focus)
        assert focus["visible"], f"focus not visible on {focus}"
        if wanted(focus):
            return stops
    raise AssertionError(f"not reached with {limit} presses of Tab: {stops[-5:]}")


def test_login_works_with_the_keyboard_alone(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    _tab_to(page, lambda f: f["name"] == "email")
    page.keyboard.type(MEMBER)
    _tab_to(page, lambda f: f["name"] == "password")
    page.keyboard.type("Allianz-Demo-2026")
    _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Anmelden")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Guten Tag")


def test_rsvp_works_with_the_keyboard_alone_and_focus_is_never_trapped(page, demo):
    login(page, MEMBER)
    page.goto(f"/meetings/{demo['invited']}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    stops = _tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Vielleicht")
    assert not any(s["text"] == "Abmelden" for s in stops), "the skip link did not skip the header"
    # the answer reloads the page: wait until it is whole, or Tab runs off a half-parsed page
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    expect(page.locator("#rsvp")).to_contain_text("Ihre Antwort: vielleicht")
    # on through the whole page: focus reaches the footer's last control and then leaves the page
    page.keyboard.press("Tab")
    seen = [page.evaluate(FOCUS_STATE)]
    for _ in range(200):
        focus = _tab(page)
        if focus["tag"] == "BODY":
            break
        assert focus["visible"], f"focus not visible on {focus}"
        seen.append(focus)
    else:
        raise AssertionError(f"focus never left the page: {seen[-5:]}")
    assert seen[-1]["tag"] == "BUTTON" and seen[-1]["text"] == "Wechseln"
    # and back again with Shift+Tab: no trap on the way up either
    for _ in range(200):
        focus = _tab(page, backwards=True)
        if focus["tag"] == "A" and focus["text"] == "Zum Inhalt springen":
            break
    else:
        raise AssertionError("Shift+Tab never got back to the skip link")
