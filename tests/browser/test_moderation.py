"""The moderation page on a phone, and the question before leaving it with unsaved minutes text.

Read-only on the demo data: nothing here is saved, so the other browser tests see the demo as
seeded."""
from __future__ import annotations

import pytest

from tests.browser.conftest import OFFICE, horizontal_overflow, login, screenshot

pytestmark = pytest.mark.browser  # left out by `make test-fast`

# every element whose text must be read whole: is it as wide as it shows (not cut), and inside
# the window?
CUT_OFF = """(width) => Array.from(document.querySelectorAll(
        'main h1, main h2, .moderation-agenda .agenda-link, .moderation-agenda button, .actions-row button'))
    .filter(el => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right > width)
    .map(el => el.tagName + ': ' + el.textContent.trim().slice(0, 40))"""


def test_moderation_fits_a_phone_with_title_and_agenda_whole(open_page, demo):
    page = open_page("de", 390)
    login(page, OFFICE)
    page.goto(f"/meetings/{demo['draft']}/moderate")
    assert horizontal_overflow(page) <= 0, f"{horizontal_overflow(page)}px wider than 390px"
    assert page.evaluate(CUT_OFF, 390) == []
    # every agenda item, as the page shows it when that item is open
    items = page.locator(".moderation-agenda li").count()
    for index in range(items):
        link = page.locator(".moderation-agenda li").nth(index).locator("a")
        if link.count():
            continue  # the item shown now: checked above
        page.goto(f"/meetings/{demo['draft']}/moderate")
        with page.expect_navigation():  # the button posts the form; measure the page it leads to
            page.locator(".moderation-agenda li").nth(index).locator("button").click()
        page.wait_for_load_state()
        assert horizontal_overflow(page) <= 0, f"item {index + 1}: {horizontal_overflow(page)}px too wide"
        assert page.evaluate(CUT_OFF, 390) == [], f"item {index + 1}"
    screenshot(page, "moderation-phone-390")
    assert not page.problems, page.problems


def test_leaving_with_unsaved_minutes_text_asks_first(open_page, demo):
    page = open_page()
    login(page, OFFICE)
    page.goto(f"/meetings/{demo['draft']}/moderate")
    text = page.locator("#minutes-text-form textarea")
    text.click()  # the browser asks only on a page the user has interacted with
    text.fill(text.input_value() + "\nNoch nicht gespeichert.")
    with page.expect_event("dialog") as asked:
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.dismiss()  # stay on the page: nothing is sent


def test_saving_the_text_leaves_without_asking(open_page, demo):
    page = open_page()
    login(page, OFFICE)
    page.goto(f"/meetings/{demo['draft']}/moderate")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    text = page.locator("#minutes-text-form textarea")
    text.click()
    text.fill(text.input_value())  # typed, unchanged: the text form is sent, nothing is new
    page.locator(".moderation-agenda li button").first.click()
    page.wait_for_load_state()
    assert asked == [] and "/moderate" in page.url
