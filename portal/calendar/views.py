"""Request handlers of the calendar area: load, authorize, call the logic, render.

The feed routes are public by design: calendar programs cannot log in, so the secret
token in the URL is the authorization. The token's owner must be an active person who may
read the portal (checked through portal.permissions with that person as the user);
anything else answers 404, the same as an unknown token, so that a feed URL reveals
nothing about why it does not work.
"""
from __future__ import annotations

from flask import Blueprint, abort, current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.calendar import feeds, ics
from portal.downloads import download
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.meetings.models import Meeting
from portal.permissions import authorize
from portal.responses import act

bp = Blueprint("calendar", __name__)

TRUE_VALUES = ("1", "true", "ja", "yes", "on")


def _calendar_response(calendar, filename: str, attachment: bool = False) -> Response:
    """The calendar as text/calendar with an ETag; 304 when the client has it already."""
    body = calendar.to_ical()
    # always ask again (cheap with the ETag): a renewed token or a change shows at once
    response = download(body, filename, "text/calendar", inline=not attachment, cache="private, no-cache")
    response.set_etag(feeds.etag(body))
    return response.make_conditional(request)


@bp.route("/meetings/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    meeting = db.get_or_404(Meeting, meeting_id)
    authorize("portal.read", meeting)
    return _calendar_response(ics.meeting_calendar(meeting), _("treffen-%(id)s.ics", id=meeting.id),
                              attachment=True)


@bp.route("/calendar/<token>.ics")
def feed(token: str):
    person = feeds.feed_owner(token)  # the token is the authorization (see module docstring)
    if person is None:
        abort(404)
    within = feeds.window()
    with_actions = request.args.get("actions", "").lower() in TRUE_VALUES
    calendar = ics.feed_calendar(
        f"{current_app.config['PORTAL_NAME']}: {person.name}",
        feeds.person_meetings(person, within),
        feeds.open_action_items(person, within) if with_actions else (),
    )
    return _calendar_response(calendar, _("kalender.ics"))


@bp.route("/groups/<int:group_id>/calendar/<token>.ics")
def group_feed(group_id: int, token: str):
    person = feeds.feed_owner(token)
    if person is None:
        abort(404)
    group = db.get_or_404(WorkingGroup, group_id)
    if not feeds.may_subscribe_group(person, group):
        abort(404)
    calendar = ics.feed_calendar(
        f"{current_app.config['PORTAL_NAME']}: {group.name}",
        feeds.group_meetings(group, feeds.window()),
    )
    return _calendar_response(calendar, _("gruppe-%(id)s.ics", id=group.id))


@bp.route("/profile/calendar-token", methods=["POST"])
def regenerate_token():
    person = current_user._get_current_object()
    authorize("calendar.token", person)
    return act(lambda: feeds.regenerate_token(person, person),
               _("Ihre Kalenderadresse ist erneuert. Die alte Adresse funktioniert ab sofort nicht "
                 "mehr: Bitte abonnieren Sie den Kalender in Ihrem Kalenderprogramm neu."),
               url_for("members.profile", _anchor="kalender-abonnieren"))
