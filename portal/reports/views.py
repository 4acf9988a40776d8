"""Request handlers of the reports area: load, authorize, call the logic, render."""
from __future__ import annotations

from datetime import date
from functools import partial

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from portal.deletion import confirm_delete
from portal.documents.models import StoredDocument
from portal.downloads import download
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.kept_pages import kept
from portal.labels import label
from portal.params import parse_int
from portal.permissions import authorize, can
from portal.reports import dashboard_cache, display, document, lists, narratives, outcomes, phases, stored
from portal.reports.forms import NarrativeForm, OutcomeForm, PhaseForm, SachberichtForm
from portal.reports.models import OUTCOME_STATUSES, FundingPhase, Milestone, Outcome
from portal.reports.periods import Period, PeriodError, choose
from portal.reports.progress import build_progress_report
from portal.reports.queries import first_meeting_start
from portal.responses import act, page, store
from portal.types import local_today

bp = Blueprint("reports", __name__)


@bp.context_processor
def _helpers():
    return display.helpers()


# -- the report ----------------------------------------------------------------------------------

def _group_arg() -> WorkingGroup | None:
    value = request.args.get("group", "").strip()
    if not value:
        return None
    if parse_int(value) is None:
        abort(404)
    return db.get_or_404(WorkingGroup, parse_int(value))


def _phase_arg() -> FundingPhase | None:
    value = request.args.get("phase", "").strip()
    if not value:
        return None
    if parse_int(value) is None:
        abort(404)
    return db.get_or_404(FundingPhase, parse_int(value))


def _selection() -> tuple[Period, WorkingGroup | None, FundingPhase | None, str | None]:
    """The period, group and funding phase the request asks for; a phase gives its period; a
    period that cannot be read gives the default period and a message saying why."""
    group, phase = _group_arg(), _phase_arg()
    if phase is not None:
        return phases.phase_period(phase), group, phase, None
    today, first = local_today(), first_meeting_start()
    args = request.args
    try:
        period = choose(args.get("period"), args.get("start"), args.get("end"), today=today,
                        first_meeting=first)
        return period, group, None, None
    except PeriodError as error:
        message = _("%(error)s Angezeigt wird stattdessen die gesamte Projektphase.", error=str(error))
        return choose(None, None, None, today=today, first_meeting=first), group, None, message


_group_args, _args, _filter_form = dashboard_cache.group_args, dashboard_cache.args, dashboard_cache.filter_form


@bp.route("/reports", methods=["GET", "POST"])
@kept
def index():
    if request.method == "POST":
        return _save_narrative()
    authorize("reports.view")
    return _dashboard(*_selection())


def _dashboard(period: Period, group: WorkingGroup | None, phase: FundingPhase | None, error: str | None,
               narrative_form=None):
    """The dashboard: its parts as kept per data version (portal.reports.dashboard_cache), the office's
    narrative and its form as they are now; `narrative_form` as posted when the text was refused."""
    writer = can("reports.write")
    shown = dashboard_cache.dashboard(period, group, phase, str(get_locale()), writer)
    narrative = narratives.report_narratives(period, group, phase).get((group.id if group else None, None))
    if narrative_form is None and writer:
        narrative_form = NarrativeForm(formdata=None, data={"text": narrative.text if narrative else ""})
    response = page("reports/dashboard.html", narrative_form, parts=shown.parts, stand=shown.stand, error=error,
                    report=dashboard_cache.Heading(period, group, phase, narrative), narrative_form=narrative_form,
                    args=_args(period, group, phase))
    _remember(shown)
    return response


def _remember(shown: dashboard_cache.Shown) -> None:
    """After the page is rendered, in a transaction of its own (on SQLite one that began by reading
    cannot always write): keep what was built, or ask the worker for a newer version. Should the
    database refuse (another request was first, it is busy), the next request just tries again."""
    if shown.built is None and not shown.refresh:
        return
    db.session.commit()
    try:
        store(lambda: dashboard_cache.remember(shown), lambda _: None)
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("the dashboard could not be kept", exc_info=True)


