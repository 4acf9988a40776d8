"""Request handlers of the actions area: load, authorize, call the logic, render."""
from __future__ import annotations

from datetime import date

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user

from portal.actions import items, queries
from portal.actions.csv_export import actions_csv
from portal.actions.forms import CancelForm, EditForm, FilterForm, NewForm, ReopenForm, UpdateForm
from portal.actions.models import ActionItem
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.labels import label
from portal.params import parse_int
from portal.members.models import Person
from portal.permissions import authorize, can, is_office, moderated_group_ids
from portal.types import local_today

bp = Blueprint("actions", __name__)
INVALID = 422  # status of a page re-rendered because of bad input


@bp.context_processor
def _template_helpers():
    def as_date(iso: str) -> date | None:
        return date.fromisoformat(iso) if iso else None
    return {"as_date": as_date}


def _filter_form() -> FilterForm:
    form = FilterForm(formdata=request.args)
    form.set_choices(queries.owner_choices(), queries.group_choices(), queries.meeting_choices())
    form.validate()
    return form


@bp.route("/actions")
def index():
    authorize("action.view")
    form = _filter_form()
    today = local_today()
    action_filter = form.to_filter()
    page = db.paginate(queries.filtered(action_filter, today), per_page=current_app.config["PER_PAGE"])
    return render_template("actions/index.html", form=form, page=page, today=today,
                           counts=queries.status_counts(action_filter, today), args=form.url_args())


@bp.route("/actions/export.csv")
def export_csv():
    authorize("action.view")
    form = _filter_form()
    today = local_today()
    rows = db.session.scalars(queries.filtered(form.to_filter(), today))
    body = actions_csv(rows, today)
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="aufgaben-{today.isoformat()}.csv"',
    })


@bp.route("/actions/mine")
def mine():
    authorize("action.view")
    per_page = current_app.config["PER_PAGE"]
    owned = db.paginate(queries.owned_by(current_user.id), per_page=per_page)
    created = db.paginate(queries.created_for_others(current_user.id), per_page=per_page,
                          page=request.args.get("created_page", 1, type=int))
    return render_template("actions/mine.html", owned=owned, created=created, today=local_today())


def _group_choices() -> list[tuple[str, str]]:
    if is_office(current_user):
        return [(queries.NO_GROUP, _("Plenum (ohne Reallabor)"))] + [
            (str(i), name) for i, name in queries.group_choices()]
    return [(str(i), name) for i, name in queries.group_choices(moderated_group_ids(current_user))]


def _owner_choices() -> list[tuple[int, str]]:
    return queries.assignable_people()


def _posted_group() -> WorkingGroup | None:
    """The group a new item is posted for (None: plenary); unknown ids are a 404."""
    value = request.form.get("group", "")
    if value == queries.NO_GROUP:
        return None
    if parse_int(value) is None:
        abort(404)
    return db.get_or_404(WorkingGroup, parse_int(value))


@bp.route("/actions/new", methods=["GET", "POST"])
def new():
    authorize("action.create_any")
    group = None
    if request.method == "POST":
        group = _posted_group()
        authorize("action.create", group)
    form = NewForm(data=None if request.method == "POST" else {"group": request.args.get("group", "")})
    form.group.choices = _group_choices()
    form.owner.choices = _owner_choices()
    if form.validate_on_submit():
        owner = db.get_or_404(Person, form.owner.data)
        try:
            item = items.create_action_item(
                current_user, title=form.title.data, owner=owner, due_on=form.due_on.data,
                group=group, description=form.description.data or "")
        except items.ActionError as error:
            _error_at(form, error, form.title)
        else:
            db.session.commit()
            flash(_("Die Aufgabe wurde angelegt."), "success")
            return redirect(url_for("actions.show", action_id=item.id))
    status = INVALID if form.errors else 200
    return render_template("actions/new.html", form=form), status


def _update_choices(item: ActionItem) -> list[tuple[str, str]]:
    """The owner's status choices: the current one, and the ones it may move to without
    cancelling (cancelling and reopening have their own forms)."""
    allowed = () if item.is_closed else tuple(s for s in items.allowed_statuses(item) if s != "cancelled")
    return [(s, label("action_status", s)) for s in (item.status, *allowed)]


