"""Every file the portal hands out (CSV, PDF, .ics) leaves through `download`.

The name is written as RFC 6266 asks: an ASCII `filename=` for old clients (umlauts spelled
out, anything else replaced) and the exact name as `filename*=UTF-8''…` for all others.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from werkzeug.wrappers import Response

_SPELLED_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
_UNSAFE = re.compile(r'[^A-Za-z0-9._ -]')


def download(body: bytes | str, filename: str, mimetype: str, *, inline: bool = False,
             cache: str = "private, no-store") -> Response:
    """A response that offers `body` as the file `filename` (shown in the browser if `inline`).

    Nothing the portal hands out may sit in a shared cache: `cache` is its Cache-Control."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    response.headers["Cache-Control"] = cache
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def content_disposition(filename: str, *, inline: bool = False) -> str:
    kind = "inline" if inline else "attachment"
    fallback = ascii_filename(filename)
    if fallback == filename:
        return f'{kind}; filename="{filename}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def ascii_filename(filename: str) -> str:
    """The name in plain ASCII: "Übersicht März/2026.csv" becomes "Uebersicht Maerz_2026.csv"."""
    decomposed = unicodedata.normalize("NFKD", filename.translate(_SPELLED_OUT))
    plain = decomposed.encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("_", plain) or "download"
