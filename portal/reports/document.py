"""The progress report as a PDF and its key figures as CSV: both read the one Report object. A
report too long to print in full carries its lists as CSV files (portal.reports.attached)."""
from __future__ import annotations

from flask import current_app, render_template
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from portal.csv_files import excel_csv
from portal.documents.render import Printable, render_printable
from portal.labels import label
from portal.reports import attached, display
from portal.reports.charts import charts_for
from portal.reports.report import Report
from portal.types import utcnow


def report_title(report: Report) -> str:
    if report.phase is not None:
        title = _("Sachbericht %(phase)s", phase=report.phase.name)
    else:
        title = _("Fortschrittsbericht %(period)s", period=report.period.label)
    if report.group is not None:
        title += f" · {report.group.name}"
    return title


def filename(report: Report, extension: str) -> str:
    name = _("fortschrittsbericht-%(start)s-%(end)s", start=report.period.start.isoformat(),
             end=report.period.end.isoformat())
    if report.group is not None:
        name += _("-reallabor-%(id)s", id=report.group.id)
    return f"{name}.{extension}"


def prints_in_full(report: Report) -> bool:
    """Whether the PDF prints every meeting and decision, with its wording, in its working group's
    chapter. A report of more than REPORT_PRINT_ENTRIES meetings and decisions prints its working
    groups as one table instead and carries the lists inside the PDF as CSV files (attached):
    hundreds of pages are read by nobody, and WeasyPrint holds every page in memory at once."""
    return len(report.meetings) + len(report.decisions) <= current_app.config["REPORT_PRINT_ENTRIES"]


def printable(report: Report) -> Printable:
    """The HTML that becomes the PDF, and the files it carries. Long lists (meetings, decisions) are
    blocks, not table rows: long tables are WeasyPrint's slow path; the tables of a report not
    printed in full grow with the working groups, not with the meetings."""
    in_full = prints_in_full(report)
    files = () if in_full else attached.files(report)
    title = report_title(report)
    html = render_template("print/report.html", report=report, charts=charts_for(report), in_full=in_full,
                           files=files, rendered_at=utcnow(), title=title, **display.helpers())
    return Printable(html, title, files)


def render_report_pdf(report: Report) -> bytes:
    return render_printable(printable(report), str(get_locale() or "de"))


def key_figures_csv(report: Report) -> bytes:
    """Key figures of the period and of the one before it (if the report compares; otherwise a
    line saying why not), as German spreadsheets expect them (portal.csv_files). Numbers are
    written as on the dashboard (decimal comma)."""
    compare = report.previous_period is not None
    scope = report.group.name if report.group is not None else _("ganze Allianz")
    header = [_("Kennzahl (%(scope)s)", scope=scope), report.period.label]
    rows = []
    if compare:
        header += [_("Vorzeitraum %(period)s", period=report.previous_period.label), _("Veränderung")]
    else:
        rows.append([report.comparison_note])
    blank = ["", ""] if compare else []  # figures without a comparison of their own
    for row in report.key_figures:
        cells = [row.label, display.figure(row.current, row.kind)]
        if compare:
            cells += [display.figure(row.previous, row.kind), display.change(row.change, row.kind)]
        rows.append(cells)
    rows += [[_("Treffen abgehalten: %(name)s", name=name), display.figure(count)] + blank
             for name, count in report.meetings_by_chapter]
    rows += [[_("Mitglieder am Ende: %(sector)s", sector=sector), display.figure(count)] + blank
             for sector, count in report.sectors]
    rows += [[_("Mitgliedsorganisationen am Ende: %(sector)s", sector=label("sector", sector)),
              display.figure(count)] + blank for sector, count in report.organization_sectors]
    for section in report.sachbericht:
        rows.append([_("Sachbericht: %(title)s", title=section.title),
                     section.text and _("verfasst") or _("noch nicht verfasst")] + blank)
    if report.cancelled:  # their own short list, never among the meetings
        rows.append([_("Abgesagte Treffen"), display.figure(len(report.cancelled))] + blank)
        rows += [[f"{format_date(m.starts_at, 'medium')} · {display.where(m)}", m.title] + blank
                 for m in report.cancelled]
    return excel_csv(header, rows)
