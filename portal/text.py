"""User-written Markdown, rendered and sanitized: nothing a user types runs as HTML or script."""
from __future__ import annotations

import functools
import html

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

# html=False: raw HTML in the source is shown as text, never passed through.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")

_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr",
}
_HEADING_DEMOTION = {"<h1>": "<h3>", "</h1>": "</h3>", "<h2>": "<h4>", "</h2>": "</h4>"}


CACHED_LENGTH = 20_000  # longer texts are rendered every time, so the cache stays small
_CACHE_SIZE = 4096


def render_markdown(source: str | None) -> Markup:
    """The sanitized HTML of `source`; a text shown again (a list page, the next request) is
    rendered once per process, since the same input always gives the same output."""
    source = source or ""
    if len(source) > CACHED_LENGTH:
        return _render(source)
    return _render_cached(source)


def _render(source: str) -> Markup:
    html = _markdown.render(source)
    for old, new in _HEADING_DEMOTION.items():  # page headings stay the page's own
        html = html.replace(old, new)
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
    )
    return Markup(clean)  # sanitized by nh3 above


_render_cached = functools.lru_cache(maxsize=_CACHE_SIZE)(_render)


def plain_text(source: str | None) -> str:
    """Markdown reduced to its text, for mails and calendar descriptions."""
    return html.unescape(nh3.clean(_markdown.render(source or ""), tags=set())).strip()
