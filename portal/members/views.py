"""Request handlers of the members area: load, authorize, call the logic, render."""
from __future__ import annotations

import base64
import binascii

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.downloads import download
from portal.extensions import db
from portal.kept_pages import kept
from portal.labels import choices
from portal.members import csv_io, directory, invitations, organizations, profile
from portal.members.forms import (
    ImportConfirmForm,
    ImportUploadForm,
    InvitationForm,
    OfficeProfileForm,
    OrganizationForm,
    PersonForm,
    ProfileForm,
)
from portal.members.models import SECTORS, Organization, Person
from portal.params import parse_int
from portal.permissions import authorize, can, is_office
from portal.responses import INVALID, act, page
from portal.types import local_today, utcnow

bp = Blueprint("members", __name__)


def _chosen_organization(form):
    """The organization a form with OrganizationChoice names (a new one is created)."""
    existing = form.organization_id.chosen
    return organizations.organization_for(current_user, existing, form.new_organization.data or "",
                                          form.new_sector.data)


def _load_person(person_id: int) -> Person:
    return db.first_or_404(directory.person_query(person_id, office=is_office(current_user)))


# --- directory and profiles ---------------------------------------------------------------

@bp.route("/members")
@kept
def index():
    authorize("portal.read")
    filters = directory.Filters.read(request.args, office=is_office(current_user))
    page = db.paginate(directory.people_query(filters), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    return render_template("members/index.html", page=page, filters=filters, sectors=SECTORS,
                           groups=directory.active_groups(), statuses=choices("account_status"),
                           visible_groups=directory.visible_groups, status_of=directory.status_of)


@bp.route("/members/<int:person_id>")
def show(person_id: int):
    person = _load_person(person_id)
    authorize("portal.read", person)
    history = directory.history("people", person.id) if can("member.manage") else []
    pages = {name: parse_int(request.args.get(name, "")) or 1 for name in HISTORY_PAGES}
    page_args = {name: {other: n for other, n in pages.items() if other != name and n > 1} for name in pages}
    return render_template("members/show.html", person=person, history=history,
                           activity=directory.person_history(person, **pages), page_args=page_args,
                           today=local_today(),
                           memberships=directory.visible_groups(person),
                           status=directory.status_of(person),
                           invitation_expires=invitations.expires_at(person))


HISTORY_PAGES = ("groups_page", "meetings_page", "actions_page")


@bp.route("/members/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id: int):
    person = db.get_or_404(Person, person_id)
    authorize("member.manage", person)
    form = PersonForm(obj=person, organization_id=person.organization_id or 0)
    form.set_organizations(current_user)

    def show_page():
        return page("members/edit.html", form, form=form, person=person)

    if form.validate_on_submit():
        return act(lambda: profile.update_person(
                       current_user, person, organization=_chosen_organization(form),
                       name=form.name.data, email=form.email.data, function=form.function.data or "",
                       phone=form.phone.data or "", role=form.role.data),
                   lambda changes: _("Die Angaben von %(name)s sind gespeichert.", name=person.name) if changes
                   else _("Es gab nichts zu ändern."),
                   url_for("members.show", person_id=person.id), form=form, invalid=show_page)
    return show_page()


def _person_action(person_id: int, action, done: str):
    person = db.get_or_404(Person, person_id)
    authorize("member.manage", person)
    back = (url_for("members.new") if request.form.get("back") == "invitations"
            else url_for("members.show", person_id=person.id))
    return act(lambda: action(current_user, person), done % {"name": person.name}, back)


@bp.route("/members/<int:person_id>/deactivate", methods=["POST"])
def deactivate(person_id: int):
    return _person_action(person_id, profile.deactivate,
                          _("%(name)s ist deaktiviert und kann sich nicht mehr anmelden."))


@bp.route("/members/<int:person_id>/reactivate", methods=["POST"])
def reactivate(person_id: int):
    return _person_action(person_id, profile.reactivate, _("%(name)s ist wieder aktiv."))


@bp.route("/members/<int:person_id>/invitation", methods=["POST"])
def send_invitation(person_id: int):
    return _person_action(person_id, invitations.send_invitation,
                          _("Die Einladung an %(name)s wird verschickt; ältere Einladungslinks gelten nicht mehr."))


@bp.route("/members/<int:person_id>/invitation/revoke", methods=["POST"])
def revoke_invitation(person_id: int):
    return _person_action(person_id, invitations.revoke_invitation,
                          _("Die Einladung an %(name)s ist zurückgezogen; das Konto ist deaktiviert."))


@bp.route("/profile", methods=["GET", "POST"], endpoint="profile")
def profile_page():
    authorize("portal.read")
    person = db.first_or_404(directory.person_query(current_user.id, office=True))
    if request.method == "POST":
        authorize("profile.edit", person)
    if not can("profile.edit", person):  # observers read their profile, they do not change it
        return render_template("members/profile.html", person=person, form=None,
                               memberships=directory.visible_groups(person))
    office = is_office(current_user)
    form = (OfficeProfileForm if office else ProfileForm)(
        obj=person, locale=person.locale or "", organization_id=person.organization_id or 0)
    if office:
        form.set_organizations(current_user)

    def save():
        values = dict(name=form.name.data, function=form.function.data or "", phone=form.phone.data or "",
                      locale=form.locale.data or None, show_email=form.show_email.data,
                      show_phone=form.show_phone.data)
        if office:
            values["organization"] = _chosen_organization(form)
        return profile.update_person(current_user, person, **values)

    def show_page():
        return page("members/profile.html", form, person=person, form=form,
                    memberships=directory.visible_groups(person))

    if form.validate_on_submit():
        return act(save, lambda changes: _("Ihr Profil ist gespeichert.") if changes else _("Es gab nichts zu ändern."),
                   url_for("members.profile"), form=form, invalid=show_page)
    return show_page()


# --- invitations ---------------------------------------------------------------------------

@bp.route("/members/new", methods=["GET", "POST"])
def new():
    authorize("member.manage")
    form = InvitationForm()
    form.set_organizations(current_user)

    def show_page():
        return page("members/new.html", form, form=form, pending=invitations.pending_invitations(),
                    expires_at=invitations.expires_at, now=utcnow())

    if form.validate_on_submit():
        return act(lambda: invitations.invite(
                       current_user, name=form.name.data, email=form.email.data, role=form.role.data,
                       organization=_chosen_organization(form)),
                   lambda person: _("Die Einladung an %(name)s (%(email)s) wird verschickt.", name=person.name,
                                    email=person.email),
                   url_for("members.new"), form=form, invalid=show_page)
    return show_page()


# --- CSV import and export -----------------------------------------------------------------

def _import_page(upload, confirm, plan=None, filename=None):
    """The import page; a file with errors is bad input like an invalid form (422)."""
    body, status = page("members/import.html", upload, confirm, upload=upload, confirm=confirm, plan=plan,
                        filename=filename, sectors=SECTORS, column_labels=csv_io.CHANGE_LABELS)
    return body, INVALID if plan is not None and plan.errors else status


@bp.route("/members/import", methods=["GET", "POST"])
def import_csv():
    """Upload → preview (nothing written; the file travels on in a hidden field) → confirm."""
    authorize("member.manage")
    upload, confirm = ImportUploadForm(), ImportConfirmForm()
    if "content" in request.form:
        return _confirm_import(upload, confirm)
    if upload.validate_on_submit():
        data = upload.file.data.read()
        confirm.content.data = base64.b64encode(data).decode("ascii")
        plan = csv_io.read(data)
        return _import_page(upload, confirm, plan, upload.file.data.filename)
    return _import_page(upload, confirm)


def _confirm_import(upload: ImportUploadForm, confirm: ImportConfirmForm):
    try:
        data = base64.b64decode(confirm.content.data or "", validate=True)
    except (binascii.Error, ValueError):
        data = b""
    plan = csv_io.read(data)  # checked again: the database may have changed since the preview
    if plan.errors:
        return _import_page(upload, confirm, plan)
    return act(lambda: csv_io.apply(current_user, plan),
               _("Import abgeschlossen – neu: %(created)s, geändert: %(updated)s, unverändert: %(unchanged)s.",
                 created=len(plan.creates), updated=len(plan.updates), unchanged=len(plan.unchanged)),
               url_for("members.index"), invalid=lambda: _import_page(upload, confirm, plan))


@bp.route("/members/export.csv")
def export_csv():
    authorize("portal.read")
    filters = directory.Filters.read(request.args, office=is_office(current_user))
    people = db.session.scalars(directory.people_query(filters)).unique()
    body = csv_io.export(people, lambda person, field: can(f"member.{field}", person))
    return download(body, _("mitglieder-%(date)s.csv", date=local_today().isoformat()), "text/csv")


# --- organizations -------------------------------------------------------------------------

@bp.route("/organizations", endpoint="organizations")
@kept
def organizations_index():
    authorize("portal.read")
    q = request.args.get("q", "").strip()[:100]
    sector = request.args.get("sector", "")
    sector = sector if sector in SECTORS else ""
    page = db.paginate(directory.organizations_query(q, sector), per_page=current_app.config["PER_PAGE"],
                       error_out=False)
    counts = directory.people_counts([o.id for o in page.items])
    args = {k: v for k, v in {"q": q, "sector": sector}.items() if v}
    return render_template("members/organizations.html", page=page, q=q, sector=sector, sectors=SECTORS,
                           counts=counts, args=args)


@bp.route("/organizations/<int:organization_id>")
def organization(organization_id: int):
    org = db.get_or_404(Organization, organization_id)
    authorize("portal.read", org)
    return render_template("members/organization.html", organization=org,
                           people=directory.organization_people(org, office=is_office(current_user)),
                           visible_groups=directory.visible_groups, status_of=directory.status_of,
                           history=directory.history("organizations", org.id) if can("member.manage") else [])


@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
def organization_edit(organization_id: int):
    org = db.get_or_404(Organization, organization_id)
    authorize("member.manage", org)
    form = OrganizationForm(obj=org)

    def show_page():
        return page("members/organization_edit.html", form, form=form, organization=org)

    if form.validate_on_submit():
        return act(lambda: organizations.update_organization(
                       current_user, org, name=form.name.data, sector=form.sector.data,
                       address=(form.address.data or "").strip(), website=(form.website.data or "").strip()),
                   lambda changes: _("Die Organisation ist gespeichert.") if changes else _("Es gab nichts zu ändern."),
                   url_for("members.organization", organization_id=org.id), form=form, invalid=show_page)
    return show_page()
