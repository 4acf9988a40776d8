"""Markdown typed by users (minutes text, amendments, descriptions) is rendered and sanitized:
nothing a user types runs as HTML or script, and links cannot carry script or leak the page."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from portal.extensions import db as _db
from portal.text import plain_text, render_markdown
from tests.factories import utc

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">klick</a>',
    '<div onmouseover="alert(1)">hover</div>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)"></svg>',
    "<style>body{display:none}</style>",
    '<form action="https://evil.example"><input name=x></form>',
    "[klick](javascript:alert(1))",
    "[klick](JaVaScRiPt:alert(1))",
    "[klick](  javascript:alert(1))",
    "[klick](javascript&#58;alert(1))",
    "[klick](&#106;avascript:alert(1))",
    "[klick](vbscript:msgbox(1))",
    "[klick](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![bild](javascript:alert(1))",
    '![bild](x" onerror="alert(1))',
    '[klick](https://example.org "titel\\" onclick=\\"alert(1)")',
    "<javascript:alert(1)>",
    "`<script>` im Code ist harmlos",
    "```\n<script>alert(1)</script>\n```",
]

MARKDOWN_TAGS = {"p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
                 "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}
SAFE_URL = re.compile(r"^(https?:|mailto:|/|#|[^:]*$)", re.IGNORECASE)


class Markup(HTMLParser):
    """The elements and attributes of a piece of HTML, as a browser would see them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def problems(self, allowed_tags=MARKDOWN_TAGS) -> list[str]:
        found = []
        for tag, attrs in self.elements:
            if tag not in allowed_tags:
                found.append(f"element <{tag}>")
            for name, value in attrs.items():
                if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                    found.append(f"attribute {name} on <{tag}>")
                if name in ("href", "src", "action") and not SAFE_URL.match((value or "").strip()):
                    found.append(f"{name}={value!r} on <{tag}>")
            if tag == "a" and attrs.get("rel") != "noopener nofollow":
                found.append(f"link without rel: {attrs}")
        return found


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_as_harmless_text(source):
    html = str(render_markdown(source))
    # only what Markdown itself produces is markup; everything else arrives as escaped text
    assert Markup(html).problems() == [], html


def test_raw_html_is_shown_as_text_not_passed_through():
    html = str(render_markdown('Hallo <b>fett</b> & <span style="color:red">rot</span>'))
    assert html == ("<p>Hallo &lt;b&gt;fett&lt;/b&gt; &amp; &lt;span style=\"color:red\"&gt;rot"
                    "&lt;/span&gt;</p>\n")


def test_script_tag_is_escaped_not_executed():
    assert str(render_markdown("<script>alert(1)</script>")) == \
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_javascript_link_is_not_made_a_link():
    html = str(render_markdown("[klick](javascript:alert(1))"))
    assert "<a" not in html and "href" not in html


def test_links_get_rel_noopener_nofollow():
    html = str(render_markdown("Siehe [Louise](https://louise.example.org) und <https://example.org/x>"))
    assert html.count('rel="noopener nofollow"') == 2
    assert '<a href="https://louise.example.org" rel="noopener nofollow">Louise</a>' in html


def test_mailto_and_relative_links_stay_links():
    html = str(render_markdown("[Mail](mailto:info@example.org) [Treffen](/meetings/3)"))
    assert 'href="mailto:info@example.org"' in html and 'href="/meetings/3"' in html


def test_usual_minutes_formatting_survives():
    html = str(render_markdown("# Ergebnis\n\n- **fett**\n- *kursiv*\n\n| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<h3>Ergebnis</h3>" in html  # demoted below the page's own headings
    assert "<strong>fett</strong>" in html and "<em>kursiv</em>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_images_are_dropped():
    assert "<img" not in str(render_markdown("![Logo](https://example.org/logo.png)"))


def test_empty_or_missing_text_renders_nothing():
    assert str(render_markdown(None)) == "" and str(render_markdown("")) == ""


def test_plain_text_drops_markup():
    assert plain_text("**fett** und *kursiv*") == "fett und kursiv"


def test_hostile_minutes_text_is_harmless_on_the_minutes_and_moderation_pages(client, login_as, make):
    office = make.person("office")
    meeting = make.meeting(None, starts_at=utc(2024, 5, 4, 15), status="held", minutes_status="draft")
    make.agenda_item(meeting, title="TOP", minutes_text="\n\n".join(HOSTILE))
    make.agenda_item(meeting, title="<script>alert('titel')</script>")
    _db.session.commit()
    login_as(office)
    for path in (f"/meetings/{meeting.id}/minutes", f"/meetings/{meeting.id}/moderate?item="
                 f"{meeting.agenda_items[0].id}"):
        page = client.get(path).text
        elements = Markup(page[page.index("<main"):page.index("</main>")]).elements
        assert not [tag for tag, _ in elements if tag in ("script", "img", "iframe", "svg", "style")]
        assert not [(tag, a) for tag, attrs in elements for a in attrs if a.startswith("on")]
        assert not [attrs for tag, attrs in elements
                    if tag == "a" and not SAFE_URL.match((attrs.get("href") or "").strip())]
