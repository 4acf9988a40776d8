"""The action-item list as CSV that German Excel opens correctly: UTF-8 with BOM, ';' separated."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Iterable

from flask_babel import gettext as _

from portal.actions.models import ActionItem
from portal.labels import label
from portal.types import BERLIN
from portal.links import external_url

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Text as typed, but never a formula for the spreadsheet program."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def actions_csv(items: Iterable[ActionItem], today: date) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([
        _("Nr."), _("Titel"), _("Status"), _("überfällig"), _("Frist"), _("Verantwortlich"),
        _("Organisation"), _("Reallabor"), _("Treffen"), _("erledigt am"), _("Grund für den Abbruch"),
        _("Link"),
    ])
    for item in items:
        writer.writerow([_cell(v) for v in (
            item.id, item.title, label("action_status", item.status),
            _("ja") if item.is_overdue(today) else _("nein"), _day(item.due_on), item.owner.name,
            item.owner.organization.name if item.owner.organization else "",
            item.group.name if item.group else _("Plenum"),
            item.meeting.title if item.meeting else "",
            _day(item.completed_at.astimezone(BERLIN).date()) if item.completed_at else "",
            item.cancel_reason, external_url("actions.show", action_id=item.id),
        )])
    return out.getvalue().encode("utf-8-sig")
