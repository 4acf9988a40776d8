"""Forms of the experience exchange."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal.forms import Length, PortalForm
from portal.people.field import PersonField

REQUIRED = _l("Bitte ausfüllen.")


class ThemeForm(PortalForm):
    name = StringField(_l("Thema"), validators=[DataRequired(REQUIRED), Length(max=200)])
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=5000)])


class StatusForm(PortalForm):
    status = SelectField(_l("Stand Ihrer Organisation"), validators=[Optional()], choices=[
        ("", _l("— kein Thema —")), ("practised", _l("praktiziert")), ("planned", _l("geplant")),
        ("interested", _l("interessiert"))])
    shares = BooleanField(_l("Wir teilen unsere Erfahrung dazu (Sie sind die Kontaktperson)"))


class ContactForm(PortalForm):
    message = TextAreaField(_l("Ihre Nachricht"), validators=[Length(max=2000)])


class GroupForm(PortalForm):
    name = StringField(_l("Name des Reallabors"), validators=[DataRequired(REQUIRED), Length(max=200)])
    moderator = PersonField(_l("Erste Moderation"), pool="members", validators=[DataRequired(_l("Bitte wählen."))])
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=5000)])
