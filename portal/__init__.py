"""The alliance portal: create_app builds the Flask application."""
from __future__ import annotations

import logging
import uuid
from pathlib import Path

from flask import Flask, abort, current_app, g, has_request_context, render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config as portal_config
from portal import formatting, i18n, kept_pages, labels, navigation, permissions, urls
from portal.auth.sessions import signed_in_person
from portal.cli import register
from portal.documents.render import page_of_css
from portal.extensions import babel, csrf, db, login_manager, migrate
from portal.forms import error_summary
from portal.privacy.erasure import reapply_remembered
from portal.types import local_today

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("portal")


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder="static",
    )
    app.config.update(portal_config.load(app.instance_path, config or {}))
    if app.config["PROXY_COUNT"]:
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    register_extensions(app)
    register_errorhandlers(app)  # its request id and NUL check come before the blueprints' hooks
    register_blueprints(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    reapply_remembered(app)  # a backup restored by hand does not bring an erased person back
    return app


def _select_locale() -> str:

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages:
        return session["locale"]
    return request.accept_languages.best_match(languages) or "de"


def register_extensions(app: Flask) -> None:
    # the engine settings, and every table known to SQLAlchemy and Alembic
    from portal import database, models  # noqa: F401
    from portal.search import index  # noqa: F401  (its session events keep the search index current)
    from portal.search import models as search_models

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True,
                     compare_type=True, include_object=search_models.compared)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories=str(ROOT / "translations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    login_manager.user_loader(signed_in_person)
    kept_pages.register(app)


def register_blueprints(app: Flask) -> None:
    from portal.actions.views import bp as actions_bp
    from portal.auth.views import bp as auth_bp
    from portal.calendar.views import bp as calendar_bp
    from portal.circulars.views import bp as circulars_bp
    from portal.decisions.views import bp as decisions_bp
    from portal.documents.views import bp as documents_bp
    from portal.exchange.views import bp as exchange_bp
    from portal.groups.views import bp as groups_bp
    from portal.home.views import bp as home_bp
    from portal.jobs.views import bp as jobs_bp
    from portal.materials.views import bp as materials_bp
    from portal.meetings.views import bp as meetings_bp
    from portal.members.views import bp as members_bp
    from portal.minutes.views import bp as minutes_bp
    from portal.people.views import bp as people_bp
    from portal.privacy.views import bp as privacy_bp
    from portal.privacy_notice.views import bp as privacy_notice_bp
    from portal.reports.views import bp as reports_bp
    from portal.search.views import bp as search_bp
    from portal.surveys.views import bp as surveys_bp

    for bp in (home_bp, auth_bp, members_bp, groups_bp, meetings_bp, minutes_bp, actions_bp,
               calendar_bp, documents_bp, reports_bp, jobs_bp, privacy_notice_bp, privacy_bp,
               search_bp, decisions_bp, circulars_bp, surveys_bp, exchange_bp,
               materials_bp):
        app.register_blueprint(bp)
    app.register_blueprint(people_bp)


def register_errorhandlers(app: Flask) -> None:
    @app.before_request
    def _request_id() -> None:
        g.request_id = request.headers.get("X-Request-ID") or uuid.uuid4().hex[:12]

    @app.before_request
    def _refuse_nul() -> None:
        """No path or query value holds a NUL character; PostgreSQL could not even compare it."""
        values = [request.path, *(f"{k}{v}" for k, v in request.args.items(multi=True))]
        if any("\x00" in value for value in values):
            abort(400)

    def _page(code: int):
        def handler(error):
            return _error_page(code)
        return handler

    for code in (400, 403, 404, 405, 413):
        app.register_error_handler(code, _page(code))

    @app.errorhandler(OverflowError)
    @app.errorhandler(DataError)
    def number_out_of_range(error):
        """A number too large for the database identifies nothing: not found, not a crash."""
        db.session.rollback()
        return _error_page(404)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unreachable(error):
        """The database is down or cannot be opened: a page that says so, with the request id,
        for a visitor treated as signed out (finding the user needs the database too)."""
        log.error("database unreachable, request id %s: %s", g.get("request_id"), error)
        try:
            db.session.rollback()
        except DBAPIError:
            pass
        login_manager._update_request_context_with_user()  # anonymous: no user to load
        return render_template("errors/503.html"), 503

    def _error_page(code: int):
        """The error page; the 503 page if showing who is signed in needs the lost database."""
        try:
            return render_template(f"errors/{code}.html"), code
        except (OperationalError, InterfaceError) as error:
            return database_unreachable(error)

    @app.errorhandler(500)
    def server_error(error):
        log.error("server error, request id %s", g.get("request_id"),
                  exc_info=getattr(error, "original_exception", None))
        db.session.rollback()
        return _error_page(500)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def register_security_headers(app: Flask) -> None:
    """Everything comes from the portal itself, no other site may frame its pages, and under
    https browsers are told to use nothing else."""
    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.is_secure or app.config["PORTAL_BASE_URL"].startswith("https://"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def register_template_helpers(app: Flask) -> None:


    app.jinja_env.globals.update(
        can=permissions.can,
        portal_name=lambda: app.config["PORTAL_NAME"],
        main_navigation=navigation.main_navigation,
        label=labels.label,
        badge=labels.badge,
        today=local_today,
        get_locale=get_locale,
        error_summary=error_summary,
        page_of_css=page_of_css,
    )
    formatting.register(app)
    i18n.register(app)
    urls.register(app)


def register_commands(app: Flask) -> None:

    register(app)