def _back_with(error: str, period: Period, group: WorkingGroup | None):
    """To the dashboard, where the message is shown, with the period the request was answered
    with (the default one, as the request's could not be read) and its group: built from the
    parsed values only, never from the query string (which could carry _external, _scheme...)."""
    flash(error, "error")
    return redirect(url_for("reports.index", period=period.kind, **_group_args(group)))


def _requested_report():
    """(report, None) for the request's period and group, or (None, the way back) if unreadable."""
    period, group, phase, error = _selection()
    if error:
        return None, _back_with(error, period, group)
    return build_progress_report(period, group, phase=phase), None


def _save_narrative():
    authorize("reports.write")
    period, group, phase, error = _selection()
    if error:
        return _back_with(error, period, group)
    form = NarrativeForm()
    if not form.validate():
        return _dashboard(period, group, phase, None, form)
    return act(lambda: narratives.save_narrative(current_user, period, group, form.text.data, phase),
               lambda narrative: _("Der Bericht der Geschäftsstelle wurde gespeichert.") if narrative
               else _("Der Bericht der Geschäftsstelle für diesen Zeitraum wurde entfernt."),
               url_for("reports.index", **_args(period, group, phase), _anchor="narrative"))


@bp.get("/reports/progress.pdf")
def progress_pdf():
    """Served from the stored PDF of this data; rendered at once when small; else by the worker."""
    authorize("reports.view")
    period, group, phase, error = _selection()
    if error:
        return _back_with(error, period, group)
    params = stored.params_of(period, group, phase, str(get_locale()))
    version = stored.data_version()
    kept = stored.find(params, version)
    if kept is not None and kept.is_ready:
        return _stored_pdf(kept)
    if kept is None and stored.is_small(period, group):
        pdf = document.render_report_pdf(build_progress_report(period, group, phase=phase))
        return store(lambda: stored.keep(params, version, pdf), _stored_pdf)
    if kept is None:
        return store(lambda: stored.request(params, version),
                     lambda waiting: redirect(url_for("reports.stored_pdf", stored_id=waiting.id)))
    return redirect(url_for("reports.stored_pdf", stored_id=kept.id))


def _stored_pdf(kept: StoredDocument):
    name = _("fortschrittsbericht-%(start)s-%(end)s", start=kept.params["start"], end=kept.params["end"])
    if kept.params["group"]:
        name += _("-reallabor-%(id)s", id=kept.params["group"])
    return download(kept.pdf, f"{name}.pdf", "application/pdf", inline=True)


@bp.get("/reports/documents/<int:stored_id>")
def stored_pdf(stored_id: int):
    """A report the worker renders: its progress (the page reloads itself), then the download."""
    authorize("reports.view")
    kept = stored.of_id(stored_id) or abort(404)
    if kept.is_ready and request.args.get("download"):
        return _stored_pdf(kept)
    return render_template("reports/stored.html", stored=kept, start=date.fromisoformat(kept.params["start"]),
                           end=date.fromisoformat(kept.params["end"]))


# -- the full lists behind the dashboard's summaries -------------------------------------------

def _list_page(template: str, query, rows=None, **extra_args):
    """A page of one of the report's lists, with the dashboard's period and group (and `extra_args`,
    kept by the pagination); `rows` makes the page's rows from its items."""
    period, group, phase, error = _selection()
    listing = db.paginate(query(period, group), per_page=current_app.config["PER_PAGE"], error_out=False)
    args = _args(period, group, phase)
    return render_template(template, listing=listing, rows=rows(listing.items) if rows else listing.items,
                           period=period, group=group, phase=phase, error=error, args=args,
                           page_args={**args, **extra_args}, filter_form=_filter_form(period, group))


@bp.get("/reports/meetings")
def meetings_index():
    """The meetings the report tables; with ?cancelled=1 its cancelled ones (listed apart there too)."""
    authorize("reports.view")
    if request.args.get("cancelled") == "1":
        return _list_page("reports/meetings.html", partial(lists.meetings_query, cancelled=True), cancelled="1")
    return _list_page("reports/meetings.html", lists.meetings_query, rows=lists.meeting_rows)


@bp.get("/reports/decisions")
def decisions_index():
    authorize("reports.view")
    return _list_page("reports/decisions.html", lists.decisions_query)


