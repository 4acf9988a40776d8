"""Report periods: whole days in Europe/Berlin, turned into UTC bounds for the queries.

A period runs from the start of its first day to the end of its last day, local time:
a meeting at 23:30 on the last day belongs to it, one at 00:30 on the next day does not.
Midnight is converted with zoneinfo, so the 23- and 25-hour days of daylight saving are right.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from portal.types import BERLIN

KINDS = {
    "quarter": _l("Dieses Quartal"),
    "year": _l("Dieses Jahr"),
    "phase": _l("Gesamte Projektphase"),
    "custom": _l("Eigener Zeitraum"),
    "funding": _l("Förderphase"),
}
PRESETS = ("quarter", "year", "phase")  # the periods the dashboard offers as links
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)


class PeriodError(ValueError):
    """A period a user asked for that cannot be shown; the message says why (German)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    kind: str = "custom"

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError(str(_l("Das Enddatum liegt vor dem Anfangsdatum.")))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @cached_property
    def starts_at(self) -> datetime:
        """The first moment of the period, in UTC."""
        return local_midnight(self.start)

    @cached_property
    def ends_before(self) -> datetime:
        """The first moment after the period, in UTC (exclusive bound)."""
        return local_midnight(self.end + timedelta(days=1))

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.starts_at <= moment < self.ends_before

    def contains_day(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def previous(self) -> Period:
        """The period of the same number of days that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end, "previous")

    def comparison(self, first_meeting: datetime | None) -> Period | None:
        """The period to compare with: the previous one, unless it lies entirely before the
        alliance's first meeting (or there is no meeting yet), when no data can exist for it."""
        previous = self.previous()
        if first_meeting is None or previous.ends_before <= first_meeting:
            return None
        return previous

    @property
    def label(self) -> str:
        return f"{format_date(self.start, 'medium')} – {format_date(self.end, 'medium')}"

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, KINDS["custom"]))


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), BERLIN).astimezone(timezone.utc)


def local_date(moment: datetime) -> date:
    return moment.astimezone(BERLIN).date()


def this_quarter(today: date) -> Period:
    first_month = 3 * ((today.month - 1) // 3) + 1
    start = date(today.year, first_month, 1)
    if first_month == 10:
        next_start = date(today.year + 1, 1, 1)
    else:
        next_start = date(today.year, first_month + 3, 1)
    return Period(start, next_start - timedelta(days=1), "quarter")


def this_year(today: date) -> Period:
    return Period(date(today.year, 1, 1), date(today.year, 12, 31), "year")


def project_phase(first_meeting: datetime | None, today: date) -> Period:
    """From the day of the first meeting to today (just today when there is no meeting yet)."""
    start = local_date(first_meeting) if first_meeting else today
    return Period(min(start, today), today, "phase")


def parse_day(text: str | None, what: str) -> date | None:
    """A YYYY-MM-DD date typed or sent by a user; None when empty; PeriodError when wrong."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise PeriodError(str(_l("%(what)s „%(text)s“ ist kein gültiges Datum (JJJJ-MM-TT).",
                                 what=what, text=text[:40]))) from None
    if not EARLIEST <= day <= LATEST:
        raise PeriodError(str(_l("%(what)s muss zwischen %(a)s und %(b)s liegen.", what=what,
                                 a=format_date(EARLIEST), b=format_date(LATEST))))
    return day


def choose(kind: str | None, start: str | None, end: str | None, *, today: date,
           first_meeting: datetime | None) -> Period:
    """The period for the request's arguments.

    Explicit dates win (a custom period); a missing one is filled from the default period.
    Without dates the named kind is used, and the whole project phase without a kind.
    Raises PeriodError for dates that cannot be read or that are in the wrong order.
    """
    defaults = {
        "quarter": lambda: this_quarter(today),
        "year": lambda: this_year(today),
        "phase": lambda: project_phase(first_meeting, today),
    }
    named = defaults.get(kind or "", defaults["phase"])()
    if kind in defaults:
        return named
    first = parse_day(start, str(_l("Das Anfangsdatum")))
    last = parse_day(end, str(_l("Das Enddatum")))
    if first is None and last is None:
        return named
    first = first or min(named.start, last)
    return Period(first, last or max(named.end, first), "custom")


@dataclass(frozen=True)
class Bucket:
    """One bar of a chart over time: a month, a quarter or a year, cut to the period."""

    start: date
    end: date
    label: str


def _next_start(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def buckets(period: Period) -> list[Bucket]:
    """Months for periods up to two years, quarters up to eight years, years beyond."""
    if period.days <= 731:
        months, align = 1, lambda d: date(d.year, d.month, 1)
        name = lambda d: format_date(d, "MMM y")  # noqa: E731
    elif period.days <= 8 * 366:
        months, align = 3, lambda d: date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
        name = lambda d: str(_l("Q%(q)s/%(y)s", q=(d.month - 1) // 3 + 1, y=d.year))  # noqa: E731
    else:
        months, align = 12, lambda d: date(d.year, 1, 1)
        name = lambda d: str(d.year)  # noqa: E731
    result = []
    start = align(period.start)
    while start <= period.end:
        following = _next_start(start, months)
        result.append(Bucket(max(start, period.start), min(following - timedelta(days=1), period.end),
                             name(start)))
        start = following
    return result
