"""Joining and leaving working groups: one function per transition of a membership.

A membership row goes requested → active → left, or requested → declined; a new request
makes a new row, so that the history (requested, joined, left, by whom) stays for reports.
Every function checks that its transition is allowed, writes an audit event and never commits.
A group always keeps at least one active moderator.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from portal.audit.record import record
from portal.extensions import db
from portal.groups.errors import GroupError
from portal.groups.models import (
    OPEN_MEMBERSHIP_STATUSES,
    Membership,
    MembershipRole,
    MembershipStatus,
    WorkingGroup,
)
from portal.labels import label
from portal.links import external_url
from portal.members.models import Person, Role
from portal.notifications import notify
from portal.types import utcnow


class MembershipError(GroupError):
    """A change of membership that is not allowed; the message is meant for the user."""


def open_membership(person: Person, group: WorkingGroup) -> Membership | None:
    """The person's requested or active membership in the group, if any."""
    return db.session.scalar(
        select(Membership).where(
            Membership.person_id == person.id, Membership.group_id == group.id,
            Membership.status.in_(OPEN_MEMBERSHIP_STATUSES),
        )
    )


def _check(membership: Membership, *allowed: str) -> None:
    if membership.status not in allowed:
        raise MembershipError(_("Das geht bei dieser Mitgliedschaft nicht mehr (Status: %(status)s).",
                                status=label("membership_status", membership.status)))


def _check_open_group(group: WorkingGroup) -> None:
    if group.is_archived:
        raise MembershipError(_("Das Reallabor ist archiviert; es nimmt keine Mitglieder mehr auf."), "person")


def _check_member(person: Person) -> None:
    if person.role != Role.MEMBER or not person.active:
        raise MembershipError(_("Nur aktive Mitglieder können einem Reallabor angehören."), "person")


def _is_last_moderator(membership: Membership) -> bool:
    if not membership.is_moderator:
        return False
    moderators = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.group_id == membership.group_id, Membership.status == MembershipStatus.ACTIVE,
            Membership.role == MembershipRole.MODERATOR,
        )
    )
    return moderators <= 1


def _keep_a_moderator(membership: Membership) -> None:
    """Refuse to take away the group's last active moderator."""
    if _is_last_moderator(membership):
        raise MembershipError(_(
            "%(name)s ist die letzte Person in der Moderation dieses Reallabors. Ein Reallabor braucht "
            "immer mindestens eine Moderation: ernennen Sie zuerst eine weitere Person zur Moderation.",
            name=membership.person.name,
        ))


def _state(membership: Membership) -> dict:
    return {"status": membership.status, "role": membership.role}


def _changes(before: dict, membership: Membership) -> dict:
    after = _state(membership)
    return {key: (before[key], after[key]) for key in before if before[key] != after[key]}


def _start(actor, person: Person, group: WorkingGroup, message: str = "") -> Membership:
    _check_open_group(group)
    existing = open_membership(person, group)
    if existing is not None and existing.status == MembershipStatus.ACTIVE:
        raise MembershipError(_("%(name)s ist bereits Mitglied dieses Reallabors.", name=person.name), "person")
    if existing is not None:
        raise MembershipError(_("Für %(name)s liegt bereits eine Beitrittsanfrage vor.", name=person.name),
                              "person")
    membership = Membership(person=person, group=group, role=MembershipRole.MEMBER,
                            status=MembershipStatus.REQUESTED, message=message.strip(), requested_at=utcnow())
    db.session.add(membership)
    record(actor, "membership.requested", membership,
           {"status": (None, "requested"), "person_id": (None, person.id), "group_id": (None, group.id)})
    return membership


def _activate(actor, membership: Membership, action: str) -> Membership:
    before = _state(membership)
    now = utcnow()
    membership.status = MembershipStatus.ACTIVE
    membership.joined_at = now
    membership.decided_by = actor
    membership.decided_at = now
    record(actor, action, membership, _changes(before, membership))
    return membership


def request_to_join(person: Person, group: WorkingGroup, message: str = "") -> Membership:
    """A member asks to join: open groups take them at once, moderated groups get a request
    (and their moderators a mail)."""
    membership = _start(person, person, group, message)
    if group.join_policy == "open":
        return _activate(person, membership, "membership.joined")
    _tell_moderators(membership)
    return membership


def accept(actor, membership: Membership) -> Membership:
    """A moderator or the office accepts a join request; the member gets a mail."""
    _check(membership, MembershipStatus.REQUESTED)
    _check_open_group(membership.group)
    _check_member(membership.person)
    _activate(actor, membership, "membership.accepted")
    _tell_member(membership, accepted=True)
    return membership


def _close_request(actor, membership: Membership, action: str) -> Membership:
    _check(membership, MembershipStatus.REQUESTED)
    before = _state(membership)
    membership.status = MembershipStatus.DECLINED
    membership.decided_by = actor
    membership.decided_at = utcnow()
    record(actor, action, membership, _changes(before, membership))
    return membership


