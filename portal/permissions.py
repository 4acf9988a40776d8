"""Who may do what: the roles table of DESIGN.md as code.

Every view asks `authorize(action, target)` before it acts, and templates ask
`can(action, target)` before they show a control. Nothing else decides access.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from flask import abort, g
from flask_login import current_user
from sqlalchemy import bindparam, or_, select

from portal.actions.models import ActionItem
from portal.circulars.models import CircularRecipient
from portal.extensions import db, login_manager
from portal.groups.models import Membership
from portal.members.models import Person
from portal.privacy.models import names_erased_person


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_office(user) -> bool:
    return _signed_in(user) and user.role == "office"


def is_observer(user) -> bool:
    return _signed_in(user) and user.role == "observer"


def _active_memberships(user) -> dict[int, str]:
    """{group_id: role} of the user's active memberships, loaded once per request.

    Only members take part in groups: an observer or office account keeps no rights from
    a membership it may have had before its role changed."""
    if not _signed_in(user) or user.role != "member":
        return {}
    cache = g.setdefault("active_memberships", {})
    if user.id not in cache:
        rows = db.session.execute(_active_memberships_statement(), {"person_id": user.id}).all()
        cache[user.id] = {group_id: role for group_id, role in rows}
    return cache[user.id]


@functools.cache
def _active_memberships_statement():
    """Built once: building a statement costs SQLAlchemy more than running it."""
    return select(Membership.group_id, Membership.role).where(
        Membership.person_id == bindparam("person_id"), Membership.status == "active")


def moderates(user, group_id: int | None) -> bool:
    return group_id is not None and _active_memberships(user).get(group_id) == "moderator"


def moderated_group_ids(user) -> set[int]:
    return {g for g, role in _active_memberships(user).items() if role == "moderator"}


def _participant(user) -> bool:
    """Members and office take part (RSVP, own profile, own action items); observers only read."""
    return _signed_in(user) and user.role in ("member", "office")


def _manages_group(user, group) -> bool:
    return is_office(user) or (group is not None and moderates(user, group.id))


def _manages_meeting(user, meeting) -> bool:
    if is_office(user):
        return True
    return meeting.kind == "group" and moderates(user, meeting.group_id)


def _runs_meeting(user, meeting) -> bool:
    """Who manages the meeting, and the person given the meeting's moderation or its minutes,
    whether or not a group membership gives them rights: they moderate and write its minutes."""
    if _manages_meeting(user, meeting):
        return True
    return _participant(user) and user.id in (meeting.moderator_id, meeting.minute_taker_id)


def _is_invitee(user, meeting) -> bool:
    return any(p.person_id == user.id for p in meeting.participations)


def _sees_minutes(user, meeting) -> bool:
    if not _signed_in(user):
        return False
    if meeting.minutes_status == "published":
        return True
    if meeting.minutes_status == "none":
        return False
    if _runs_meeting(user, meeting):
        return True
    return meeting.minutes_status == "in_review" and _attended(user, meeting)


def _attended(user, meeting) -> bool:
    return any(
        p.person_id == user.id and p.attendance == "present" for p in meeting.participations
    )


def _received(user, circular) -> bool:
    return db.session.scalar(select(CircularRecipient.id).where(
        CircularRecipient.circular_id == circular.id, CircularRecipient.person_id == user.id)) is not None


def _updates_action(user, item) -> bool:
    return _participant(user) and (item.owner_id == user.id or _manages_action(user, item))


def _manages_action(user, item) -> bool:
    return is_office(user) or moderates(user, item.group_id)


RULES: dict[str, Callable[[Any, Any], bool]] = {
    # reading the alliance: directory, groups, meetings, published minutes
    "portal.read": lambda u, _: _signed_in(u),
    "profile.edit": lambda u, _: _participant(u),
    "member.manage": lambda u, _: is_office(u),
    "member.contact": lambda u, person: is_office(u) or (person is not None and person.id == u.id),
    # a person's email / phone: the office and the person always; others only with consent
    "member.email": lambda u, person: shows_contact(u, person, "email"),
    "member.phone": lambda u, person: shows_contact(u, person, "phone"),
    "group.create": lambda u, _: is_office(u),
    "group.join": lambda u, _: _signed_in(u) and u.role == "member",
    "group.manage": _manages_group,
    # the group itself (name, description, join policy, goals, archive): office only
    "group.edit": lambda u, _: is_office(u),
    # a goal put down by mistake: the office, and the moderators of the goal's group
    "goal.delete": _manages_group,
    "meeting.create": lambda u, group: is_office(u) or (group is not None and moderates(u, group.id)),
    "meeting.create_any": lambda u, _: is_office(u) or bool(moderated_group_ids(u)),
    "meeting.edit": _manages_meeting,
    "meeting.rsvp": lambda u, m: _participant(u) and _is_invitee(u, m),
    "minutes.view": _sees_minutes,
    "minutes.write": _runs_meeting,
    "minutes.comment": lambda u, m: m.minutes_status == "in_review" and _participant(u)
    and (_attended(u, m) or _runs_meeting(u, m)),
    "minutes.approve": lambda u, _: is_office(u),
    "minutes.publish": lambda u, _: is_office(u),
    # the "Genehmigung" agenda item of the next meeting approves the previous minutes by a
    # decision of that meeting, recorded by whoever runs it (issue: approval by the next meeting)
    "minutes.approve_by_decision": _runs_meeting,
    # the minutes page: whoever sees the minutes, and before there are any, who may start them
    "minutes.open": lambda u, m: _sees_minutes(u, m)
    or (m.minutes_status == "none" and _runs_meeting(u, m)),
    "action.create": lambda u, group: is_office(u) or (group is not None and moderates(u, group.id)),
    "action.update": _updates_action,
    "action.manage": _manages_action,
    # Action items are visible to every signed-in person (like meetings and groups); only
    # changing them is restricted. Cancelling and reopening are for moderators and office.
    "action.view": lambda u, _: _signed_in(u),
    "action.create_any": lambda u, _: is_office(u) or bool(moderated_group_ids(u)),
    "action.cancel": _manages_action,
    "action.reopen": _manages_action,
    "reports.view": lambda u, _: is_office(u) or is_observer(u),
    "reports.write": lambda u, _: is_office(u),
    # outcomes and their milestones (the ministry's report): deleted by the office only
    "outcome.delete": lambda u, _: is_office(u),
    # the outgoing mails that have not gone out, and sending them again
    "mails.manage": lambda u, _: is_office(u),
    # calendar: everyone signed in (observers too) has a feed and may renew its secret token
    "calendar.token": lambda u, person: person is not None and person.id == u.id,
    # circulars: the office to anyone, moderators to their own groups; a draft is its author's and
    # the office's; a sent one is read by them and by its recipients
    "circular.write": lambda u, _: is_office(u) or bool(moderated_group_ids(u)),
    "circular.manage": lambda u, c: is_office(u) or (c is not None and c.author_id == u.id),
    "circular.read": lambda u, c: is_office(u) or c.author_id == u.id or (c.is_sent and _received(u, c)),
    "circular.settings": lambda u, _: _participant(u),  # observers receive none
    # the privacy notice: read by anyone (signed in or not), new versions by the office
    "privacy_notice.edit": lambda u, _: is_office(u),
}


def _current():
    """The signed-in person (or the anonymous user) itself, not the proxy: a rule asks several of
    its attributes, and each one through `current_user` would look the user up again."""
    return current_user._get_current_object()


def can(action: str, target: Any = None, user=None) -> bool:
    user = _current() if user is None else user
    return _signed_in(user) and RULES[action](user, target)


def authorize(action: str, target: Any = None) -> None:
    """Let the request go on, or end it: to the login page when anonymous, 403 otherwise."""
    user = _current()
    if not _signed_in(user):
        abort(login_manager.unauthorized())
    if not RULES[action](user, target):
        abort(403)


# --- privacy (issue 20): the one decision on contact data, own-data downloads, erasure ---

def shows_contact(viewer, person, field: str) -> bool:
    """Whether `person`'s `field` ("email" or "phone") may appear in what `viewer` gets: the office
    and the person always; anyone else only with the person's consent (show_email / show_phone).
    Outputs without a signed-in viewer (calendar files and feeds, mails to others, PDFs) pass
    viewer=None and so show the value only with consent. Every output asks this (or can("member.email"))."""
    if person is None:
        return False
    if _signed_in(viewer) and (is_office(viewer) or viewer.id == person.id):
        return True
    return bool(person.show_email if field == "email" else person.show_phone)


RULES.update({
    # "Meine Daten": a person downloads their own data; the office produces it for anyone on request
    "privacy.own_data": lambda u, person: person is not None and (u.id == person.id or is_office(u)),
    # erasure (Art. 17) and producing another person's data: the office
    "privacy.manage": lambda u, _: is_office(u),
    # an archived minutes PDF that still names an erased person (kept under Art. 17(3)): the office only
    "minutes.archived_original": lambda u, meeting: is_office(u) or not names_erased_person(meeting),
})


# --- surveys and the experience exchange (issue 16) ---

def _sees_survey(user, survey) -> bool:
    return _signed_in(user) and (is_office(user) or (survey is not None and not survey.is_draft))


RULES.update({
    # the office writes and opens questionnaires, sees who is missing and downloads the raw answers
    "survey.manage": lambda u, _: is_office(u),
    "survey.view": _sees_survey,
    # results are aggregated (and hidden below SURVEY_MIN_GROUP answers): whoever sees the survey
    "survey.results": _sees_survey,
    # members answer (for their organization or themselves); the logic checks dates and who answered
    "survey.answer": lambda u, survey: _sees_survey(u, survey) and u.role == "member",
    "exchange.view": lambda u, _: _signed_in(u),
    # themes and working groups started from them: the office
    "exchange.manage": lambda u, _: is_office(u),
    # an organization's status on a theme: its own members and the office
    "exchange.edit": lambda u, org: is_office(u) or (org is not None and u.role == "member"
                                                      and u.organization_id == org.id),
    # asking a practising organization for contact: members (the logic checks that their org plans it)
    "exchange.contact": lambda u, _: _signed_in(u) and u.role == "member",
})


# materials (Unterlagen) ----------------------------------------------------------------------
def _adds_material(user, target) -> bool:
    """`target`: a meeting, or an agenda item. The office, a group's moderators for its sessions, an
    agenda item's presenter for that item."""
    if not _participant(user) or target is None:
        return False
    meeting = getattr(target, "meeting", None) or target
    if _manages_meeting(user, meeting):
        return True
    return getattr(target, "presenter_id", None) == user.id


