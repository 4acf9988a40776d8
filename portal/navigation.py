"""The main navigation, shared by every page."""
from __future__ import annotations

from typing import NamedTuple

from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.i18n import lazy_text
from portal.permissions import can

_MAIN = (
    ("home.index", _l("Start"), "portal.read"),
    ("members.index", _l("Mitglieder"), "portal.read"),
    ("groups.index", _l("Reallabore"), "portal.read"),
    ("meetings.index", _l("Treffen"), "portal.read"),
    ("actions.index", _l("Aufgaben"), "portal.read"),
    ("decisions.index", _l("Beschlüsse"), "portal.read"),
    ("circulars.index", _l("Rundschreiben"), "portal.read"),
    ("surveys.index", _l("Umfragen"), "portal.read"),
    ("exchange.index", _l("Erfahrungsbörse"), "portal.read"),
    ("reports.index", _l("Berichte"), "reports.view"),
    ("jobs.mails", _l("E-Mail-Versand"), "mails.manage"),
    ("members.profile", _l("Mein Profil"), "portal.read"),
)
# pages that belong to a section other than their blueprint's
_EXACT = {"members.profile"}


class NavItem(NamedTuple):
    endpoint: str
    label: str
    current: bool


def _is_current(endpoint: str, here: str) -> bool:
    if endpoint in _EXACT or here in _EXACT:
        return here == endpoint
    return here.split(".")[0] == endpoint.split(".")[0]


def main_navigation() -> list[NavItem]:
    user = current_user._get_current_object()  # asked once, not through the proxies per entry
    here = request.endpoint or ""
    return [NavItem(endpoint, lazy_text(label), _is_current(endpoint, here))
            for endpoint, label, action in _MAIN if can(action, user=user)]
