"""Template filters: dates, times and numbers in the user's locale, shown in Europe/Berlin."""
from __future__ import annotations

import functools
from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_time

from portal.i18n import current_timezone, locale_key
from portal.text import render_markdown
from portal.types import BERLIN

# Named formats that read naturally in every language, unlike a fixed German pattern:
# "weekday" → "Donnerstag, 21. Januar 2027, 17:00" / "Thursday, January 21, 2027, 5:00 PM"
_DATE_PART = {"weekday": "full", "long": "long", "numeric": "medium"}


def local(value: datetime) -> datetime:
    return value.astimezone(BERLIN)


def _once_per_value(default_format: str | None):
    """`format_value(value, fmt)` computed once per value, format, locale and time zone: a list shows
    the same dates and counts on many rows and pages, and Babel's formatting is slow. The locale and
    zone are part of the key, so a cached text is only ever served in the language it was made in."""
    def decorate(format_value):
        @functools.lru_cache(maxsize=8192)
        def cached(value, fmt, _locale, _zone) -> str:
            return format_value(value, fmt)

        @functools.wraps(format_value)
        def wrapper(value, fmt=default_format):
            if not value and value != 0:  # None, "": nothing to format, nothing to keep
                return ""
            try:
                return cached(value, fmt, locale_key(), current_timezone())
            except TypeError:  # unhashable: formatted without the cache
                return format_value(value, fmt)
        return wrapper
    return decorate


@_once_per_value("medium")
def format_moment(value: datetime | None, fmt: str = "medium") -> str:
    if fmt == "compact":  # "Di., 08.12.2026, 16:00" / "Tue, Dec 8, 2026, 4:00 PM"
        return f"{format_date(value, 'EEE')}, {format_date(value, 'medium')}, {format_time(value, 'short')}"
    if fmt in _DATE_PART:
        return f"{format_date(value, _DATE_PART[fmt])}, {format_time(value, 'short')}"
    return format_datetime(value, fmt)


@_once_per_value("medium")
def date_text(value, fmt: str) -> str:
    return format_date(value, fmt)


@_once_per_value("short")
def time_text(value, fmt: str) -> str:
    return format_time(value, fmt)


@_once_per_value(None)
def _number(value, _fmt: None) -> str:
    return format_decimal(value)


def register(app: Flask) -> None:
    filters = {
        "datetime": format_moment,
        "date": date_text,
        "time": time_text,
        "number": _number,
        "markdown": render_markdown,
        "local": local,
        "isodate": lambda v: v.isoformat() if isinstance(v, (date, datetime)) else "",
    }
    app.jinja_env.filters.update(filters)