RULES.update({
    "material.add": _adds_material,
    # seen by whoever may see the meeting (everyone signed in); "intern" only by who manages the meeting
    "material.view": lambda u, m: _signed_in(u) and (not m.internal or _manages_meeting(u, m.meeting)),
    "material.manage": lambda u, m: _adds_material(u, m.agenda_item or m.meeting),
    "material.mark_internal": lambda u, _: is_office(u),
})


# materials on action items (issue 15 pt 1) ---------------------------------------------------
# An action item's materials: added and managed by who updates the item (its owner, the moderators
# of its group, the office); seen by whoever sees the item; "intern" only by who manages the item.
_adds_meeting_material, _views_meeting_material = RULES["material.add"], RULES["material.view"]

RULES.update({
    "material.add": lambda u, t: (_updates_action(u, t) if isinstance(t, ActionItem)
                                  else _adds_meeting_material(u, t)),
    "material.view": lambda u, m: (RULES["action.view"](u, m.action_item)
                                   and (not m.internal or _manages_action(u, m.action_item))
                                   if m.action_item_id else _views_meeting_material(u, m)),
    "material.manage": lambda u, m: (_updates_action(u, m.action_item) if m.action_item_id
                                     else _adds_material(u, m.agenda_item or m.meeting)),
    # whether the internal materials of the action item are listed on its page
    "material.view_internal": lambda u, item: _manages_action(u, item),
})


# --- person search fields (issue 21): who may look people up, and whose address is searched ---

def email_visible_condition(viewer):
    """shows_contact(viewer, person, "email") as a condition on Person, for searching by address."""
    if is_office(viewer):
        return Person.id.is_not(None)
    return or_(Person.show_email, Person.id == viewer.id)


RULES.update({
    # the filter of /actions by owner: whoever reads action items; picking an owner, a moderator, a
    # presenter: who takes part (observers pick nobody); a group's candidates also need group.manage
    "people.suggest": lambda u, pool: pool.name == "owners" or _participant(u),
    # organizations are chosen in the office's forms of a person only
    "organization.suggest": lambda u, _: is_office(u),
})
