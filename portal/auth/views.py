"""Login, logout, the choice of language, accepting invitations and resetting passwords.

The invitation and reset pages are public: the signed link is the permission.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from portal.auth import sessions, throttle
from portal.auth.forms import (
    AcceptInvitationForm,
    LoginForm,
    ResetRequestForm,
    SetPasswordForm,
)
from portal.auth.login import sign_in
from portal.auth.reset import person_for_reset, request_reset, reset_password
from portal.links import safe_next
from portal.members import profile
from portal.members.invitations import accept_invitation, person_for_invitation
from portal.members.models import Person
from portal.members.passwords import MIN_LENGTH
from portal.members.tokens import TokenProblem
from portal.privacy_notice import notices
from portal.responses import INVALID, act, page, store

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email, client = form.email.data, request.remote_addr
        attempt = throttle.admit("login", email, client)  # counted before the password is checked
        if attempt is None:
            flash(_("Zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie 15 Minuten "
                    "oder setzen Sie Ihr Passwort zurück."), "error")
            return render_template("auth/login.html", form=form), 429
        return store(lambda: sign_in(attempt, email, form.password.data),
                     lambda person: _enter(person, form) if person else _login_refused(form))
    return page("auth/login.html", form, form=form)


def _enter(person: Person, form: LoginForm):
    login_user(person, remember=form.remember.data)
    session.permanent = bool(form.remember.data)
    return redirect(safe_next(request.args.get("next")))


def _login_refused(form: LoginForm):
    flash(_("E-Mail-Adresse oder Passwort ist falsch, oder das Konto ist nicht aktiv."), "error")
    return render_template("auth/login.html", form=form), INVALID


@bp.route("/logout", methods=["POST"])
def logout():
    def end_session():
        if current_user.is_authenticated:
            sessions.end(current_user._get_current_object())
        logout_user()
    return act(end_session, _("Sie wurden abgemeldet."), url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def language():
    """Switch the interface language; kept in the profile for signed-in users."""
    locale, back = request.form.get("locale", ""), safe_next(request.form.get("next"))
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated and current_user.locale != locale:
            person = current_user._get_current_object()
            return act(lambda: profile.update_person(person, person, locale=locale), None, back)
    return redirect(back)


def _link_problem(problem: TokenProblem, kind: str):
    """A clear page for a link that cannot be used, saying what to do instead."""
    status = 400 if problem.reason == "invalid" else 410
    return render_template("auth/link_problem.html", reason=problem.reason,
                           for_invitation=kind == "invitation"), status


def _sign_in_as(person: Person) -> None:
    if current_user.is_authenticated and current_user.id != person.id:
        sessions.end(current_user._get_current_object())
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

    def change():
        set_password(person, form.password.data)
        _sign_in_as(person)

    def show_page():
        return page(template, form, form=form, person=person, min_length=MIN_LENGTH, notice=notices.current())

    if form.validate_on_submit():
        return act(change, done % {"name": person.name}, url_for("home.index"), form=form, invalid=show_page)
    return show_page()


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invite(token: str):
    return _password_link(token, "invitation", person_for_invitation, AcceptInvitationForm,
                          accept_invitation, "auth/invite.html",
                          _("Willkommen, %(name)s! Ihr Konto ist eingerichtet."))


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # The same page whether or not the address belongs to an account.
        return store(lambda: request_reset(form.email.data, request.remote_addr),
                     lambda _: render_template("auth/reset_sent.html", email=form.email.data))
    return page("auth/reset_request.html", form, form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    return _password_link(token, "reset", person_for_reset, SetPasswordForm, reset_password,
                          "auth/reset.html", _("Ihr Passwort ist geändert. Sie sind angemeldet."))
