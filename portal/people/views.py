"""GET /people/suggest: the suggestions of a person field, as JSON for person-field.js."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.meetings.models import Meeting
from portal.params import parse_int
from portal.people import search
from portal.people.field import meeting_label, person_label
from portal.permissions import authorize

bp = Blueprint("people", __name__)

CONTEXTS = {"group": (WorkingGroup, "group.manage"), "meeting": (Meeting, "minutes.write")}


@bp.get("/people/suggest")
def suggest():
    pool = search.POOLS.get(request.args.get("pool", "assignable"))
    if pool is None:
        abort(404)
    authorize("people.suggest", pool)
    context = None
    if pool.context is not None:  # the group or meeting the pool depends on, and the right to manage it
        model, action = CONTEXTS[pool.context]
        context = db.get_or_404(model, parse_int(request.args.get(pool.context)) or 0)
        authorize(pool.manage or action, context)
    people = search.Search(pool, current_user, context).matches(request.args.get("q", ""))
    return _suggestions([{"id": p.id, "name": p.name, "label": person_label(p)} for p in people])


@bp.get("/organizations/suggest")
def suggest_organizations():
    authorize("organization.suggest")
    organizations = search.OrganizationSearch(current_user).matches(request.args.get("q", ""))
    return _suggestions([{"id": o.id, "name": o.name, "label": o.name} for o in organizations])


@bp.get("/actions/meetings/suggest")
def suggest_meetings():
    authorize("action.view")
    meetings = search.MeetingSearch(current_user).matches(request.args.get("q", ""))
    return _suggestions([{"id": m.id, "name": m.title, "label": meeting_label(m)} for m in meetings])


def _suggestions(rows: list[dict]):
    """The suggestions as JSON, never cached (they depend on who asks)."""
    response = jsonify(rows)
    response.headers["Cache-Control"] = "private, no-store"
    return response
