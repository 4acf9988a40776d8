"""Forms of the reports area. Choices that come from the database are set by the view."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from portal.forms import Length, PortalForm
from portal.groups.models import WorkingGroup
from portal.labels import choices
from portal.meetings.models import Decision, Meeting
from portal.params import parse_int
from portal.reports.narratives import MAX_LENGTH
from portal.reports.outcomes import MilestoneInput, OutcomeInput
from portal.reports.phases import SECTIONS, PhaseInput

NONE = ""
BLANK_MILESTONES = 3


class ReportFilterForm(PortalForm):
    """From/to and working group of the dashboard; read from the query string."""

    class Meta:
        csrf = False

    start = DateField(_l("Von"), validators=[Optional()])
    end = DateField(_l("Bis"), validators=[Optional()])
    group = SelectField(_l("Reallabor"), validators=[Optional()])

    def set_choices(self, groups: list[tuple[int, str]]) -> None:
        self.group.choices = [(NONE, str(_l("alle Reallabore und das Plenum")))] + [
            (str(i), name) for i, name in groups]


class NarrativeForm(PortalForm):
    text = TextAreaField(_l("Text (Markdown)"), validators=[
        Length(max=MAX_LENGTH, message=_l("Der Text darf höchstens %(max)d Zeichen lang sein.", max=MAX_LENGTH)),
    ])


class MilestoneForm(Form):
    """One row of the milestone table of an outcome; a blank row adds nothing."""

    id = HiddenField()
    title = StringField(_l("Meilenstein"), validators=[Length(max=300)])
    due_on = DateField(_l("Datum"), validators=[Optional()])
    reached_on = DateField(_l("Erreicht am"), validators=[Optional()])
    remove = BooleanField(_l("entfernen"))

    def validate(self, extra_validators=None) -> bool:
        """A row with a title needs a date and a row with a date a title (unless removed)."""
        valid = super().validate(extra_validators)
        if self.remove.data:
            return valid
        has_title = bool((self.title.data or "").strip())
        if has_title and not self.due_on.data and not self.due_on.errors:
            self.due_on.errors = [*self.due_on.errors, _l("Bitte ein Datum angeben.")]
            valid = False
        if not has_title and (self.due_on.data or self.reached_on.data):
            self.title.errors = [*self.title.errors, _l("Bitte einen Titel angeben.")]
            valid = False
        return valid

    def to_input(self) -> MilestoneInput:
        raw = (self.id.data or "").strip()
        return MilestoneInput(
            id=parse_int(raw), title=self.title.data or "",
            due_on=self.due_on.data, reached_on=self.reached_on.data, remove=bool(self.remove.data),
        )


class OutcomeForm(PortalForm):
    title = StringField(_l("Titel"), validators=[
        DataRequired(message=_l("Bitte einen Titel angeben.")), Length(max=300)])
    description = TextAreaField(_l("Beschreibung (Markdown)"), validators=[Length(max=20_000)])
    partners = TextAreaField(_l("Partner"), validators=[Length(max=5_000)])
    status = SelectField(_l("Status"))
    group = SelectField(_l("Reallabor"), validators=[Optional()])
    origin_meeting = SelectField(_l("Entstanden in Treffen"), validators=[Optional()])
    origin_decision = SelectField(_l("Entstanden aus Beschluss"), validators=[Optional()])
    milestones = FieldList(FormField(MilestoneForm), min_entries=0)

    def set_choices(self, groups, meetings, decisions) -> None:
        self.status.choices = choices("outcome_status")
        self.group.choices = [(NONE, str(_l("keinem Reallabor (Allianz)")))] + [(str(i), n) for i, n in groups]
        self.origin_meeting.choices = [(NONE, str(_l("keinem Treffen")))] + [(str(i), n) for i, n in meetings]
        self.origin_decision.choices = [(NONE, str(_l("keinem Beschluss")))] + [(str(i), n) for i, n in decisions]

    def add_blank_milestones(self) -> None:
        for _ in range(BLANK_MILESTONES):
            self.milestones.append_entry()

    def selected_id(self, field) -> int | None:
        return parse_int(field.data)

    def milestone_inputs(self) -> list[MilestoneInput]:
        return [entry.form.to_input() for entry in self.milestones]

    def to_input(self, load) -> OutcomeInput:
        """The typed values; `load(model, id)` gives the chosen group, meeting and decision."""
        return OutcomeInput(
            title=self.title.data or "", description=self.description.data or "",
            partners=self.partners.data or "", status=self.status.data,
            group=load(WorkingGroup, self.selected_id(self.group)),
            origin_meeting=load(Meeting, self.selected_id(self.origin_meeting)),
            origin_decision=load(Decision, self.selected_id(self.origin_decision)),
        )


class PhaseForm(PortalForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(message=_l("Bitte einen Namen angeben.")), Length(max=200)])
    starts_on = DateField(_l("Beginn"), validators=[DataRequired(message=_l("Bitte ein Datum angeben."))])
    ends_on = DateField(_l("Ende"), validators=[DataRequired(message=_l("Bitte ein Datum angeben."))])
    funder = StringField(_l("Fördermittelgeber"), validators=[Length(max=300)])
    reference = StringField(_l("Förderkennzeichen"), validators=[Length(max=100)])
    goals = TextAreaField(_l("Ziele der Phase (Markdown)"), validators=[Length(max=MAX_LENGTH)])

    def to_input(self) -> PhaseInput:
        return PhaseInput(name=self.name.data or "", starts_on=self.starts_on.data, ends_on=self.ends_on.data,
                          funder=self.funder.data or "", reference=self.reference.data or "",
                          goals=self.goals.data or "")


def _section_field(title) -> TextAreaField:
    return TextAreaField(title, validators=[Length(max=MAX_LENGTH, message=_l(
        "Der Text darf höchstens %(max)d Zeichen lang sein.", max=MAX_LENGTH))])


class SachberichtForm(PortalForm):
    """One Markdown text per section of the Sachbericht (fields named by the section keys)."""

    situation = _section_field(SECTIONS[0][1])
    activities = _section_field(SECTIONS[1][1])
    results = _section_field(SECTIONS[2][1])
    deviations = _section_field(SECTIONS[3][1])
    outlook = _section_field(SECTIONS[4][1])

    def texts(self) -> dict[str, str]:
        return {key: self[key].data or "" for key, _title in SECTIONS}
