"""Request handlers of the actions area: load, authorize, call the logic, render."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.actions import items, queries
from portal.actions.csv_export import actions_csv
from portal.actions.forms import CancelForm, EditForm, FilterForm, NewForm, ReopenForm, UpdateForm
from portal.actions.models import ActionItem
from portal.downloads import download
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.kept_pages import kept
from portal.labels import label
from portal.params import parse_int
from portal.permissions import authorize, can, is_office, moderated_group_ids
from portal.responses import act, page
from portal.types import local_today

bp = Blueprint("actions", __name__)


@bp.context_processor
def _template_helpers():
    def as_date(iso: str) -> date | None:
        return date.fromisoformat(iso) if iso else None
    return {"as_date": as_date}


def _filter_form() -> FilterForm:
    form = FilterForm(formdata=request.args)
    form.set_choices(current_user, queries.group_choices())
    form.validate()
    return form


@bp.route("/actions")
@kept
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
    return download(body, _("aufgaben-%(date)s.csv", date=today.isoformat()), "text/csv")


@bp.route("/actions/mine")
@kept
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
    if request.method == "POST" and request.form.get("group"):  # without one, the form says so at the field
        group = _posted_group()
        authorize("action.create", group)
    form = NewForm(data=None if request.method == "POST" else {"group": request.args.get("group", "")})
    form.group.choices = _group_choices()
    form.owner.offer(current_user)
    if form.validate_on_submit():
        owner = form.owner.person
        return act(lambda: items.create_action_item(
                       current_user, title=form.title.data, owner=owner, due_on=form.due_on.data,
                       group=group, description=form.description.data or ""),
                   _("Die Aufgabe wurde angelegt."), lambda item: url_for("actions.show", action_id=item.id),
                   form=form, invalid=lambda: page("actions/new.html", form, form=form))
    return page("actions/new.html", form, form=form)


def _update_choices(item: ActionItem) -> list[tuple[str, str]]:
    """The owner's status choices: the current one, and the ones it may move to without
    cancelling (cancelling and reopening have their own forms)."""
    allowed = () if item.is_closed else tuple(s for s in items.allowed_statuses(item) if s != items.CANCELLED)
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


def _update(item: ActionItem):
    """The owner's update: (the form as posted, its change, the message on success)."""
    authorize("action.update", item)
    form = UpdateForm()
    form.status.choices = _update_choices(item)
    return form, lambda: items.update(current_user, item, form.status.data, form.comment.data), _updated


def _updated(event) -> str:
    if event.changes_status:
        return _("Status geändert: %(status)s.", status=label("action_status", event.new_value))
    return _("Kommentar gespeichert.")


def _cancel(item: ActionItem):
    authorize("action.cancel", item)
    form = CancelForm()
    return (form, lambda: items.change_status(current_user, item, items.CANCELLED, form.reason.data),
            _("Die Aufgabe wurde abgebrochen."))


def _reopen(item: ActionItem):
    authorize("action.reopen", item)
    form = ReopenForm()
    return (form, lambda: items.change_status(current_user, item, form.status.data, form.comment.data),
            _("Die Aufgabe wurde wieder geöffnet."))


@bp.get("/actions/<int:action_id>")
def show(action_id: int):
    item = _item_for_page(action_id)
    return _show_page(item, _forms(item))


def _item_for_page(action_id: int) -> ActionItem:
    item = db.first_or_404(queries.item_with_history(action_id))
    authorize("action.view", item)
    return item


def _show_page(item: ActionItem, forms: dict):
    return page("actions/show.html", *forms.values(), item=item, forms=forms, today=local_today())


def _change(action_id: int, name: str, prepare):
    """One of the page's forms, posted to its own URL: done, or the page again with its errors."""
    item = _item_for_page(action_id)
    form, change, success = prepare(item)
    forms = {**_forms(item), name: form}
    if not form.validate():
        return _show_page(item, forms)
    return act(change, success, url_for("actions.show", action_id=item.id), form=form,
               invalid=lambda: _show_page(item, forms))


@bp.post("/actions/<int:action_id>/update")
def update(action_id: int):
    return _change(action_id, "update", _update)


@bp.post("/actions/<int:action_id>/cancel")
def cancel(action_id: int):
    return _change(action_id, "cancel", _cancel)


@bp.post("/actions/<int:action_id>/reopen")
def reopen(action_id: int):
    return _change(action_id, "reopen", _reopen)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
def edit(action_id: int):
    item = db.get_or_404(ActionItem, action_id)
    authorize("action.manage", item)
    form = EditForm(data=None if request.method == "POST" else {
        "title": item.title, "description": item.description, "owner": item.owner,
        "due_on": item.due_on})
    form.owner.offer(current_user)
    if form.validate_on_submit():
        owner = form.owner.person
        return act(lambda: items.edit(current_user, item, title=form.title.data,
                                      description=form.description.data or "", owner=owner,
                                      due_on=form.due_on.data, comment=form.comment.data or ""),
                   lambda changed: _("Die Änderungen wurden gespeichert.") if changed
                   else _("Es wurde nichts geändert."),
                   url_for("actions.show", action_id=item.id), form=form,
                   invalid=lambda: page("actions/edit.html", form, form=form, item=item))
    return page("actions/edit.html", form, form=form, item=item)
