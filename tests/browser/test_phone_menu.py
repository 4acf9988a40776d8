"""The header on a phone: navigation, search and account fold behind "Menü", so that a page's own
content starts on the first screen; on a desktop everything stays in view. Read-only on the demo."""
from __future__ import annotations

import pytest

from tests.browser.conftest import MEMBER, login, screenshot

pytestmark = pytest.mark.browser  # left out by `make test-fast`


def test_the_header_folds_into_a_menu_on_a_phone_and_opens_by_keyboard(open_page, demo):
    page = open_page("de", 390)
    login(page, MEMBER)
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    toggle = page.get_by_role("button", name="Menü")
    assert toggle.is_visible() and not navigation.is_visible()
    assert not page.get_by_role("search").is_visible()
    assert page.locator("main h1").bounding_box()["y"] < 150  # the page starts near the top
    screenshot(page, "phone-menu-closed-390")

    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true" and navigation.is_visible()
    assert page.get_by_role("search").is_visible()
    screenshot(page, "phone-menu-open-390")
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false" and not navigation.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"

    toggle.click()
    navigation.get_by_role("link", name="Aufgaben").click()
    page.wait_for_url("**/actions*")
    assert not navigation.is_visible()  # folded again on the next page
    assert not page.problems, page.problems


def test_the_header_stays_open_on_a_desktop(open_page, demo):
    page = open_page("de", 1366)
    login(page, MEMBER)
    assert page.get_by_role("navigation", name="Hauptnavigation").is_visible()
    assert page.get_by_role("search").is_visible()
    assert not page.get_by_role("button", name="Menü").is_visible()
