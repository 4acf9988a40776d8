"""Request handlers of the experience exchange: load, authorize, call the logic, render."""
from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.exchange import statuses
from portal.exchange.forms import ContactForm, GroupForm, StatusForm, ThemeForm
from portal.exchange.models import OrganizationTheme, Theme
from portal.extensions import db
from portal.params import parse_int
from portal.permissions import authorize, can
from portal.responses import act, page

bp = Blueprint("exchange", __name__)


def _theme(theme_id: int) -> Theme:
    theme = db.session.get(Theme, parse_int(theme_id) or 0)
    if theme is None:
        abort(404)
    return theme


@bp.route("/exchange", methods=["GET", "POST"])
def index():
    authorize("exchange.view")
    form = ThemeForm()
    if form.is_submitted():
        authorize("exchange.manage")
        if form.validate():
            return act(lambda: statuses.create_theme(current_user, form.name.data, form.description.data or ""),
                       _("Das Thema ist angelegt."), lambda t: url_for("exchange.show", theme_id=t.id),
                       form=form, invalid=lambda: page("exchange/index.html", form, rows=statuses.overview(),
                                                       form=form))
    return page("exchange/index.html", form, rows=statuses.overview(), form=form)


def _group_form(formdata=None) -> GroupForm:
    form = GroupForm() if formdata is None else GroupForm(formdata=formdata)
    form.moderator.offer(current_user)
    return form


def _show(theme: Theme, *, status_form=None, contact_form=None, group_form=None):
    rows = statuses.of_theme(theme)
    own = next((r for r in rows if r.organization_id == current_user.organization_id), None)
    if status_form is None:
        status_form = StatusForm(formdata=None, status=own.status.value if own else "", shares=own.shares if own else False)
    return page("exchange/show.html", status_form, contact_form, group_form, theme=theme, rows=rows, own=own,
                helpers=statuses.helpers_for(rows, current_user.organization_id),
                status_form=status_form, contact_form=contact_form or ContactForm(formdata=None),
                group_form=group_form or (_group_form(formdata=None) if can("exchange.manage") else None),
                may_edit=current_user.organization is not None and can("exchange.edit", current_user.organization))


@bp.get("/exchange/<int:theme_id>")
def show(theme_id: int):
    theme = _theme(theme_id)
    authorize("exchange.view", theme)
    return _show(theme)


@bp.post("/exchange/<int:theme_id>/status")
def set_status(theme_id: int):
    theme = _theme(theme_id)
    authorize("exchange.view", theme)
    org = current_user.organization
    authorize("exchange.edit", org)
    if org is None:
        abort(403)
    form = StatusForm()
    if not form.validate():
        return _show(theme, status_form=form)
    return act(lambda: statuses.set_status(current_user, org, theme, form.status.data or None,
                                           shares=form.shares.data, contact=current_user if form.shares.data else None),
               _("Der Stand Ihrer Organisation ist gespeichert."), url_for("exchange.show", theme_id=theme.id))


@bp.post("/exchange/<int:theme_id>/contact/<int:row_id>")
def contact(theme_id: int, row_id: int):
    theme = _theme(theme_id)
    authorize("exchange.contact", theme)
    helper = db.session.get(OrganizationTheme, parse_int(row_id) or 0)
    if helper is None or helper.theme_id != theme.id:
        abort(404)
    form = ContactForm()
    if not form.validate():
        return _show(theme, contact_form=form)
    return act(lambda: statuses.request_contact(current_user, theme, helper, form.message.data or ""),
               _("Ihre Anfrage ist an die Kontaktperson verschickt; sie entscheidet, ob sie antwortet."),
               url_for("exchange.show", theme_id=theme.id), form=form,
               invalid=lambda: _show(theme, contact_form=form))


@bp.post("/exchange/<int:theme_id>/group")
def start_group(theme_id: int):
    theme = _theme(theme_id)
    authorize("exchange.manage", theme)
    form = _group_form()
    if not form.validate():
        return _show(theme, group_form=form)
    return act(lambda: statuses.start_group(current_user, theme, name=form.name.data,
                                            moderator=form.moderator.person,
                                            description=form.description.data or ""),
               _("Das Reallabor ist angelegt; die Organisationen des Themas sind eingeladen."),
               lambda g: url_for("groups.show", group_id=g.id), form=form,
               invalid=lambda: _show(theme, group_form=form))


@bp.app_template_global()
def organization_themes(org):
    """The organization page's list of themes (templates/exchange/_organization_themes.html)."""
    return statuses.of_organization(org)


@bp.app_template_global()
def theme_of_group(group):
    """The theme a group was started from, for the group page (templates/exchange/_group_theme.html)."""
    return statuses.theme_of_group(group)
