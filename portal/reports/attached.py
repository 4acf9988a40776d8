"""The lists that a progress report too long to print them carries inside its PDF, as CSV files
for German spreadsheets (portal.csv_files): every meeting of the period (the cancelled ones too),
every decision with its wording, and the goals and outcomes with their milestones. Together they
hold what the full report prints in its chapters (portal.reports.document.prints_in_full)."""
from __future__ import annotations

from flask_babel import gettext as _

from portal.csv_files import excel_csv
from portal.documents.render import FileAttachment
from portal.formatting import date_text, time_text
from portal.labels import label
from portal.reports import display
from portal.reports.report import Report


def files(report: Report) -> tuple[FileAttachment, ...]:
    return (FileAttachment(_("treffen.csv"), _("Alle Treffen des Zeitraums, auch die abgesagten, mit ihren Zahlen"),
                           meetings_csv(report)),
            FileAttachment(_("beschluesse.csv"), _("Alle Beschlüsse des Zeitraums mit ihrem Wortlaut"),
                           decisions_csv(report)),
            FileAttachment(_("ziele-und-ergebnisse.csv"),
                           _("Die Ziele der Reallabore und die Ergebnisse mit ihren Meilensteinen, Stand heute"),
                           goals_and_outcomes_csv(report)))


def meetings_csv(report: Report) -> bytes:
    header = [_("Datum"), _("Beginn"), _("Reallabor"), _("Titel"), _("Status"), _("Anwesend"),
              _("Organisationen"), _("Eingeladen"), _("Quote"), _("Beschlüsse"), _("Grund der Absage")]
    tabled = [(row.meeting, _figures(row)) for row in report.meetings]
    cancelled = [(m, ["", "", "", "", "", m.cancel_reason or ""]) for m in report.cancelled]
    rows = [[date_text(m.starts_at, "medium"), time_text(m.starts_at, "short"), display.where(m), m.title,
             label("meeting_status", m.status), *figures]
            for m, figures in sorted(tabled + cancelled, key=lambda pair: (pair[0].starts_at, pair[0].id))]
    return excel_csv(header, rows)


def _figures(row) -> list[str]:
    """Present, organizations, invited, rate, decisions, (no reason): attendance only once held."""
    held = row.meeting.is_held
    return [display.figure(row.attendances) if held else "", display.figure(row.organizations) if held else "",
            display.figure(row.invited), display.figure(row.rate, "percent") if held else "",
            display.figure(len(row.decisions)), ""]


def decisions_csv(report: Report) -> bytes:
    header = [_("Datum"), _("Beginn"), _("Reallabor"), _("Treffen"), _("Beschluss"), _("Abstimmung"), _("Wortlaut")]
    rows = [[date_text(d.meeting.starts_at, "medium"), time_text(d.meeting.starts_at, "short"), display.where(d.meeting),
             d.meeting.title, d.number, display.votes(d), d.text] for d in report.decisions]
    return excel_csv(header, rows)


def goals_and_outcomes_csv(report: Report) -> bytes:
    header = [_("Reallabor"), _("Art"), _("Titel"), _("Zum Ergebnis"), _("Status"), _("Fällig am"),
              _("Erreicht am"), _("Beschreibung"), _("Partner")]
    rows = [[chapter.group.name, _("Ziel"), goal.title, "", label("goal_status", goal.status), "",
             date_text(goal.reached_on, "medium"), goal.description, ""]
            for chapter in report.chapters if chapter.group is not None for goal in chapter.goals]
    for outcome in report.outcomes:
        where = outcome.group.name if outcome.group is not None else _("Plenum")
        rows.append([where, _("Ergebnis"), outcome.title, "", label("outcome_status", outcome.status), "", "",
                     outcome.description, outcome.partners])
        rows += [[where, _("Meilenstein"), m.title, outcome.title, "", date_text(m.due_on, "medium"),
                  date_text(m.reached_on, "medium"), "", ""] for m in outcome.milestones]
    return excel_csv(header, rows)