def _forms(item: ActionItem) -> dict:
    """The blank forms of the item page that this user may use."""
    forms = {}
    if can("action.update", item):
        forms["update"] = UpdateForm(formdata=None, data={"status": item.status})
        forms["update"].status.choices = _update_choices(item)
    if not item.is_closed and can("action.cancel", item):
        forms["cancel"] = CancelForm(formdata=None)
    if item.is_closed and can("action.reopen", item):
        forms["reopen"] = ReopenForm(formdata=None)
    return forms


def _error_at(form, error: items.ActionError, default) -> None:
    """Show a refusal of the logic at the field it names (else at `default`)."""
    field = getattr(form, error.field, None) if error.field else None
    (field if field is not None else default).errors.append(str(error))


def _done(field, change, *args, **kwargs) -> bool:
    """Run a logic function; a rule it reports broken becomes an error at the field."""
    try:
        change(*args, **kwargs)
    except items.ActionError as error:
        field.errors.append(str(error))
        return False
    return True


def _apply_update(item: ActionItem) -> UpdateForm:
    authorize("action.update", item)
    form = UpdateForm()
    form.status.choices = _update_choices(item)
    if not form.validate():
        return form
    status, comment = form.status.data, (form.comment.data or "").strip()
    if status != item.status:
        if _done(form.status, items.change_status, current_user, item, status, comment):
            flash(_("Status geändert: %(status)s.", status=label("action_status", status)), "success")
    elif comment:
        items.add_comment(current_user, item, comment)
        flash(_("Kommentar gespeichert."), "success")
    else:
        form.comment.errors.append(_("Bitte den Status ändern oder einen Kommentar schreiben."))
    return form


def _apply_cancel(item: ActionItem) -> CancelForm:
    authorize("action.cancel", item)
    form = CancelForm()
    if form.validate() and _done(form.reason, items.change_status, current_user, item,
                                 "cancelled", form.reason.data):
        flash(_("Die Aufgabe wurde abgebrochen."), "success")
    return form


def _apply_reopen(item: ActionItem) -> ReopenForm:
    authorize("action.reopen", item)
    form = ReopenForm()
    if form.validate() and _done(form.status, items.change_status, current_user, item,
                                 form.status.data, form.comment.data):
        flash(_("Die Aufgabe wurde wieder geöffnet."), "success")
    return form


_CHANGES = {"update": _apply_update, "cancel": _apply_cancel, "reopen": _apply_reopen}


@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
def show(action_id: int):
    item = db.first_or_404(queries.item_with_history(action_id))
    authorize("action.view", item)
    forms = _forms(item)
    if request.method == "POST":
        do = request.form.get("do", "")
        if do not in _CHANGES:
            abort(400)
        form = _CHANGES[do](item)
        if not form.errors:
            db.session.commit()
            return redirect(url_for("actions.show", action_id=item.id))
        forms[do] = form
    status = INVALID if any(f.errors for f in forms.values()) else 200
    return render_template("actions/show.html", item=item, forms=forms, today=local_today()), status


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit(action_id: int):
    item = db.get_or_404(ActionItem, action_id)
    authorize("action.manage", item)
    form = EditForm(data=None if request.method == "POST" else {
        "title": item.title, "description": item.description, "owner": item.owner_id,
        "due_on": item.due_on})
    form.owner.choices = _owner_choices()
    if form.validate_on_submit():
        comment = form.comment.data or ""
        try:
            changed = items.edit_description(current_user, item, form.description.data or "",
                                             title=form.title.data, comment=comment)
            changed.append(items.reassign(current_user, item, db.get_or_404(Person, form.owner.data),
                                          comment))
            changed.append(items.change_due_date(current_user, item, form.due_on.data, comment))
        except items.ActionError as error:
            db.session.rollback()
            _error_at(form, error, form.owner)
        else:
            if any(changed):
                db.session.commit()
                flash(_("Die Änderungen wurden gespeichert."), "success")
            else:
                flash(_("Es wurde nichts geändert."), "info")
            return redirect(url_for("actions.show", action_id=item.id))
    status = INVALID if form.errors else 200
    return render_template("actions/edit.html", form=form, item=item), status
