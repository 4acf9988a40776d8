"""Translated texts, looked up once per locale.

Flask-Babel finds the catalogue for every single text anew (several lookups in the request context,
the locale turned into a string, the catalogue looked up by it), and Jinja's `_()` passes the result
through two more context calls: ~35 µs for each of the ~50 texts a page shows. The catalogues do not
change while the process runs, so a text translated once for a locale is kept. The locale is still
asked for every time, so `force_locale` (mails in the recipient's language) and a language switch
within a request are honoured as before.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, get_translations
from jinja2 import pass_eval_context
from markupsafe import Markup

_TEXTS: dict[tuple, str] = {}


def translate(text: str) -> str:
    """gettext(text) for the current locale, without placeholders."""
    key = (get_locale(), text)
    try:
        return _TEXTS[key]
    except KeyError:
        pass
    translated = get_translations().ugettext(text)
    _TEXTS[key] = translated
    return translated


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """Jinja's `_()` and `gettext()` as its i18n extension defines them ("newstyle": the text is
    always a format string, escaped in autoescaped templates), with the translation kept."""
    if not variables:
        key = (get_locale(), eval_ctx.autoescape, string)
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
