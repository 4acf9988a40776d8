"""The register's filters, read from the query string."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Optional

from portal.decisions.register import Filters
from portal.forms import Length, PortalForm
from portal.params import parse_int

PLENARY = "0"


class DecisionFilterForm(PortalForm):
    class Meta:
        csrf = False

    text = StringField(_l("Text enthält"), validators=[Optional(), Length(max=200)])
    group = SelectField(_l("Reallabor"), validators=[Optional()])
    year = SelectField(_l("Jahr"), validators=[Optional()])
    meeting = SelectField(_l("Treffen"), validators=[Optional()])

    def set_choices(self, groups, years, meetings) -> None:
        every = ("", _l("alle"))
        self.group.choices = [every, (PLENARY, _l("Plenum")), *((str(i), name) for i, name in groups)]
        self.year.choices = [every, *((str(y), str(y)) for y in years)]
        self.meeting.choices = [every, *((str(m.id), f"{m.starts_at:%d.%m.%Y} {m.title}") for m in meetings)]

    def filters(self) -> Filters:
        """What was chosen; a value that is not among the choices counts as not chosen."""
        def chosen(field) -> str:
            return field.data if field.data in {value for value, _ in field.choices} else ""

        group = chosen(self.group)
        return Filters(group_id=0 if group == PLENARY else parse_int(group),
                       year=parse_int(chosen(self.year)), meeting_id=parse_int(chosen(self.meeting)),
                       text=(self.text.data or "")[:200])

    def url_args(self) -> dict:
        return {name: value for name, value in
                (("text", self.text.data), ("group", self.group.data), ("year", self.year.data),
                 ("meeting", self.meeting.data)) if value}
