"""Column types shared by all areas."""
from datetime import date, datetime, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """A point in time, stored in UTC and always returned timezone-aware.

    SQLite forgets the offset, so values are normalised to UTC on the way in
    and marked as UTC on the way out; naive datetimes are refused.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def one_of(column: str, values: tuple[str, ...]) -> CheckConstraint:
    """A check constraint that keeps a state column within its known values."""
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=column)


def state_column(states: type[StrEnum], length: int = 20) -> Enum:
    """A column of states stored as their values in a VARCHAR, read back as members of `states`.
    The CHECK that keeps the column within the values comes from one_of(), as before the enums."""
    return Enum(states, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [m.value for m in members])


BERLIN = ZoneInfo("Europe/Berlin")


def local_today() -> date:
    """Today's date in Europe/Berlin, where the alliance lives."""
    return datetime.now(BERLIN).date()
