"""Request handlers of the surveys area: load, authorize, call the logic, render."""
from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from portal.downloads import download
from portal.extensions import db
from portal.labels import LABELS, label
from portal.params import parse_int
from portal.permissions import authorize, can
from portal.responses import INVALID, act, page
from portal.surveys import answering, editing, exchange_link, exports, report, results
from portal.surveys import privacy as _own_data  # noqa: F401  (registers the own-data exporters)
from portal.surveys.forms import ActionForm, AnswerForm, QuestionForm, ResultsFilterForm, SurveyForm
from portal.surveys.models import Survey
from portal.types import local_today

bp = Blueprint("surveys", __name__)


@bp.app_template_global()
def survey_sections(start, end):
    """The report's survey section (templates/surveys/_report_section.html) asks for its surveys."""
    return report.sections_for(start, end)


def _survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, parse_int(survey_id) or 0)
    if survey is None:
        abort(404)
    return survey


@bp.route("/surveys")
def index():
    authorize("portal.read")
    query = select(Survey).order_by(Survey.closes_on.desc(), Survey.id.desc())
    if not can("survey.manage"):
        query = query.where(Survey.status != "draft")
    surveys = list(db.session.scalars(query))
    return render_template("surveys/index.html", surveys=surveys, today=local_today())


@bp.route("/surveys/new", methods=["GET", "POST"])
def new():
    authorize("survey.manage")
    form = SurveyForm()
    if form.validate_on_submit():
        return act(lambda: editing.create(current_user, title=form.title.data.strip(), intro=form.intro.data or "",
                                          opens_on=form.opens_on.data, closes_on=form.closes_on.data,
                                          respondent=form.respondent.data, anonymous=form.anonymous.data),
                   _("Die Umfrage ist als Entwurf angelegt; jetzt die Fragen."),
                   lambda s: url_for("surveys.show", survey_id=s.id), form=form,
                   invalid=lambda: render_template("surveys/new.html", form=form))
    return page("surveys/new.html", form, form=form)


def _show(survey: Survey, posted: answering.Posted | None = None, question_form: QuestionForm | None = None,
          status: int = 200):
    response = answering.response_for(survey, current_user)
    if posted is None:
        posted = answering.from_response(survey, response)
    today = local_today()
    body = render_template(
        "surveys/show.html", survey=survey, response=response, posted=posted, today=today,
        may_answer=can("survey.answer", survey) and answering.may_answer(survey, current_user)
        and survey.is_open_on(today) and not answering.answered_by_other(response, current_user),
        other=answering.answered_by_other(response, current_user),
        question_form=question_form or QuestionForm(formdata=None), action_form=ActionForm(),
        answer_form=AnswerForm(), field_name=answering.field_name,
        theme_changes=exchange_link.proposed(response) if response and response.answered_by_id == current_user.id
        else [])
    return body, status


@bp.route("/surveys/<int:survey_id>")
def show(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.view", survey)
    return _show(survey)


@bp.route("/surveys/<int:survey_id>/questions", methods=["POST"])
def add_question(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.manage", survey)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _show(survey, question_form=form, status=INVALID)
    data = {k: form.data[k] or "" for k in ("kind", "text", "section", "options", "statements", "scale")}
    data.update(required=form.required.data, links_themes=form.links_themes.data)
    return act(lambda: editing.add_question(current_user, survey, **data), _("Die Frage ist hinzugefügt."),
               url_for("surveys.show", survey_id=survey.id, _anchor="new-question"), form=form,
               invalid=lambda: _show(survey, question_form=form))


@bp.post("/surveys/<int:survey_id>/questions/<int:question_id>/remove")
def remove_question(survey_id: int, question_id: int):
    survey = _survey(survey_id)
    authorize("survey.manage", survey)
    question = next((q for q in survey.questions if q.id == question_id), None) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    return act(lambda: editing.remove_question(current_user, survey, question),
               _("Die Frage „%(text)s“ ist entfernt.", text=question.text),
               url_for("surveys.show", survey_id=survey.id))


@bp.route("/surveys/<int:survey_id>/open", methods=["POST"])
def publish(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.manage", survey)
    if not ActionForm().validate_on_submit():
        abort(400)
    return act(lambda: editing.publish(current_user, survey),
               lambda n: ngettext("Die Umfrage ist geöffnet; %(num)s Einladung ist verschickt.", "Die Umfrage ist geöffnet; %(num)s Einladungen sind verschickt.", n),
               url_for("surveys.show", survey_id=survey.id))


@bp.route("/surveys/<int:survey_id>/answer", methods=["POST"])
def answer(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.answer", survey)
    if not AnswerForm().validate_on_submit():
        abort(400)
    existing = answering.response_for(survey, current_user)
    submit = "submit" in request.form or (existing is not None and existing.is_submitted)
    refused = answering.refusal(survey, current_user, existing, local_today())
    if refused:
        flash(refused, "error")
        return _show(survey, answering.read(survey, request.form, complete=False)[0], status=INVALID)
    posted, rows = answering.read(survey, request.form, complete=submit)
    if posted.errors:
        return _show(survey, posted, status=INVALID)
    message = _("Ihre Antwort ist abgeschickt. Sie können sie bis zum %(day)s ändern.",
                day=format_date(survey.closes_on)) if submit else _("Ihr Entwurf ist gespeichert.")
    return act(lambda: answering.save(current_user, survey, rows, submit=submit, today=local_today()),
               message, url_for("surveys.show", survey_id=survey.id),
               invalid=lambda: _show(survey, posted))


@bp.route("/surveys/<int:survey_id>/themes", methods=["POST"])
def apply_themes(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.answer", survey)
    if not ActionForm().validate_on_submit():
        abort(400)
    response = answering.response_for(survey, current_user)
    if response is None or response.answered_by_id != current_user.id:
        abort(403)
    return act(lambda: exchange_link.apply(current_user, response),
               _("Ihre Angaben sind in die Erfahrungsbörse übernommen."),
               url_for("surveys.show", survey_id=survey.id))


def _filters() -> ResultsFilterForm:
    form = ResultsFilterForm(formdata=request.args)
    form.sector.choices = [("", _("alle Branchen"))] + [(key, str(value)) for key, value in LABELS["sector"].items()]
    form.group.choices = [("", _("alle Reallabore"))] + [(str(i), name) for i, name in results.group_choices()]
    if not form.validate():
        form = ResultsFilterForm(formdata=MultiDict())
        form.sector.choices, form.group.choices = [("", "")], [("", "")]
    return form


@bp.route("/surveys/<int:survey_id>/results")
def show_results(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.results", survey)
    form = _filters()
    group_id = parse_int(form.group.data) if form.group.data else None
    found = results.compute(survey, sector=form.sector.data or None, group_id=group_id)
    return render_template("surveys/results.html", survey=survey, results=found, form=form,
                           charts=report.charts_of(found), label=label)


@bp.route("/surveys/<int:survey_id>/results.csv")
def results_csv(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.manage", survey)
    return download(exports.results_csv(survey), _("umfrage-%(id)s.csv", id=survey.id), "text/csv")


@bp.route("/surveys/<int:survey_id>/results.xlsx")
def results_xlsx(survey_id: int):
    survey = _survey(survey_id)
    authorize("survey.manage", survey)
    return download(exports.results_xlsx(survey), f"umfrage-{survey.id}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.app_template_global()
def open_surveys_for(person):
    """The start page's open surveys (templates/home/_surveys.html): (survey, answered by the person's side)."""
    return answering.open_for(person, local_today())
