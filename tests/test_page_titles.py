"""Every GET page (walked as the office) has its own title, and every data table sits in a labelled scroll region."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.routes import all_routes
from tests.routes.world import build_world

PAGES = [r for r in all_routes() if r.method == "GET" and r.expect.get("office") == "ok"]


class _Page(HTMLParser):
    """The <title> and, for each <table>, whether it sits in a div.table-wrap and has a caption."""

    def __init__(self):
        super().__init__()
        self.title, self._in_title, self.tables, self._open = "", False, [], []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "title":
            self._in_title = True
        elif tag == "table":
            self.tables.append({"wrapped": any("table-wrap" in c for c in self._open), "caption": False})
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        if tag not in ("br", "img", "input", "meta", "link", "hr", "col", "source", "wbr", "area"):
            self._open.append(classes if tag == "div" else [])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._open and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._open.pop()

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def _walk(client, make, login_as):
    world = build_world(make)
    login_as(world["office"])
    pages = {}
    for route in PAGES:
        path = route.path(world)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        parser = _Page()
        parser.feed(response.get_data(as_text=True))
        pages[path] = parser
    return pages


@pytest.fixture
def pages(client, make, login_as):
    return _walk(client, make, login_as)


def test_no_two_pages_share_a_title(pages):
    seen: dict[str, str] = {}
    clashes = []
    for path, page in pages.items():
        title, base = " ".join(page.title.split()), path.split("?")[0]
        if title in seen and seen[title] != base:
            clashes.append((title, seen[title], base))
        seen.setdefault(title, base)
    assert len(pages) > 30
    assert clashes == []


def test_every_table_is_in_a_scroll_region_with_a_caption(pages):
    bad = [(path, t) for path, page in pages.items() for t in page.tables if not (t["wrapped"] and t["caption"])]
    assert sum(len(p.tables) for p in pages.values()) > 5
    assert bad == [], "\n".join(f"{p}: {t}" for p, t in bad)
