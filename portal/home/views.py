"""The start page for each role, and the health check."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from portal.extensions import db
from portal.home import start
from portal.kept_pages import kept
from portal.permissions import authorize, is_observer, is_office

bp = Blueprint("home", __name__)


@bp.route("/")
@kept
def index():
    authorize("portal.read")
    if is_office(current_user):
        return render_template("home/office.html", page=start.office_page(current_user))
    if is_observer(current_user):
        return render_template("home/observer.html", page=start.observer_page(current_user))
    return render_template("home/member.html", page=start.member_page(current_user))


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
