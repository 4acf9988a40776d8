"""The submitted answers of a survey as a table: one row per response, one column per question
(per statement for a matrix). As CSV (the portal's writer) and as XLSX (openpyxl). Anonymous
surveys leave out who answered."""
from __future__ import annotations

import io

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from portal.csv_files import excel_csv as _excel_csv
from portal.csv_files import guarded
from portal.formatting import local
from portal.surveys.models import QuestionKind, Survey
from portal.surveys.results import respondent_name, respondent_org, submitted


def table(survey: Survey) -> tuple[list[str], list[list[str]]]:
    columns: list[tuple[int, int | None]] = []
    header = [] if survey.anonymous else [_("Antwortende"), _("beantwortet von")]
    header += [_("Branche"), _("abgeschickt am")]
    for q in survey.questions:
        if q.kind.is_matrix:
            for item, statement in enumerate(q.statement_list):
                columns.append((q.id, item))
                header.append(f"{q.text}: {statement}")
        else:
            columns.append((q.id, None))
            header.append(q.text)
    kinds = {q.id: q.kind for q in survey.questions}
    rows = []
    for response in submitted(survey):
        values: dict[tuple[int, int | None], list[str]] = {}
        for a in response.answers:
            key = (a.question_id, a.item if kinds.get(a.question_id) is QuestionKind.MATRIX else None)
            values.setdefault(key, []).append(_shown(a.value, kinds.get(a.question_id)))
        org = respondent_org(response)
        row = [] if survey.anonymous else [respondent_name(response),
                                           response.answered_by.name if response.answered_by else ""]
        row += [org.sector if org else "",
                local(response.submitted_at).strftime("%d.%m.%Y %H:%M") if response.submitted_at else ""]
        row += [" | ".join(values.get(key, [])) for key in columns]
        rows.append(row)
    return header, rows


def _shown(value: str, kind) -> str:
    if kind is QuestionKind.SHARE_EXPERIENCE:
        return _("ja") if value == "yes" else _("nein")
    return value


def results_csv(survey: Survey) -> bytes:
    header, rows = table(survey)
    return _excel_csv(header, rows)


def results_xlsx(survey: Survey) -> bytes:
    header, rows = table(survey)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Antworten")[:31]
    sheet.append([guarded(h) for h in header])
    for row in rows:
        sheet.append([guarded(cell) for cell in row])
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 24
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
