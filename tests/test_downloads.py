"""Every file the portal hands out names itself as RFC 6266 asks."""
from __future__ import annotations

from urllib.parse import unquote

from portal.downloads import download


def test_a_name_with_umlauts_has_an_ascii_fallback_and_the_exact_utf8_name(app):
    with app.test_request_context():
        response = download("a;b\r\n", "Übersicht März/„2026“.csv", "text/csv")
    disposition = response.headers["Content-Disposition"]
    plain, exact = disposition.split("; filename*=")
    assert plain == 'attachment; filename="Uebersicht Maerz_2026.csv"'
    assert exact.startswith("UTF-8''") and " " not in exact and "/" not in exact
    assert unquote(exact.removeprefix("UTF-8''")) == "Übersicht März/„2026“.csv"
    disposition.encode("latin-1")  # a header value: no character beyond Latin-1
    assert response.mimetype == "text/csv" and response.headers["Cache-Control"] == "private, no-store"


def test_an_ascii_name_is_written_once_and_inline_when_asked(app):
    with app.test_request_context():
        response = download(b"%PDF", "Protokoll-2030-03-20-7.pdf", "application/pdf", inline=True)
    assert response.headers["Content-Disposition"] == 'inline; filename="Protokoll-2030-03-20-7.pdf"'


def test_downloads_of_the_areas_name_their_files(client, login_as, make):
    login_as(make.person("office"))
    for url, start in (("/members/export.csv", 'attachment; filename="mitglieder-'),
                       ("/actions/export.csv", 'attachment; filename="aufgaben-'),
                       ("/reports/export.csv", 'attachment; filename="fortschrittsbericht-')):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Disposition"].startswith(start), url
        assert response.headers["Cache-Control"] == "private, no-store", url
