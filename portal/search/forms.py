"""The search form, read from the query string."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from portal.forms import Length, PortalForm

MAX_QUERY = 200


class SearchForm(PortalForm):
    class Meta:
        csrf = False

    q = StringField(_l("Suchbegriffe"), validators=[Optional(), Length(max=MAX_QUERY)])
    kind = SelectField(_l("Art"), validators=[Optional()])
    group = SelectField(_l("Reallabor"), validators=[Optional()])
    year = SelectField(_l("Jahr"), validators=[Optional()])
    order = SelectField(_l("Reihenfolge"), validators=[Optional()])
