"""Forms of live moderation and of the minutes page. Several forms share one page; each has
its own prefix (unique ids) and posts to its own action URL."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import NumberInput

from portal.forms import Length, PortalForm
from portal.labels import choices
from portal.minutes.moderation import MAX_DECISION, MAX_TEXT
from portal.minutes.workflow import MAX_REVIEW_DAYS, REVIEW_DAYS
from portal.params import DB_INT_MAX, parse_int
from portal.people.field import PersonField


def _votes(label):
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=100_000,
                        message=_l("Bitte eine Zahl ab 0 eingeben."))])


class MinutesTextForm(PortalForm):
    version = HiddenField(validators=[InputRequired()])
    text = TextAreaField(_l("Protokolltext (Markdown)"), validators=[Length(max=MAX_TEXT)])

    def base_version(self) -> int:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return -1  # unknown: treated as out of date


class DecisionForm(PortalForm):
    text = TextAreaField(_l("Wortlaut des Beschlusses"), validators=[
        DataRequired(_l("Bitte den Wortlaut des Beschlusses eingeben.")), Length(max=MAX_DECISION)])
    votes_yes = _votes(_l("Ja-Stimmen"))
    votes_no = _votes(_l("Nein-Stimmen"))
    votes_abstain = _votes(_l("Enthaltungen"))


class ApprovalForm(PortalForm):
    """The vote on the previous minutes, under "Genehmigung des Protokolls"."""

    votes_yes = _votes(_l("Ja-Stimmen"))
    votes_no = _votes(_l("Nein-Stimmen"))
    votes_abstain = _votes(_l("Enthaltungen"))


class ActionItemForm(PortalForm):
    title = StringField(_l("Aufgabe"), validators=[
        DataRequired(_l("Bitte einen Titel angeben.")), Length(max=300)])
    owner_id = PersonField(_l("Verantwortlich"), pool="meeting_owners", validators=[
        DataRequired(_l("Bitte eine verantwortliche Person wählen."))])
    due_on = DateField(_l("Frist"), validators=[InputRequired(_l("Bitte eine Frist angeben."))])
    description = TextAreaField(_l("Beschreibung (optional)"), validators=[Length(max=10_000)])
    decision_id = SelectField(_l("Zu Beschluss (optional)"), coerce=int, validators=[Optional()])

    def fill_choices(self, actor, meeting) -> None:
        """The owner: anyone who can own an action item, the meeting's participants suggested first."""
        self.owner_id.offer(actor, meeting)
        decisions = meeting.decisions
        self.decision_id.choices = [(0, str(_l("kein Beschluss")))] + [
            (d.id, f"{d.reference}: {_shorten(d.text)}") for d in decisions]


def _shorten(text: str, length: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


class CommentForm(PortalForm):
    agenda_item_id = SelectField(_l("Betrifft"), coerce=int)
    text = TextAreaField(_l("Ihre Anmerkung"), validators=[
        DataRequired(_l("Bitte eine Anmerkung eingeben.")), Length(max=10_000)])

    def fill_choices(self, agenda_items) -> None:
        self.agenda_item_id.choices = [(0, str(_l("das Protokoll allgemein")))] + [
            (i.id, str(_l("TOP %(n)s: %(title)s", n=i.position, title=i.title))) for i in agenda_items]


class AnswerForm(PortalForm):
    comment_id = HiddenField(validators=[InputRequired()])
    reply = TextAreaField(_l("Antwort"), validators=[Length(max=10_000)])
    adopt = BooleanField(_l("Anmerkung übernehmen: den Text des TOPs dazu bearbeiten "
                            "(das Protokoll bleibt in Abstimmung)"))


WHOLE_DAYS = _l("Bitte die Dauer in ganzen Tagen angeben.")


class SubmitForm(PortalForm):
    """Submitting for review: how long the review runs, and what the invitees whose attendance
    nobody recorded are marked (asked only while there are any)."""

    # text, not IntegerField: unreadable or empty input gets this German message, not WTForms'
    # own, and a post without the field keeps the default; the range is the workflow's rule
    days = StringField(_l("Dauer der Abstimmung in Tagen"), default=str(REVIEW_DAYS),
                       widget=NumberInput(min=1, max=MAX_REVIEW_DAYS))
    unrecorded = RadioField(_l("Noch nicht Erfasste"), validate_choice=False, choices=[
        ("absent", _l("alle als abwesend vermerken")), ("excused", _l("alle als entschuldigt vermerken"))])

    def validate_days(self, field) -> None:
        if self.day_count() is None:
            raise ValidationError(WHOLE_DAYS)

    def day_count(self) -> int | None:
        return parse_int(self.days.data, minimum=-DB_INT_MAX)


class ApproveForm(PortalForm):
    """Approving by the office; while the review runs, the checkbox confirms approving early."""

    confirm = BooleanField(_l("Ja, schon vor dem Ende der Abstimmung genehmigen"))


class AmendmentForm(PortalForm):
    text = TextAreaField(_l("Nachtrag (Markdown)"), validators=[
        DataRequired(_l("Bitte den Text des Nachtrags eingeben.")), Length(max=MAX_TEXT)])


class CarriedForm(PortalForm):
    """The status of an open action item as reported under "Offene Aufgaben"; one per item,
    prefixed with the item's id."""

    status = SelectField(_l("Stand"), validators=[InputRequired()])
    note = StringField(_l("Notiz"), validators=[Length(max=2_000)])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices("action_status")
