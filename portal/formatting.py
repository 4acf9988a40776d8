"""Template filters: dates, times and numbers in the user's locale, shown in Europe/Berlin."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_time

from portal.text import render_markdown
from portal.types import BERLIN

# Named formats that read naturally in every language, unlike a fixed German pattern:
# "weekday" → "Donnerstag, 21. Januar 2027, 17:00" / "Thursday, January 21, 2027, 5:00 PM"
_DATE_PART = {"weekday": "full", "long": "long", "numeric": "medium"}


def local(value: datetime) -> datetime:
    return value.astimezone(BERLIN)


def format_moment(value: datetime | None, fmt: str = "medium") -> str:
    if not value:
        return ""
    if fmt == "compact":  # "Di., 08.12.2026, 16:00" / "Tue, Dec 8, 2026, 4:00 PM"
        return f"{format_date(value, 'EEE')}, {format_date(value, 'medium')}, {format_time(value, 'short')}"
    if fmt in _DATE_PART:
        return f"{format_date(value, _DATE_PART[fmt])}, {format_time(value, 'short')}"
    return format_datetime(value, fmt)


def register(app: Flask) -> None:
    filters = {
        "datetime": format_moment,
        "date": lambda v, f="medium": format_date(v, f) if v else "",
        "time": lambda v, f="short": format_time(v, f) if v else "",
        "number": lambda v: format_decimal(v) if v is not None else "",
        "markdown": render_markdown,
        "local": local,
        "isodate": lambda v: v.isoformat() if isinstance(v, (date, datetime)) else "",
    }
    app.jinja_env.filters.update(filters)
