"""The main navigation and role names, shared by every page."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.permissions import can

_MAIN = (
    ("home.index", _l("Start"), "portal.read"),
    ("members.index", _l("Mitglieder"), "portal.read"),
    ("groups.index", _l("Reallabore"), "portal.read"),
    ("meetings.index", _l("Treffen"), "portal.read"),
    ("actions.index", _l("Aufgaben"), "portal.read"),
    ("reports.index", _l("Berichte"), "reports.view"),
    ("members.profile", _l("Mein Profil"), "portal.read"),
)

def main_navigation() -> list[tuple[str, str]]:
    views = current_app.view_functions
    return [(endpoint, label) for endpoint, label, action in _MAIN if endpoint in views and can(action)]
