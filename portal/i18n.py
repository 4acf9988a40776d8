"""Translated texts, looked up once per locale.

Flask-Babel finds the catalogue for every single text anew (several lookups in the request context,
the locale turned into a string, the catalogue looked up by it), and Jinja's `_()` passes the result
through two more context calls: ~35 µs for each of the ~50 texts a page shows. The catalogues do not
change while the process runs, so a text translated once for a locale is kept. The locale is still
asked for every time, so `force_locale` (mails in the recipient's language) and a language switch
within a request are honoured as before.
"""
from __future__ import annotations

from flask import Flask, g
from flask_babel import get_locale, get_timezone, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

_TEXTS: dict[tuple, str] = {}


def current_locale():
    """get_locale(), read where Flask-Babel (4.x, pinned) keeps it for the request: get_locale()
    itself asks the request context four times. Before the locale is chosen, outside a request
    and should Flask-Babel keep it elsewhere, get_locale() answers."""
    try:
        locale = g._flask_babel.babel_locale
    except (AttributeError, RuntimeError):
        return get_locale()
    return locale if locale is not None else get_locale()


def locale_key() -> tuple | None:
    """The current locale as a key of the caches here: a plain tuple hashes and compares in C,
    a babel Locale (a new one each request) in Python, on every lookup."""
    locale = current_locale()
    if locale is None:
        return None
    return (locale.language, locale.territory, locale.script, locale.variant, locale.modifier)


def current_timezone():
    """get_timezone(), read like current_locale()."""
    try:
        zone = g._flask_babel.babel_tzinfo
    except (AttributeError, RuntimeError):
        return get_timezone()
    return zone if zone is not None else get_timezone()


def translate(text: str) -> str:
    """gettext(text) for the current locale, without placeholders."""
    key = (locale_key(), text)
    try:
        return _TEXTS[key]
    except KeyError:
        pass
    translated = get_translations().ugettext(text)
    _TEXTS[key] = translated
    return translated


def lazy_text(lazy) -> str:
    """str(lazy) of a lazy_gettext text that lives as long as the process (a module constant: a
    label, a navigation entry), kept per locale."""
    key = (locale_key(), id(lazy))
    entry = _LAZY.get(key)
    if entry is None or entry[0] is not lazy:
        entry = _LAZY[key] = (lazy, str(lazy))  # the text itself is kept, so its id stays its own
    return entry[1]


_LAZY: dict[tuple, tuple] = {}


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """Jinja's `_()` and `gettext()` as its i18n extension defines them ("newstyle": the text is
    always a format string, escaped in autoescaped templates), with the translation kept."""
    if not variables:
        key = (locale_key(), eval_ctx.autoescape, string)
        try:
            return _TEXTS[key]
        except KeyError:
            pass
    rv = translate(string)
    if eval_ctx.autoescape:
        rv = Markup(rv)
    rv = rv % variables
    if not variables:
        _TEXTS[key] = rv
    return rv


def register(app: Flask) -> None:
    """After Flask-Babel installed its callables: the plain lookups go through the kept texts."""
    app.jinja_env.globals.update({"_": _template_gettext, "gettext": _template_gettext})