def decline(actor, membership: Membership) -> Membership:
    """A moderator or the office declines a join request; the member gets a mail."""
    _close_request(actor, membership, "membership.declined")
    _tell_member(membership, accepted=False)
    return membership


def withdraw(person: Person, membership: Membership) -> Membership:
    """The person takes back their own pending request (kept as declined by themselves)."""
    if membership.person_id != person.id:
        raise MembershipError(_("Sie können nur Ihre eigene Anfrage zurückziehen."))
    return _close_request(person, membership, "membership.withdrawn")


def leave_group(person: Person, group: WorkingGroup) -> Membership:
    """The person leaves the group, or takes back their pending request to join it."""
    mine = open_membership(person, group)
    if mine is None:
        raise MembershipError(_("Sie sind nicht Mitglied dieses Reallabors."))
    if mine.is_pending:
        return withdraw(person, mine)
    return leave(person, mine)


def add_member(actor, person: Person, group: WorkingGroup) -> Membership:
    """A moderator or the office adds a person; a pending request of theirs is accepted."""
    existing = open_membership(person, group)
    if existing is not None and existing.status == MembershipStatus.REQUESTED:
        return accept(actor, existing)
    _check_member(person)
    membership = _start(actor, person, group)
    return _activate(actor, membership, "membership.added")


def _end(actor, membership: Membership, action: str) -> Membership:
    _check(membership, MembershipStatus.ACTIVE)
    _keep_a_moderator(membership)
    before = _state(membership)
    membership.status = MembershipStatus.LEFT
    membership.left_at = utcnow()
    membership.left_by = actor
    record(actor, action, membership, _changes(before, membership))
    return membership


def leave(person: Person, membership: Membership) -> Membership:
    """A member leaves a group themselves."""
    if membership.person_id != person.id:
        raise MembershipError(_("Sie können nur Ihre eigene Mitgliedschaft beenden."))
    return _end(person, membership, "membership.left")


def remove(actor, membership: Membership) -> Membership:
    """A moderator or the office removes a member from the group."""
    return _end(actor, membership, "membership.removed")


def end_all(actor, person: Person) -> list[Membership]:
    """End all of the person's active memberships and close their pending requests, because
    they no longer take part in groups (deactivated, or no longer a member).

    Refused, changing nothing, if the person is the last moderator of a group."""
    memberships = list(db.session.scalars(
        select(Membership).options(joinedload(Membership.group))
        .where(Membership.person_id == person.id, Membership.status.in_(OPEN_MEMBERSHIP_STATUSES))
        .order_by(Membership.id)
    ))
    last = [m.group.name for m in memberships if _is_last_moderator(m)]
    if last:
        raise MembershipError(_(
            "%(name)s ist die letzte Moderation von %(groups)s; bitte zuerst eine andere Person als "
            "Moderation benennen.", name=person.name, groups=", ".join(f"„{name}“" for name in last)))
    for membership in memberships:
        if membership.status == MembershipStatus.REQUESTED:
            _close_request(actor, membership, "membership.request_closed")
        else:
            _end(actor, membership, "membership.ended")
    return memberships


def appoint_moderator(actor, membership: Membership) -> Membership:
    _check(membership, MembershipStatus.ACTIVE)
    if membership.role == MembershipRole.MODERATOR:
        raise MembershipError(_("%(name)s moderiert dieses Reallabor bereits.", name=membership.person.name))
    before = _state(membership)
    membership.role = MembershipRole.MODERATOR
    record(actor, "membership.moderator_appointed", membership, _changes(before, membership))
    return membership


def revoke_moderator(actor, membership: Membership) -> Membership:
    _check(membership, MembershipStatus.ACTIVE)
    if membership.role != "moderator":
        raise MembershipError(_("%(name)s moderiert dieses Reallabor nicht.", name=membership.person.name))
    _keep_a_moderator(membership)
    before = _state(membership)
    membership.role = MembershipRole.MEMBER
    record(actor, "membership.moderator_revoked", membership, _changes(before, membership))
    return membership


def first_moderator(actor, person: Person, group: WorkingGroup) -> Membership:
    """The moderator named when the office creates a group."""
    membership = add_member(actor, person, group)
    return appoint_moderator(actor, membership)


# mails -------------------------------------------------------------------------------------

def _group_link(group: WorkingGroup, anchor: str = "") -> str:
    return external_url("groups.show", group_id=group.id, _anchor=anchor or None)


def _tell_member(membership: Membership, accepted: bool) -> None:
    group = membership.group
    notify(membership.person, "groups_join_accepted" if accepted else "groups_join_declined",
           group=group, link=_group_link(group))


def _tell_moderators(membership: Membership) -> None:
    group = membership.group
    moderators = db.session.scalars(
        select(Person).join(Membership, Membership.person_id == Person.id).where(
            Membership.group_id == group.id, Membership.status == "active",
            Membership.role == "moderator", Person.active,
        )
    ).all()
    for moderator in moderators:
        notify(moderator, "groups_join_request", applicant=membership.person, group=group,
               message=membership.message, link=_group_link(group, "requests"))
