"""Login, logout, the choice of language, accepting invitations and resetting passwords.

The invitation and reset pages are public: the signed link is the permission.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.audit.record import apply_changes, record
from portal.auth import sessions, throttle
from portal.auth.forms import AcceptInvitationForm, LoginForm, ResetRequestForm, SetPasswordForm
from portal.auth.login import authenticate
from portal.auth.passwords import MIN_LENGTH
from portal.auth.reset import person_for_reset, request_reset, reset_password
from portal.auth.tokens import TokenProblem
from portal.extensions import db
from portal.members.accounts import AccountError
from portal.members.invitations import accept_invitation, person_for_invitation
from portal.members.models import Person

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only redirect back into the portal itself."""
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not urlsplit(target).netloc):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email, client = form.email.data, request.remote_addr
        attempt = throttle.admit("login", email, client)
        if attempt is None:
            flash(_("Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie 15 Minuten "
                    "oder setzen Sie Ihr Passwort zurück."), "error")
            return render_template("auth/login.html", form=form), 429
        person = authenticate(email, form.password.data)
        if person is not None:
            throttle.forget_failures(attempt)
            sessions.start(person)
            login_user(person, remember=form.remember.data)
            db.session.commit()
            session.permanent = bool(form.remember.data)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist nicht aktiv."), "error")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        sessions.end(current_user)
        db.session.commit()
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
            person = current_user._get_current_object()
            record(person, "person.updated", person, apply_changes(person, {"locale": locale}))
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


def _link_problem(problem: TokenProblem, kind: str):
    """A clear page for a link that cannot be used, saying what to do instead."""
    status = 400 if problem.reason == "invalid" else 410
    return render_template("auth/link_problem.html", reason=problem.reason, kind=kind), status


def _sign_in_as(person: Person) -> None:
    if current_user.is_authenticated and current_user.id != person.id:
        sessions.end(current_user)
        logout_user()
    sessions.start(person)
    login_user(person)


def _password_link(token: str, kind: str, find, form_class, set_password, template: str, done: str):
    """The page behind an invitation or reset link: check the link, set the password, sign in."""
    try:
        person = find(token)
    except TokenProblem as problem:
        return _link_problem(problem, kind)
    form = form_class()
    if form.validate_on_submit():
        try:
            set_password(person, form.password.data)
        except AccountError as error:
            form.password.errors.append(str(error))
        else:
            _sign_in_as(person)
            db.session.commit()
            flash(done % {"name": person.name}, "success")
            return redirect(url_for("home.index"))
    return render_template(template, form=form, person=person, min_length=MIN_LENGTH)


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str):
    return _password_link(token, "invitation", person_for_invitation, AcceptInvitationForm,
                          accept_invitation, "auth/invite.html",
                          _("Willkommen, %(name)s! Ihr Konto ist eingerichtet."))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        email, client = form.email.data, request.remote_addr
        if throttle.admit("reset", email, client):  # silently: nothing is revealed
            request_reset(email)
            db.session.commit()
        # The same page whether or not the address belongs to an account.
        return render_template("auth/reset_sent.html", email=form.email.data)
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    return _password_link(token, "reset", person_for_reset, SetPasswordForm, reset_password,
                          "auth/reset.html", _("Ihr Passwort ist geändert. Sie sind angemeldet."))
