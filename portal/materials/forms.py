"""The forms of the materials area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, URLField
from wtforms.validators import URL, DataRequired, Optional

from portal.forms import Length, PortalForm


class MaterialForm(PortalForm):
    title = StringField(_l("Titel"), validators=[DataRequired(message=_l("Bitte einen Titel angeben.")),
                                                  Length(max=200)])
    upload = FileField(_l("Datei"))
    url = URLField(_l("… oder Link"), validators=[
        Optional(), Length(max=2000),
        URL(message=_l("Bitte eine vollständige Adresse mit https:// eingeben."))])
    internal = BooleanField(_l("Intern (nur für die Organisation des Treffens sichtbar)"))


class VersionForm(PortalForm):
    upload = FileField(_l("Neue Version"))
