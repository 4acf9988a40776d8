"""The office's page of outgoing mail that has not gone out: /mails, with "Erneut senden"."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.extensions import db
from portal.jobs import outbox
from portal.jobs.models import Job
from portal.permissions import authorize
from portal.responses import act, page

bp = Blueprint("jobs", __name__)


@bp.route("/mails")
def mails():
    authorize("mails.manage")
    listing = db.paginate(outbox.pending_query(), per_page=current_app.config["PER_PAGE"],
                          error_out=False)
    return page("jobs/mails.html", listing=listing, rows=[outbox.MailRow.of(j) for j in listing.items],
                health=outbox.health())


@bp.route("/mails/<int:job_id>/retry", methods=["POST"])
def retry(job_id: int):
    authorize("mails.manage")
    job = db.session.get(Job, job_id)
    if job is None or job.kind != "mail":
        abort(404)
    return act(lambda: outbox.retry(job), _("Die E-Mail wird erneut verschickt."), url_for("jobs.mails"))


@bp.route("/mails/retry", methods=["POST"])
def retry_all():
    authorize("mails.manage")
    return act(outbox.retry_all,
               lambda n: ngettext("%(num)s E-Mail wird erneut verschickt.",
                                  "%(num)s E-Mails werden erneut verschickt.", n),
               url_for("jobs.mails"))
