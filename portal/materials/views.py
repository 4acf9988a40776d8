"""Request handlers of the materials area: upload, new version, download, remove."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import RequestEntityTooLarge

from portal.actions.models import ActionItem
from portal.deletion import confirm_delete
from portal.downloads import download
from portal.errors import RuleError
from portal.extensions import db
from portal.materials import listing, logic
from portal.materials.forms import MaterialForm, VersionForm
from portal.materials.models import Material, MaterialVersion
from portal.meetings.guests import guest_of
from portal.meetings.models import AgendaItem, Meeting
from portal.permissions import authorize, can
from portal.responses import INVALID, act, show_error

bp = Blueprint("materials", __name__)
bp.add_app_template_filter(logic.size_label, "file_size")
bp.add_app_template_global(listing.shared_materials, "meeting_materials")
bp.add_app_template_global(listing.material_link, "material_link")
bp.add_app_template_global(listing.action_materials, "action_materials")


def _limit() -> int:
    return current_app.config["MATERIAL_MAX_BYTES"]


def _guard_size() -> bool:
    """Let werkzeug read a body somewhat above the limit (the form's title comes back with the
    message); whether the body is so large that it was not read at all."""
    request.max_content_length = 2 * _limit() + 1024 * 1024
    try:
        request.form  # noqa: B018  (reads the body now)
    except RequestEntityTooLarge:
        return True
    return False


def _material(material_id: int) -> Material:
    material = db.first_or_404(select(Material).where(Material.id == material_id, Material.deleted_at.is_(None)))
    authorize("material.view", material)
    return material


def _back(target) -> str:
    """The page the material (or its meeting or action item) is listed on, at its materials."""
    if isinstance(target, Material):
        target = target.action_item or target.meeting
    if isinstance(target, ActionItem):
        return url_for("actions.show", action_id=target.id, _anchor="h-materials")
    return url_for("meetings.show", meeting_id=target.id, _anchor="h-materials")


def _fitted(form: MaterialForm, internal_label=None) -> MaterialForm:
    """The upload form as the current user may fill it (the "intern" box for the office only)."""
    if not can("material.mark_internal"):
        del form.internal
    elif internal_label is not None:
        form.internal.label.text = internal_label
    return form


def _file(form) -> tuple[str, bytes | None]:
    upload = request.files.get("upload")
    if upload is None or not upload.filename:
        return "", None
    return upload.filename, upload.read(_limit() + 1)


def _too_large(form, template: str, **context):
    form.upload.errors = [_("Die Datei ist zu groß: höchstens %(limit)s.", limit=logic.size_label(_limit()))]
    return render_template(template, form=form, **context), INVALID


@bp.route("/meetings/<int:meeting_id>/materials/new", methods=["GET", "POST"])
@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/materials/new", methods=["GET", "POST"])
def new(meeting_id: int, item_id: int | None = None):
    meeting = db.get_or_404(Meeting, meeting_id)
    item = None
    if item_id is not None:
        item = db.first_or_404(select(AgendaItem).where(AgendaItem.id == item_id,
                                                        AgendaItem.meeting_id == meeting.id))
    authorize("material.add", item or meeting)
    return _new({"meeting": meeting, "item": item}, _back(meeting),
                lambda **fields: logic.add_material(current_user, meeting, item, **fields))


def _internal_on_action() -> str:
    return _("Intern (nur für die Geschäftsstelle und die Moderation des Reallabors sichtbar)")


@bp.route("/actions/<int:action_id>/materials/new", methods=["GET", "POST"])
def new_for_action(action_id: int):
    """The action item's upload form (its page shows it too) and where it is posted to."""
    action = db.get_or_404(ActionItem, action_id)
    authorize("material.add", action)
    return _new({"action": action}, _back(action),
                lambda **fields: logic.add_material(current_user, None, None, action_item=action, **fields),
                internal_label=_internal_on_action())