@bp.get("/reports/export.csv")
def export_csv():
    authorize("reports.view")
    report, back = _requested_report()
    if back:
        return back
    return download(document.key_figures_csv(report), document.filename(report, "csv"), "text/csv")


# -- outcomes ------------------------------------------------------------------------------------

@bp.get("/outcomes")
def outcomes_index():
    authorize("portal.read")
    group_id = request.args.get("group", type=int)
    status = request.args.get("status") if request.args.get("status") in OUTCOME_STATUSES else None
    page = db.paginate(outcomes.list_query(group_id, status), per_page=current_app.config["PER_PAGE"])
    return render_template("reports/outcomes.html", page=page, groups=outcomes.group_choices(),
                           group_id=group_id, status=status, statuses=OUTCOME_STATUSES)


@bp.get("/outcomes/<int:outcome_id>")
def outcome(outcome_id: int):
    item = db.first_or_404(outcomes.outcome_query().where(Outcome.id == outcome_id))
    authorize("portal.read", item)
    return render_template("reports/outcome.html", outcome=item, today=local_today())


def _load(model, object_id):
    return db.session.get(model, object_id) if object_id else None


def _outcome_form(item: Outcome | None) -> OutcomeForm:
    if request.method == "POST":
        form = OutcomeForm()
    elif item is None:
        form = OutcomeForm(data={"group": request.args.get("group", "")})
    else:
        form = OutcomeForm(data={
            "title": item.title, "description": item.description, "partners": item.partners,
            "status": item.status, "group": str(item.group_id or ""),
            "origin_meeting": str(item.origin_meeting_id or ""),
            "origin_decision": str(item.origin_decision_id or ""),
            "milestones": [{"id": str(m.id), "title": m.title, "due_on": m.due_on, "reached_on": m.reached_on}
                           for m in item.milestones],
        })
    if request.method != "POST":
        form.add_blank_milestones()
    form.set_choices(outcomes.group_choices(), *outcomes.origin_choices())
    return form


def _save_outcome(item: Outcome | None):
    form = _outcome_form(item)

    def show_page():
        return page("reports/outcome_form.html", form, form=form, outcome=item)

    def save() -> Outcome:
        if item is None:
            return outcomes.create_outcome(current_user, form.to_input(_load), form.milestone_inputs())
        outcomes.update_outcome(current_user, item, form.to_input(_load), form.milestone_inputs())
        return item

    if form.validate_on_submit():
        return act(save, _("Das Ergebnis wurde angelegt.") if item is None else _("Das Ergebnis wurde gespeichert."),
                   lambda saved: url_for("reports.outcome", outcome_id=saved.id), form=form, invalid=show_page)
    return show_page()


@bp.route("/outcomes/new", methods=["GET", "POST"])
def outcome_new():
    authorize("reports.write")
    return _save_outcome(None)


@bp.route("/outcomes/<int:outcome_id>/edit", methods=["GET", "POST"])
def outcome_edit(outcome_id: int):
    item = db.first_or_404(outcomes.outcome_query().where(Outcome.id == outcome_id))
    authorize("reports.write", item)
    return _save_outcome(item)


@bp.route("/outcomes/<int:outcome_id>/delete", methods=["GET", "POST"])
def outcome_delete(outcome_id: int):
    item = db.first_or_404(outcomes.outcome_query().where(Outcome.id == outcome_id))
    authorize("outcome.delete", item)
    return confirm_delete(
        lambda: outcomes.delete_outcome(current_user, item),
        _("Das Ergebnis „%(title)s“ wurde gelöscht.", title=item.title), url_for("reports.outcomes_index"),
        heading=_("Ergebnis löschen?"),
        facts=[(_("Ergebnis"), item.title), (_("Status"), label("outcome_status", item.status)),
               (_("Reallabor"), item.group.name if item.group else _("Allianz (kein Reallabor)")),
               (_("Meilensteine"), str(len(item.milestones)))],
        consequence=_("Mit dem Ergebnis werden seine Meilensteine gelöscht; beides verschwindet aus dem Bericht."))


