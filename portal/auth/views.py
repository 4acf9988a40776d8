"""Login, logout and the choice of language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth.forms import LoginForm
from portal.auth.login import authenticate
from portal.extensions import db
from portal.members.models import Person

bp = Blueprint("auth", __name__)


def load_user(user_id: str) -> Person | None:
    person = db.session.get(Person, int(user_id)) if user_id.isdigit() else None
    return person if person is not None and person.active else None


def _safe_next(target: str | None) -> str:
    """Only redirect back into the portal itself."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        person = authenticate(form.email.data, form.password.data)
        if person is not None:
            db.session.commit()
            login_user(person, remember=form.remember.data)
            session.permanent = bool(form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist nicht aktiv."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("Sie wurden abgemeldet."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language; kept in the profile for signed-in users."""
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated and current_user.locale != locale:
            current_user.locale = locale
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))
