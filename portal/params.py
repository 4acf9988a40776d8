"""Reading numbers from what a client sends (URL, query string, form field)."""
from __future__ import annotations

DB_INT_MAX = 2**31 - 1  # the largest INTEGER both databases store


def parse_int(value, minimum: int = 1, maximum: int = DB_INT_MAX) -> int | None:
    """The whole number `value` spells in ASCII digits, within [minimum, maximum]; else None.

    `str.isdigit` followed by `int` is not enough: "²" is a digit to Python but not a number,
    and twenty nines are a number no database column holds."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        digits = text[1:] if text[:1] in "+-" else text
        if not digits.isascii() or not digits.isdigit() or len(digits) > 20:
            return None
        number = int(text)
    return number if minimum <= number <= maximum else None
