"""/decisions (the register, with CSV) and /decisions/<id> (one decision with its action items)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.actions.models import ActionStatus
from portal.csv_files import excel_csv
from portal.decisions import register
from portal.decisions.forms import DecisionFilterForm
from portal.downloads import download
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.links import external_url
from portal.meetings.models import Decision, Meeting
from portal.permissions import authorize
from portal.responses import page
from portal.search.visibility import may_open
from portal.types import local_today

bp = Blueprint("decisions", __name__)


def _form() -> DecisionFilterForm:
    form = DecisionFilterForm(formdata=request.args)
    groups = db.session.execute(select(WorkingGroup.id, WorkingGroup.name).order_by(WorkingGroup.name)).all()
    form.set_choices(groups, register.years(current_user), register.meetings_with_decisions(current_user))
    form.validate()
    return form


@bp.get("/decisions")
def index():
    authorize("portal.read")
    form = _form()
    listing = db.paginate(register.listed(current_user, form.filters()),
                          per_page=current_app.config["PER_PAGE"], error_out=False)
    return page("decisions/index.html", form=form, listing=listing, args=form.url_args(),
                actions=register.action_items_of(listing.items), today=local_today())


@bp.get("/decisions/export.csv")
def export_csv():
    authorize("portal.read")
    form = _form()
    decisions = list(db.session.scalars(register.listed(current_user, form.filters())))
    actions = register.action_items_of(decisions)
    header = (_("Beschluss"), _("Datum"), _("Treffen"), _("Reallabor"), _("TOP"), _("Text"), _("Ja"), _("Nein"),
              _("Enthaltungen"), _("Aufgaben"), _("davon erledigt"), _("Link"))
    rows = ((d.reference, d.meeting.starts_at.strftime("%d.%m.%Y"), d.meeting.title,
             d.meeting.group.name if d.meeting.group else _("Plenum"),
             d.agenda_item.display_title if d.agenda_item else "", d.text,
             _vote(d.votes_yes), _vote(d.votes_no), _vote(d.votes_abstain), len(actions[d.id]),
             sum(1 for a in actions[d.id] if a.status == ActionStatus.DONE), external_url("decisions.show", decision_id=d.id))
            for d in decisions)
    return download(excel_csv(header, rows), _("beschluesse-%(date)s.csv", date=local_today().isoformat()), "text/csv")


def _vote(value: int | None) -> str:
    return "" if value is None else str(value)


@bp.get("/decisions/<int:decision_id>")
def show(decision_id: int):
    decision = db.session.scalar(select(Decision).where(Decision.id == decision_id).options(
        joinedload(Decision.meeting).selectinload(Meeting.participations), joinedload(Decision.agenda_item)))
    if decision is None:
        abort(404)
    authorize("portal.read", decision)
    if not may_open(current_user, decision.meeting):
        abort(403)
    return page("decisions/show.html", decision=decision, meeting=decision.meeting,
                actions=register.action_items_of([decision])[decision.id], today=local_today())
