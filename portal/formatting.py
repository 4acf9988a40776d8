"""Template filters: dates, times and numbers in the user's locale, shown in Europe/Berlin."""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, format_time

from portal.text import render_markdown
from portal.types import BERLIN

def local(value: datetime) -> datetime:
    return value.astimezone(BERLIN)


def register(app: Flask) -> None:
    filters = {
        "datetime": lambda v, f="medium": format_datetime(v, f) if v else "",
        "date": lambda v, f="medium": format_date(v, f) if v else "",
        "time": lambda v, f="short": format_time(v, f) if v else "",
        "number": lambda v: format_decimal(v) if v is not None else "",
        "markdown": render_markdown,
        "local": local,
        "isodate": lambda v: v.isoformat() if isinstance(v, (date, datetime)) else "",
    }
    app.jinja_env.filters.update(filters)
