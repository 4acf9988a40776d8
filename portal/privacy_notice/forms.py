"""Forms of the privacy notice."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from portal.forms import Length, PortalForm

MAX_LENGTH = 50_000


class NoticeForm(PortalForm):
    text = TextAreaField(_l("Text der Datenschutzhinweise (Markdown)"), validators=[
        DataRequired(_l("Bitte geben Sie den Text der Datenschutzhinweise ein.")), Length(max=MAX_LENGTH)])


class AcceptForm(PortalForm):
    version = HiddenField()
    next = HiddenField()
