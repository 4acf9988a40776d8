"""CSV files that German Excel opens correctly, and never as formulas: the basics every export shares.

Files are UTF-8 with BOM, ';' separated, CRLF line ends. A cell that a spreadsheet would run as
a formula (starting with = + - @, tab or carriage return) gets a leading apostrophe, which
spreadsheets show as "this is text"; a value that already starts with apostrophes before such a
character gets one more, so that unguarded() (used by the members import) restores every value
exactly.
"""
from __future__ import annotations

import csv
import io
from typing import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guarded(value) -> str:
    """The value as text that a spreadsheet will show, never run as a formula (None: empty)."""
    text = "" if value is None else str(value)
    if text.lstrip("'").startswith(FORMULA_START):
        return "'" + text
    return text


def unguarded(text: str) -> str:
    """A cell as it was before guarded(): without the guard's apostrophe."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_START):
        return text[1:]
    return text


def excel_csv(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """The header and rows as a CSV file for German Excel; every cell is guarded."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([guarded(cell) for cell in header])
    writer.writerows([guarded(cell) for cell in row] for row in rows)
    return out.getvalue().encode("utf-8-sig")
