"""GET /people/suggest: the suggestions of a person field, as JSON for person-field.js."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user

from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.params import parse_int
from portal.people import search
from portal.people.field import person_label
from portal.permissions import authorize

bp = Blueprint("people", __name__)


@bp.get("/people/suggest")
def suggest():
    pool = search.POOLS.get(request.args.get("pool", "assignable"))
    if pool is None:
        abort(404)
    authorize("people.suggest", pool)
    context = None
    if pool.context == "group":
        context = db.get_or_404(WorkingGroup, parse_int(request.args.get("group")) or 0)
        authorize("group.manage", context)
    people = search.Search(pool, current_user, context).matches(request.args.get("q", ""))
    response = jsonify([{"id": p.id, "name": p.name, "label": person_label(p)} for p in people])
    response.headers["Cache-Control"] = "private, no-store"
    return response
