"""HTML to PDF with WeasyPrint, shared by every PDF of the portal (minutes, progress report).

Safe by construction: the renderer reads nothing but the portal's own static files
(fonts, logo), so neither a template nor user text can make it fetch a URL or a local file.
Relative URLs in the HTML resolve against the static folder: `<img src="logo.svg">`,
`url(fonts/DejaVuSans.ttf)`.
"""
from __future__ import annotations

import logging
import mimetypes
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint import HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from portal.documents.structure import fix_structure

log = logging.getLogger(__name__)

STATIC_DIR = (Path(__file__).resolve().parent.parent / "static").resolve()
BASE_URL = STATIC_DIR.as_uri() + "/"
# Archivable (PDF/A-3) and tagged for assistive technology (conformance level "a":
# structure tree, language, Unicode text); WeasyPrint embeds the fonts it uses.
PDF_VARIANT = "pdf/a-3a"


class StaticOnlyFetcher(URLFetcher):
    """Serves files below portal/static and refuses every other URL (http, data, other files)."""

    def fetch(self, url, headers=None):
        path = _static_path(url)
        if path is None:
            log.warning("PDF renderer refused to fetch %s", url[:200])
            raise ValueError(f"refused: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(),
                                  headers={"Content-Type": content_type})


def _static_path(url: str) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(unquote(parts.path)).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        return None
    return path


@dataclass(frozen=True)
class FileAttachment:
    """A file carried inside the PDF (PDF/A-3 allows any), e.g. a list too long to print."""

    name: str
    description: str
    data: bytes


@dataclass(frozen=True)
class Printable:
    """What becomes a PDF: the HTML, the title for its metadata, the files it carries."""

    html: str
    title: str
    attachments: tuple[FileAttachment, ...] = ()


_fonts: FontConfiguration | None = None
_fonts_lock = threading.Lock()


def font_configuration() -> FontConfiguration:
    """One FontConfiguration per process: building it and loading @font-face files is costly."""
    global _fonts
    with _fonts_lock:
        if _fonts is None:
            _fonts = FontConfiguration()
        return _fonts


def render_pdf(html: str, title: str, lang: str = "de", attachments: tuple[FileAttachment, ...] = ()) -> bytes:
    """The PDF of an HTML document (a template of templates/print/), with its title and
    language set in the PDF's metadata whatever the HTML says, the files it carries, and its
    structure tree completed for PDF/UA (portal.documents.structure)."""
    fonts = font_configuration()
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render(
        font_config=fonts, pdf_variant=PDF_VARIANT
    )
    document.metadata.title = title
    document.metadata.lang = lang
    # associated files of PDF/A-3, "Supplement": the data behind what the pages show
    document.metadata.attachments += [Attachment(string=a.data, name=a.name, description=a.description,
                                                 relationship="Supplement") for a in attachments]
    return fix_structure(document.write_pdf(pdf_variant=PDF_VARIANT), lang)


def render_printable(printable: Printable, lang: str) -> bytes:
    return render_pdf(printable.html, printable.title, lang, printable.attachments)


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_of_css() -> Markup:
    """The CSS `content` of the footer "Seite N von M" of every printed document (templates/print/
    print.css), from the message catalogue in the document's language and word order: the
    translated text with the page counters put in."""
    marks = {"\x01": "counter(page)", "\x02": "counter(pages)"}
    text = _("Seite %(n)s von %(m)s", n="\x01", m="\x02")
    parts = re.split("([\x01\x02])", text)
    return Markup(" ".join(marks[p] if p in marks else _css_string(p) for p in parts if p))