def _new(context: dict, back: str, add, internal_label=None):
    """The upload form: shown, refused at its fields, or the material added by `add(**fields)`."""
    context = {**context, "back": back, "may_mark": can("material.mark_internal")}
    if request.method == "POST" and _guard_size():
        return _too_large(_fitted(MaterialForm(formdata=None), internal_label), "materials/new.html", **context)
    form = _fitted(MaterialForm(), internal_label)
    if not form.validate_on_submit():
        return render_template("materials/new.html", form=form, **context), (INVALID if form.is_submitted() else 200)
    filename, data = _file(form)
    return act(lambda: add(title=form.title.data, internal=bool(form.internal.data) if context["may_mark"]
                           else False, limit=_limit(), url=form.url.data or None, filename=filename, data=data),
               _("Die Unterlage ist gespeichert."), back, form=form,
               invalid=lambda: render_template("materials/new.html", form=form, **context))


@bp.app_template_global("action_material_form")
def action_upload_form(action) -> MaterialForm | None:
    """The blank upload form on the action item's page, if the user may add there."""
    return _fitted(MaterialForm(formdata=None), _internal_on_action()) if can("material.add", action) else None


@bp.route("/materials/<int:material_id>", methods=["GET", "POST"])
def show(material_id: int):
    """The material's versions; who may manage it uploads a new one here."""
    material = _material(material_id)
    manages = can("material.manage", material)
    context = {"material": material, "manages": manages}
    if request.method == "POST":
        authorize("material.manage", material)
        if _guard_size():
            return _too_large(VersionForm(formdata=None), "materials/show.html", **context)
    form = VersionForm()
    if not form.validate_on_submit():
        return render_template("materials/show.html", form=form, **context), (INVALID if form.is_submitted() else 200)
    filename, data = _file(form)
    if data is None:
        show_error(form, RuleError(_("Bitte eine Datei wählen."), "upload"))
        return render_template("materials/show.html", form=form, **context), INVALID
    return act(lambda: logic.add_version(current_user, material, filename=filename, data=data, limit=_limit()),
               _("Die neue Version ist gespeichert."), url_for("materials.show", material_id=material.id),
               form=form, invalid=lambda: render_template("materials/show.html", form=form, **context))


@bp.get("/materials/<int:material_id>/versions/<int:number>")
def download_version(material_id: int, number: int):
    material = _material(material_id)
    version = db.first_or_404(select(MaterialVersion).where(MaterialVersion.material_id == material.id,
                                                            MaterialVersion.number == number))
    return download_version_of(version)


@bp.get("/meetings/guest/<token>/materials/<int:material_id>")
def guest_download(token: str, material_id: int):
    """A material of a guest's meeting through her personal link (the link is the permission, as
    on her page): what invitees see (not internal, not removed), its current file."""
    participation = guest_of(token)
    if participation is None:
        return render_template("meetings/guest_link_problem.html"), 404
    material = next((m for m in listing.shared_materials(participation.meeting).all if m.id == material_id), None)
    if material is None or material.current is None:
        abort(404)
    return download_version_of(material.current)


def download_version_of(version: MaterialVersion):
    """The file of a version: PDFs and images shown in the browser, others saved."""
    inline = version.mimetype in ("application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp")
    return download(logic.blob_of(version), version.filename, version.mimetype, inline=inline)


@bp.route("/materials/<int:material_id>/delete", methods=["GET", "POST"])
def delete(material_id: int):
    material = _material(material_id)
    authorize("material.manage", material)
    return confirm_delete(
        lambda: logic.remove(current_user, material), _("Die Unterlage „%(title)s“ ist entfernt.",
                                                        title=material.title),
        _back(material), heading=_("Unterlage „%(title)s“ entfernen", title=material.title),
        facts=[(_("Titel"), material.title)],
        consequence=_("Die Unterlage verschwindet von der Aufgabe; das Änderungsprotokoll behält, wer sie "
                      "entfernt hat.") if material.action_item_id else
        _("Die Unterlage verschwindet aus dem Treffen und seinen E-Mails; das Änderungsprotokoll "
          "behält, wer sie entfernt hat."), target=_back(material))
