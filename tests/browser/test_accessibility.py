"""WCAG 2.1 AA (axe-core) and keyboard use on the pages of the portal, in German and English."""
from __future__ import annotations

import pytest

from tests.browser.conftest import axe_violations, login, screenshot

ANONYMOUS_PAGES = ["/login"]
PAGES_BY_LOGIN = {
    "geschaeftsstelle@example.org": ["/", "/gibt-es-nicht"],
    "hoevelmann@example.org": ["/"],
    "ob-buero@example.org": ["/"],
}


def _name(path: str) -> str:
    return path.strip("/").replace("/", "_").replace("?", "_").replace("=", "-") or "start"


@pytest.mark.parametrize("locale", ["de", "en"])
def test_pages_have_no_serious_accessibility_violations(browser, live_server, locale):
    context = browser.new_context(base_url=live_server.url, locale="de-DE" if locale == "de" else "en-GB")
    page = context.new_page()
    found = {}
    for path in ANONYMOUS_PAGES:
        page.goto(path)
        found[f"anonymous {path}"] = axe_violations(page)
    for email, paths in PAGES_BY_LOGIN.items():
        login(page, email)
        for path in paths:
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == locale
            found[f"{email} {path}"] = axe_violations(page)
        page.get_by_role("button", name="Abmelden" if locale == "de" else "Sign out").click()
    context.close()
    assert {k: v for k, v in found.items() if v} == {}


def test_login_works_with_the_keyboard_alone(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "email"
    page.keyboard.type("kaya@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("Allianz-Demo-2026")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Guten Tag")


@pytest.mark.parametrize("width", [390, 1366])
def test_start_pages_fit_the_screen_without_horizontal_scrolling(browser, live_server, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto("/login")
    screenshot(page, f"login-{width}")
    for email in PAGES_BY_LOGIN:
        login(page, email)
        page.goto("/")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{email}: {overflow}px too wide at {width}px"
        screenshot(page, f"start-{email.split('@')[0]}-{width}")
        page.get_by_role("button", name="Abmelden").click()
    context.close()
