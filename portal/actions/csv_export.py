"""The action-item list as CSV that German Excel opens correctly (see portal.csv_files)."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from flask_babel import gettext as _

from portal.actions.models import ActionItem
from portal.csv_files import excel_csv
from portal.labels import label
from portal.links import external_url
from portal.types import BERLIN


def _day(value: date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def actions_csv(items: Iterable[ActionItem], today: date) -> bytes:
    header = (
        _("Nr."), _("Titel"), _("Status"), _("überfällig"), _("Frist"), _("Verantwortlich"),
        _("Organisation"), _("Reallabor"), _("Treffen"), _("erledigt am"), _("Grund für den Abbruch"),
        _("Link"),
    )
    return excel_csv(header, ((
        item.id, item.title, label("action_status", item.status),
        _("ja") if item.is_overdue(today) else _("nein"), _day(item.due_on), item.owner.name,
        item.owner.organization.name if item.owner.organization else "",
        item.group.name if item.group else _("Plenum"),
        item.meeting.title if item.meeting else "",
        _day(item.completed_at.astimezone(BERLIN).date()) if item.completed_at else "",
        item.cancel_reason, external_url("actions.show", action_id=item.id),
    ) for item in items))