@bp.route("/outcomes/<int:outcome_id>/milestones/<int:milestone_id>/delete", methods=["GET", "POST"])
def milestone_delete(outcome_id: int, milestone_id: int):
    milestone = db.first_or_404(select(Milestone).options(joinedload(Milestone.outcome))
                                .where(Milestone.id == milestone_id, Milestone.outcome_id == outcome_id))
    authorize("outcome.delete", milestone.outcome)
    return confirm_delete(
        lambda: outcomes.delete_milestone(current_user, milestone),
        _("Der Meilenstein „%(title)s“ wurde gelöscht.", title=milestone.title),
        url_for("reports.outcome", outcome_id=outcome_id),
        heading=_("Meilenstein löschen?"),
        facts=[(_("Ergebnis"), milestone.outcome.title), (_("Meilenstein"), milestone.title),
               (_("Fällig am"), format_date(milestone.due_on, "medium"))],
        consequence=_("Der Meilenstein verschwindet aus dem Ergebnis und aus dem Bericht."))


# -- funding phases and their Sachbericht ---------------------------------------------------------

@bp.get("/reports/phases")
def phases_index():
    authorize("reports.view")
    return render_template("reports/phases.html", phases=phases.all_phases())


def _phase_form(phase: FundingPhase | None) -> PhaseForm:
    if request.method == "POST" or phase is None:
        return PhaseForm()
    return PhaseForm(data={"name": phase.name, "starts_on": phase.starts_on, "ends_on": phase.ends_on,
                           "funder": phase.funder, "reference": phase.reference, "goals": phase.goals})


def _save_phase(phase: FundingPhase | None):
    form = _phase_form(phase)

    def show_page():
        return page("reports/phase_form.html", form, form=form, phase=phase)

    def save() -> FundingPhase:
        if phase is None:
            return phases.create_phase(current_user, form.to_input())
        return phases.update_phase(current_user, phase, form.to_input())

    if form.validate_on_submit():
        return act(save, _("Die Förderphase wurde gespeichert."),
                   lambda saved: url_for("reports.phase_sachbericht", phase_id=saved.id), form=form,
                   invalid=show_page)
    return show_page()


@bp.route("/reports/phases/new", methods=["GET", "POST"])
def phase_new():
    authorize("reports.write")
    return _save_phase(None)


@bp.route("/reports/phases/<int:phase_id>/edit", methods=["GET", "POST"])
def phase_edit(phase_id: int):
    phase = db.get_or_404(FundingPhase, phase_id)
    authorize("reports.write", phase)
    return _save_phase(phase)


@bp.route("/reports/phases/<int:phase_id>/sachbericht", methods=["GET", "POST"])
def phase_sachbericht(phase_id: int):
    phase = db.get_or_404(FundingPhase, phase_id)
    authorize("reports.write", phase)
    form = SachberichtForm() if request.method == "POST" else SachberichtForm(data=phases.section_texts(phase))
    if form.validate_on_submit():
        return act(lambda: phases.save_sachbericht(current_user, phase, form.texts()),
                   _("Der Sachbericht wurde gespeichert."),
                   url_for("reports.phase_sachbericht", phase_id=phase.id))
    return page("reports/sachbericht_form.html", form, form=form, phase=phase, sections=phases.SECTIONS)


@bp.route("/reports/phases/<int:phase_id>/delete", methods=["GET", "POST"])
def phase_delete(phase_id: int):
    phase = db.get_or_404(FundingPhase, phase_id)
    authorize("reports.write", phase)
    return confirm_delete(
        lambda: phases.delete_phase(current_user, phase),
        _("Die Förderphase „%(name)s“ wurde gelöscht.", name=phase.name), url_for("reports.phases_index"),
        heading=_("Förderphase löschen?"),
        facts=[(_("Förderphase"), phase.name),
               (_("Zeitraum"), f"{format_date(phase.starts_on, 'medium')} – {format_date(phase.ends_on, 'medium')}")],
        consequence=_("Mit der Förderphase werden ihr Sachbericht und ihre Texte gelöscht; Treffen, "
                      "Beschlüsse und Zahlen bleiben."))
