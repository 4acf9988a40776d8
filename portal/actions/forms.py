"""Forms of the actions area. Choices that come from the database are set by the view."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from portal.actions.queries import NO_GROUP, UNFINISHED, ActionFilter
from portal.forms import Length, PortalForm
from portal.labels import choices
from portal.params import parse_int
from portal.people.field import MeetingField, PersonField

COMMENT_MAX = 5000
ALL = "all"  # the status filter's value for every status


class FilterForm(PortalForm):
    """The filter of /actions and its CSV export; read from the query string."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), default=UNFINISHED, validators=[Optional()])
    owner = PersonField(_l("Verantwortlich"), pool="owners")
    group = SelectField(_l("Reallabor"), validators=[Optional()])
    meeting = MeetingField(_l("Treffen"))
    due_from = DateField(_l("Frist ab"), validators=[Optional()])
    due_to = DateField(_l("Frist bis"), validators=[Optional()])
    overdue = BooleanField(_l("nur überfällige"))

    def set_choices(self, actor, groups) -> None:
        everyone = [("", str(_l("alle")))]
        self.status.choices = [(UNFINISHED, str(_l("unerledigt (offen, in Arbeit)"))),
                               (ALL, str(_l("alle")))] + choices("action_status")
        self.owner.offer(actor)
        self.group.choices = everyone + [(NO_GROUP, str(_l("Plenum (ohne Reallabor)")))] + [
            (str(i), name) for i, name in groups]
        self.meeting.offer(actor)

    def validate_due_to(self, field) -> None:
        if field.data and self.due_from.data and field.data < self.due_from.data:
            raise ValidationError(_l("Das Ende des Zeitraums liegt vor seinem Anfang."))

    def to_filter(self) -> ActionFilter:
        """The filter of the fields that are valid; a field with an error is ignored."""
        def value(field, convert=lambda v: v):
            return convert(field.data) if field.data and not field.errors else None

        group, status = value(self.group), value(self.status) or UNFINISHED
        return ActionFilter(
            status=None if status == ALL else status,
            owner_id=value(self.owner),
            group=group if group in (None, NO_GROUP) else parse_int(group),
            meeting_id=value(self.meeting),
            due_from=value(self.due_from),
            due_to=value(self.due_to),
            overdue=bool(self.overdue.data),
        )

    def url_args(self) -> dict[str, str]:
        """The filter as query-string arguments (defaults left out), for links that keep it."""
        args = {}
        for field in (self.status, self.owner, self.group, self.meeting, self.due_from, self.due_to):
            if field.data and not field.errors and field.data != field.default:
                args[field.name] = field.data.isoformat() if hasattr(field.data, "isoformat") else str(field.data)
        if self.overdue.data:
            args["overdue"] = "y"
        return args


class _ItemPageForm(PortalForm):
    """One of the forms of the item page; its field names and ids start with its `kind`, so
    that several forms fit on one page. The posted field `do` names the kind."""

    kind = ""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", self.kind)
        super().__init__(*args, **kwargs)


class UpdateForm(_ItemPageForm):
    """The owner's (and managers') status update with an optional comment."""

    kind = "update"
    status = SelectField(_l("Status"), validators=[InputRequired()])
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=COMMENT_MAX)])


class CancelForm(_ItemPageForm):
    kind = "cancel"
    reason = TextAreaField(_l("Grund für den Abbruch"),
                           validators=[DataRequired(_l("Bitte einen Grund angeben.")), Length(max=COMMENT_MAX)])


class ReopenForm(_ItemPageForm):
    kind = "reopen"
    status = SelectField(_l("Neuer Status"), choices=[], validators=[InputRequired()])
    comment = TextAreaField(_l("Begründung"), validators=[
        DataRequired(_l("Bitte begründen, warum die Aufgabe wieder geöffnet wird.")),
        Length(max=COMMENT_MAX)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [c for c in choices("action_status") if c[0] in ("open", "in_progress")]


class _ItemFields(PortalForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")),
                                                Length(max=300)])
    description = TextAreaField(_l("Beschreibung"), validators=[Optional(), Length(max=20000)])
    owner = PersonField(_l("Verantwortlich"),
                        validators=[InputRequired(_l("Bitte eine verantwortliche Person wählen."))])
    due_on = DateField(_l("Frist"), validators=[InputRequired(_l("Bitte eine gültige Frist angeben."))])


class EditForm(_ItemFields):
    """Managers: title, description, owner and due date, with a comment for the history."""

    comment = TextAreaField(_l("Kommentar zur Änderung"), validators=[Optional(), Length(max=COMMENT_MAX)])


class NewForm(_ItemFields):
    group = SelectField(_l("Reallabor"), validators=[InputRequired()])
