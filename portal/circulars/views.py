"""/circulars: the archive, writing (draft → preview → send), reading; one-click unsubscribe."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import or_, select

from portal.circulars import sending
from portal.circulars.forms import CircularForm, ReceiveForm
from portal.circulars.models import Audience, Circular, CircularRecipient
from portal.extensions import csrf, db
from portal.groups.models import WorkingGroup
from portal.meetings.models import Meeting
from portal.members.models import SECTORS, Person
from portal.members.tokens import TokenProblem, read_unsubscribe_token
from portal.permissions import authorize, is_office, moderated_group_ids
from portal.responses import act, page, store
from portal.types import utcnow

bp = Blueprint("circulars", __name__)


@bp.get("/circulars")
def index():
    authorize("portal.read")
    query = select(Circular).order_by(Circular.sent_at.desc().nulls_first(), Circular.id.desc())
    if not is_office(current_user):
        received = select(CircularRecipient.circular_id).where(CircularRecipient.person_id == current_user.id)
        query = query.where(or_(Circular.id.in_(received), Circular.author_id == current_user.id))
    listing = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("circulars/index.html", listing=listing)


def _form(circular: Circular | None = None) -> CircularForm:
    form = CircularForm(obj=circular) if request.method == "GET" else CircularForm()
    office = is_office(current_user)
    groups = select(WorkingGroup.id, WorkingGroup.name).where(WorkingGroup.archived_at.is_(None))
    if not office:
        groups = groups.where(WorkingGroup.id.in_(moderated_group_ids(current_user) or {-1}))
    recent = utcnow() - timedelta(days=365)
    meetings = db.session.scalars(select(Meeting).where(Meeting.starts_at >= recent)
                                  .order_by(Meeting.starts_at.desc()).limit(200)) if office else []
    form.set_choices(list(Audience) if office else [Audience.GROUPS],
                     db.session.execute(groups.order_by(WorkingGroup.name)).all(), meetings, SECTORS)
    if not office and request.method == "GET":
        form.audience.data = Audience.GROUPS.value
    if circular is not None and request.method == "GET":
        form.meeting_id.data = str(circular.meeting_id or "")
    return form


def _editor(form: CircularForm, circular: Circular | None):
    return page("circulars/form.html", form, form=form, circular=circular)


@bp.route("/circulars/new", methods=["GET", "POST"])
def new():
    authorize("circular.write")
    form = _form()
    if not form.validate_on_submit():
        return _editor(form, None)
    return act(lambda: sending.write(current_user, form.draft()), _("Der Entwurf ist gespeichert. Bitte prüfen Sie die Empfänger."),
               lambda circular: url_for("circulars.show", circular_id=circular.id),
               form=form, invalid=lambda: _editor(form, None))


def _load(circular_id: int) -> Circular:
    circular = db.session.get(Circular, circular_id)
    if circular is None:
        abort(404)
    return circular


@bp.route("/circulars/<int:circular_id>/edit", methods=["GET", "POST"])
def edit(circular_id: int):
    circular = _load(circular_id)
    authorize("circular.manage", circular)
    if circular.is_sent:
        return redirect(url_for("circulars.show", circular_id=circular.id))
    form = _form(circular)
    if not form.validate_on_submit():
        return _editor(form, circular)
    return act(lambda: sending.write(current_user, form.draft(), circular), _("Der Entwurf ist gespeichert."),
               url_for("circulars.show", circular_id=circular.id),
               form=form, invalid=lambda: _editor(form, circular))


@bp.get("/circulars/<int:circular_id>")
def show(circular_id: int):
    circular = _load(circular_id)
    authorize("circular.read", circular)
    preview = None if circular.is_sent else sending.preview(circular)
    return render_template("circulars/show.html", circular=circular, preview=preview)


@bp.post("/circulars/<int:circular_id>/send")
def send(circular_id: int):
    circular = _load(circular_id)
    authorize("circular.manage", circular)
    return act(lambda: sending.send(current_user, circular),
               lambda n: ngettext("Das Rundschreiben wird an %(num)s Person verschickt.",
                                  "Das Rundschreiben wird an %(num)s Personen verschickt.", n),
               url_for("circulars.show", circular_id=circular.id))


@bp.post("/profile/circulars")
def settings():
    authorize("circular.settings")
    form = ReceiveForm()
    person = current_user._get_current_object()
    return act(lambda: sending.set_receives_circulars(person, person, bool(form.receives.data)),
               lambda receives: _("Sie erhalten Rundschreiben per E-Mail.") if receives
               else _("Sie erhalten keine Rundschreiben mehr per E-Mail. Einladungen und Ihre Aufgaben kommen weiter."),
               url_for("members.profile"))


def _unsubscribing(token: str) -> Person | None:
    try:
        return db.session.get(Person, read_unsubscribe_token(token))
    except TokenProblem:
        return None


@bp.route("/circulars/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: mail programs send the one-click POST without a form of ours
def unsubscribe(token: str):
    """The signed link is the permission: it names the person and works without signing in."""
    person = _unsubscribing(token)
    if person is None:
        return render_template("circulars/unsubscribe.html", person=None), 404
    if request.method == "GET":
        return render_template("circulars/unsubscribe.html", person=person, done=False)
    return store(lambda: sending.set_receives_circulars(person, person, False),
                 lambda _: render_template("circulars/unsubscribe.html", person=person, done=True))
