"""/search: one box in the header, hits grouped by kind, each kind paged."""
from __future__ import annotations

from flask import Blueprint, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.meetings.models import Meeting
from portal.params import parse_int
from portal.permissions import authorize
from portal.responses import page
from portal.search import sources
from portal.search.forms import SearchForm
from portal.search.query import NEWEST, OLDEST, Filters, search
from portal.search.words import marked, snippet

bp = Blueprint("search", __name__)


@bp.context_processor
def _helpers():
    return {"snippet": snippet, "marked": marked}


def _form() -> SearchForm:
    form = SearchForm(formdata=request.args)
    every = ("", "—")
    form.kind.choices = [every, *((k.name, str(k.label)) for k in sources.KINDS.values())]
    groups = db.session.execute(select(WorkingGroup.id, WorkingGroup.name).order_by(WorkingGroup.name)).all()
    form.group.choices = [every, *((str(i), name) for i, name in groups)]
    first, last = db.session.execute(select(func.min(Meeting.starts_at), func.max(Meeting.starts_at))).one()
    years = range(last.year, first.year - 1, -1) if first else ()
    form.year.choices = [every, *((str(y), str(y)) for y in years)]
    form.order.choices = [("", _("beste Treffer zuerst")), (OLDEST, _("älteste zuerst")), (NEWEST, _("neueste zuerst"))]
    form.validate()
    return form


def _chosen(field) -> str:
    return field.data if field.data in {value for value, _ in field.choices} else ""


@bp.get("/search")
def index():
    authorize("portal.read")
    form = _form()
    filters = Filters(kind=_chosen(form.kind) or None, group_id=parse_int(_chosen(form.group)),
                      year=parse_int(_chosen(form.year)), order=_chosen(form.order))
    text = (form.q.data or "") if not form.q.errors else ""
    results = search(current_user, text, filters, page=max(1, parse_int(request.args.get("page", "")) or 1))
    args = {k: v for k, v in (("q", text), ("kind", filters.kind), ("group", _chosen(form.group)),
                              ("year", _chosen(form.year)), ("order", filters.order)) if v}
    return page("search/index.html", form=form, results=results, text=text, args=args,
                kinds=sources.KINDS)
