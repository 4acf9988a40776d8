"""The circular's form: subject, text and recipients."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.circulars.models import Audience
from portal.circulars.sending import Draft
from portal.forms import Length, PortalForm
from portal.labels import label
from portal.params import parse_int

AUDIENCE_LABELS = {
    Audience.ALL_MEMBERS: _l("alle Mitglieder"),
    Audience.GROUPS: _l("die Mitglieder von Reallaboren"),
    Audience.INVITEES: _l("die Eingeladenen eines Treffens"),
    Audience.ATTENDEES: _l("die Anwesenden eines Treffens"),
    Audience.SECTORS: _l("die Mitglieder von Organisationen bestimmter Branchen"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CircularForm(PortalForm):
    subject = StringField(_l("Betreff"), validators=[DataRequired(_l("Bitte geben Sie einen Betreff an.")),
                                                     Length(max=200)])
    body = TextAreaField(_l("Text (Markdown)"), validators=[
        DataRequired(_l("Bitte schreiben Sie den Text des Rundschreibens.")), Length(max=20000)])
    audience = RadioField(_l("An"), default=Audience.ALL_MEMBERS.value)
    group_ids = MultiCheckboxField(_l("Reallabore"), validators=[Optional()], coerce=int)
    meeting_id = SelectField(_l("Treffen"), validators=[Optional()])
    sectors = MultiCheckboxField(_l("Branchen"), validators=[Optional()])

    def set_choices(self, audiences, groups, meetings, sectors) -> None:
        self.audience.choices = [(a.value, AUDIENCE_LABELS[a]) for a in audiences]
        self.group_ids.choices = [(group_id, name) for group_id, name in groups]
        self.meeting_id.choices = [("", "—"), *((str(m.id), f"{m.starts_at:%d.%m.%Y} · {m.title}") for m in meetings)]
        self.sectors.choices = [(s, label("sector", s)) for s in sectors]

    def draft(self) -> Draft:
        return Draft(subject=self.subject.data or "", body=self.body.data or "",
                     audience=Audience(self.audience.data), group_ids=list(self.group_ids.data or []),
                     sectors=list(self.sectors.data or []), meeting_id=parse_int(self.meeting_id.data or ""))


class ReceiveForm(PortalForm):
    receives = BooleanField(_l("Rundschreiben der Geschäftsstelle und der Reallabore per E-Mail erhalten"))
