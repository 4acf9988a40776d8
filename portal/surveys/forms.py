"""Forms of the surveys area. The answers themselves are read per question (portal.surveys.answering);
AnswerForm only carries the CSRF token of that form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal.forms import Length, PortalForm
from portal.labels import LABELS

REQUIRED = _l("Bitte ausfüllen.")


class SurveyForm(PortalForm):
    title = StringField(_l("Titel"), validators=[DataRequired(REQUIRED), Length(max=200)])
    intro = TextAreaField(_l("Einleitung (Markdown)"), validators=[Length(max=5000)])
    opens_on = DateField(_l("Beginn"), validators=[DataRequired(_l("Bitte ein Datum angeben."))])
    closes_on = DateField(_l("Ende"), validators=[DataRequired(_l("Bitte ein Datum angeben."))])
    respondent = RadioField(_l("Wer antwortet?"), default="organization", choices=[
        ("organization", _l("eine Antwort je Organisation")), ("person", _l("eine Antwort je Person"))])
    anonymous = BooleanField(_l("Antworten anonym auswerten"))


class QuestionForm(PortalForm):
    section = StringField(_l("Abschnitt"), validators=[Length(max=200)])
    kind = SelectField(_l("Art der Frage"), choices=list(LABELS["question_kind"].items()))
    text = StringField(_l("Frage"), validators=[DataRequired(REQUIRED), Length(max=500)])
    required = BooleanField(_l("Pflichtfrage"))
    options = TextAreaField(_l("Antwortmöglichkeiten (eine je Zeile)"), validators=[Length(max=5000)])
    statements = TextAreaField(_l("Aussagen der Matrix (eine je Zeile)"), validators=[Length(max=5000)])
    scale = TextAreaField(_l("Skala der Matrix (eine Stufe je Zeile)"), validators=[Length(max=2000)])
    links_themes = BooleanField(_l("Matrix füllt die Erfahrungsbörse (Aussagen = Themen)"))


class ActionForm(PortalForm):
    """A button that changes something (open the survey, confirm the themes)."""


class AnswerForm(PortalForm):
    pass


class ResultsFilterForm(PortalForm):
    class Meta:
        csrf = False

    sector = SelectField(_l("Branche"), validators=[Optional()])
    group = SelectField(_l("Reallabor"), validators=[Optional()])
