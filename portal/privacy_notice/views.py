"""/privacy-notice: read by anyone, written by the office, taken note of at the next page after each
new version."""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.links import safe_next
from portal.params import parse_int
from portal.permissions import authorize, can
from portal.privacy_notice import notices
from portal.privacy_notice.forms import AcceptForm, NoticeForm
from portal.responses import act, page

bp = Blueprint("privacy_notice", __name__)

# pages a person may open before taking note: the notice itself, signing out, the language
OPEN_BEFORE_ACCEPTING = {"static", "privacy_notice.show", "privacy_notice.accept", "auth.logout",
                         "auth.language", "health"}


@bp.before_app_request
def ask_to_accept_new_version():
    """Send a signed-in person to the current notice until they took note of it. Only page
    views: a form sent meanwhile (a minutes text, say) goes through and is not lost."""
    if request.method != "GET" or request.endpoint in OPEN_BEFORE_ACCEPTING:
        return None
    if not current_user.is_authenticated:
        return None
    version = notices.unaccepted_version(current_user)
    if version is None:
        return None
    return redirect(url_for("privacy_notice.show", next=request.full_path.rstrip("?")))


@bp.route("/privacy-notice")
def show():
    notice = notices.current()
    pending = current_user.is_authenticated and notice is not None \
        and notices.unaccepted_version(current_user) == notice.version
    form = AcceptForm(version=notice.version if notice else "",
                      next=safe_next(request.args.get("next")))
    return page("privacy_notice/show.html", form, form=form, notice=notice, pending=pending,
                versions=notices.versions() if can("privacy_notice.edit") else [])


@bp.route("/privacy-notice/accept", methods=["POST"])
def accept():
    authorize("portal.read")
    form = AcceptForm()
    version = parse_int(form.version.data)
    target = safe_next(form.next.data)
    if version is None:
        return redirect(url_for("privacy_notice.show"))
    return act(lambda: notices.accept(current_user, version),
               _("Danke, Sie haben die Datenschutzhinweise zur Kenntnis genommen."), target)


@bp.route("/privacy-notice/edit", methods=["GET", "POST"])
def edit():
    authorize("privacy_notice.edit")
    latest = notices.current()
    form = NoticeForm(data={"text": latest.text if latest else ""})
    if not form.validate_on_submit():
        return page("privacy_notice/edit.html", form, form=form, notice=latest)
    return act(lambda: notices.publish(current_user, form.text.data),
               lambda notice: _("Fassung %(version)s ist veröffentlicht. Alle werden bei ihrem nächsten "
                                "Seitenaufruf gebeten, sie zur Kenntnis zu nehmen.", version=notice.version),
               url_for("privacy_notice.show"), form=form,
               invalid=lambda: page("privacy_notice/edit.html", form, form=form, notice=latest))
