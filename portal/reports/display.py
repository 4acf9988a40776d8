"""How report figures are written, the same in the dashboard, the PDF and the CSV (de-DE by default)."""
from __future__ import annotations

from functools import lru_cache

from babel import Locale, numbers
from flask_babel import format_decimal, get_locale, ngettext
from flask_babel import gettext as _

DASH = "–"


def figure(value: float | None, kind: str = "count") -> str:
    if value is None:
        return DASH
    return _figure(value, kind, get_locale())


@lru_cache(maxsize=4096)
def _figure(value: float, kind: str, locale: Locale) -> str:
    """Written once per value, kind and language: a report writes the same small numbers hundreds
    of times (tables, charts, their alternative texts), and Babel's formatting is the costly part."""
    if kind == "percent":
        return numbers.format_percent(value, "#,##0.0 %", locale=locale)
    if kind in ("days", "decimal"):
        return numbers.format_decimal(value, "#,##0.0", locale=locale)
    return numbers.format_decimal(value, locale=locale)


def change(value: float | None, kind: str = "count") -> str:
    """A signed difference to the previous period; percentages in percentage points."""
    if value is None:
        return DASH
    if abs(value) < 1e-9:
        return "±0"
    sign = "+" if value > 0 else "−"
    if kind == "percent":
        return _("%(sign)s%(value)s Pp.", sign=sign, value=format_decimal(abs(value) * 100, "#,##0.0"))
    if kind in ("days", "decimal"):
        return sign + format_decimal(abs(value), "#,##0.0")
    return sign + format_decimal(abs(value))


def where(meeting) -> str:
    """Which series a meeting belongs to, in few words: the plenary or the group's short name."""
    if meeting.is_plenary:
        return _("Plenum")
    return meeting.group.short_name or meeting.group.name


def votes(decision) -> str:
    """"3 Ja-Stimmen, 1 Nein-Stimme, 1 Enthaltung" with the right plural for each count; '' when
    the minutes recorded no votes."""
    counts = (decision.votes_yes, decision.votes_no, decision.votes_abstain)
    if all(count is None for count in counts):
        return ""
    yes, no, abstain = (count or 0 for count in counts)
    return ", ".join((ngettext("%(num)s Ja-Stimme", "%(num)s Ja-Stimmen", yes),
                      ngettext("%(num)s Nein-Stimme", "%(num)s Nein-Stimmen", no),
                      ngettext("%(num)s Enthaltung", "%(num)s Enthaltungen", abstain)))


def helpers() -> dict:
    """What the report templates need to write figures."""
    return {"figure": figure, "change": change, "where": where, "votes_line": votes}
