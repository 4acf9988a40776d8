"""Charts of the progress report, drawn on the server as SVG, so that the dashboard and the PDF
show the same picture. Every chart carries its numbers as a table too (for screen readers and for
anyone who prefers to read), and series differ by pattern as well as by colour.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.labels import label
from portal.reports.display import figure
from portal.reports.report import Report

WIDTH = 640
INK, MUTED, GRID = "#1b1f23", "#4a5561", "#d5dbe1"
FILLS = ("#0b4f6c", "#b86e00")
FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'


@dataclass
class Chart:
    key: str
    title: str
    description: str
    svg: Markup
    columns: list[str]
    rows: list[list[str]]  # the first cell of a row names it (a <th scope="row">)


def charts_for(report: Report) -> list[Chart]:
    return [attendance_chart(report), actions_chart(report), sectors_chart(report)]


def attendance_chart(report: Report) -> Chart:
    points = report.attendance
    title = _("Anwesenheit im Zeitverlauf")
    description = _("Anwesende je %(unit)s (Personen und Gäste), aus den abgehaltenen Treffen.",
                    unit=_unit_name(report))
    labels, series = [p.bucket.label for p in points], [(_("Anwesende"), [p.attendances for p in points])]
    alt = column_alt(_("Anwesende"), _unit_name(report), labels, series)
    svg = column_svg("attendance", alt, description, labels, series)
    rows = [[p.bucket.label, figure(p.meetings), figure(p.attendances), figure(p.invited),
             figure(p.rate, "percent")] for p in points]
    columns = [_("Zeitraum"), _("Treffen"), _("Anwesende"), _("Eingeladene"), _("Quote")]
    return Chart("attendance", title, description, svg, columns, rows)


def actions_chart(report: Report) -> Chart:
    points = report.actions
    title = _("Aufgaben: angelegt und erledigt")
    description = _("Neu angelegte und erledigte Aufgaben je %(unit)s.", unit=_unit_name(report))
    labels = [p.bucket.label for p in points]
    series = [(_("angelegt"), [p.opened for p in points]), (_("erledigt"), [p.done for p in points])]
    alt = column_alt(_("angelegte und erledigte Aufgaben"), _unit_name(report), labels, series)
    svg = column_svg("actions", alt, description, labels, series)
    rows = [[p.bucket.label, figure(p.opened), figure(p.done)] for p in points]
    return Chart("actions", title, description, svg, [_("Zeitraum"), _("angelegt"), _("erledigt")], rows)


def sectors_chart(report: Report) -> Chart:
    title = _("Mitgliedsorganisationen nach Branche")
    description = _("Organisationen mit mindestens einem Mitglied am Ende des Zeitraums, nach Branche.")
    sectors = [(label("sector", sector), count) for sector, count in report.organization_sectors]
    svg = bar_svg("sectors", bar_alt(title, sectors), description, sectors)
    rows = [[sector, figure(count)] for sector, count in sectors]
    return Chart("sectors", title, description, svg, [_("Branche"), _("Organisationen")], rows)


def _unit_name(report: Report) -> str:
    days = report.period.days
    return _("Monat") if days <= 731 else _("Quartal") if days <= 8 * 366 else _("Jahr")


# -- alternative texts ---------------------------------------------------------------------------
# The SVG's <title> is what a chart shows in one sentence, made from its numbers: the accessible
# name on the dashboard and the /Alt of its Figure in the PDF (WeasyPrint takes it from <title>).

def column_alt(what: str, unit: str, labels: list[str], series: list[tuple[str, list[int]]]) -> str:
    """A column chart over time: its span, and per series the total and the highest column."""
    if not labels or not any(any(values) for _, values in series):
        return _("Säulendiagramm: %(what)s je %(unit)s, keine Werte in diesem Zeitraum.", what=what, unit=unit)
    span = labels[0] if len(labels) == 1 else _("%(first)s bis %(last)s", first=labels[0], last=labels[-1])
    facts = [_("%(name)s insgesamt %(total)s, höchster Wert %(peak)s (%(label)s)", name=name,
               total=figure(sum(values)), peak=figure(max(values)), label=labels[values.index(max(values))])
             for name, values in series]
    return _("Säulendiagramm: %(what)s je %(unit)s, %(span)s; %(facts)s.", what=what, unit=unit, span=span,
             facts="; ".join(facts))


def bar_alt(title: str, rows: list[tuple[str, int]]) -> str:
    """A bar chart of a few categories: every bar with its value."""
    if not rows:
        return _("Balkendiagramm: %(title)s, keine Werte in diesem Zeitraum.", title=title)
    return _("Balkendiagramm: %(title)s: %(bars)s.", title=title,
             bars=", ".join(f"{name} {figure(value)}" for name, value in rows))


# -- drawing -------------------------------------------------------------------------------------

def _scale(top: float) -> tuple[float, list[float]]:
    """A round upper end for the axis and its gridlines (about four steps)."""
    if top <= 0:
        return 1, [0, 1]
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = max(1, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))  # whole numbers
    end = step * math.ceil(top / step)
    ticks, value = [], 0.0
    while value <= end + 1e-9:
        ticks.append(value)
        value += step
    return end, ticks


def _text(x: float, y: float, content: str, anchor: str = "middle", size: int = 11,
          fill: str = INK, extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}" {FONT} {extra}>{escape(content)}</text>')


def _open(key: str, alt: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{key}-title {key}-desc">',
        f'<title id="{key}-title">{escape(alt)}</title><desc id="{key}-desc">{escape(description)}</desc>',
        f'<defs><pattern id="{key}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<rect width="3" height="6" fill="{FILLS[1]}"/></pattern></defs>',
    ]


def _fill(key: str, index: int) -> str:
    return FILLS[0] if index == 0 else f"url(#{key}-hatch)"


def column_svg(key: str, alt: str, description: str, labels: list[str],
               series: list[tuple[str, list[int]]]) -> Markup:
    """Vertical bars per label, one bar per series, with a legend above and an axis at the left."""
    height, left, right, top, bottom = 260, 44, 12, 34, 40
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    end, ticks = _scale(max((max(values, default=0) for _, values in series), default=0))
    parts = _open(key, alt, description, height)
    for tick in ticks:
        y = top + plot_h - tick / end * plot_h
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(_text(left - 6, y + 4, figure(tick), "end", 10, MUTED))
    x = left
    for index, (name, _values) in enumerate(series):  # legend
        parts.append(f'<rect x="{x}" y="8" width="14" height="14" fill="{_fill(key, index)}" '
                     f'stroke="{FILLS[index]}"/>')
        parts.append(_text(x + 20, 19, name, "start", 11))
        x += 30 + 7 * len(name)
    count = max(len(labels), 1)
    slot = plot_w / count
    bar = min(slot * 0.8 / max(len(series), 1), 48)
    show_values = count * len(series) <= 30
    every = max(1, math.ceil(count * 62 / plot_w))  # labels that fit side by side
    for i, text in enumerate(labels):
        x0 = left + i * slot + (slot - bar * len(series)) / 2
        for index, (_name, values) in enumerate(series):
            value = values[i]
            h = value / end * plot_h
            bx, by = x0 + index * bar, top + plot_h - h
            parts.append(f'<rect x="{bx:.1f}" y="{by:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                         f'fill="{_fill(key, index)}" stroke="{FILLS[index]}"/>')
            if show_values and value:
                parts.append(_text(bx + bar / 2, by - 3, figure(value), "middle", 9))
        if i % every == 0:
            parts.append(_text(left + i * slot + slot / 2, height - bottom + 16, text, "middle", 10))
    parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{INK}"/>')
    if not any(any(values) for _, values in series):
        parts.append(_text(left + plot_w / 2, top + plot_h / 2, _("Keine Werte in diesem Zeitraum"),
                           "middle", 12, MUTED))
    parts.append("</svg>")
    return Markup("".join(parts))  # every text inside is escaped above


def bar_svg(key: str, alt: str, description: str, rows: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per row, the label at the left and the value at the bar's end."""
    label_w, right, row_h, top = 170, 50, 26, 8
    height = top * 2 + max(len(rows), 1) * row_h
    plot_w = WIDTH - label_w - right
    end, _ticks = _scale(max((value for _, value in rows), default=0))
    parts = _open(key, alt, description, height)
    for i, (name, value) in enumerate(rows):
        y = top + i * row_h
        w = value / end * plot_w
        parts.append(_text(label_w - 8, y + 17, name, "end", 11))
        parts.append(f'<rect x="{label_w}" y="{y + 4:.1f}" width="{w:.1f}" height="{row_h - 8}" fill="{FILLS[0]}"/>')
        parts.append(_text(label_w + w + 6, y + 17, figure(value), "start", 11))
    if not rows:
        parts.append(_text(WIDTH / 2, top + 17, _("Keine Mitglieder in diesem Zeitraum"), "middle", 12, MUTED))
    parts.append(f'<line x1="{label_w}" x2="{label_w}" y1="{top}" y2="{height - top}" stroke="{INK}"/>')
    parts.append("</svg>")
    return Markup("".join(parts))  # every text inside is escaped above
