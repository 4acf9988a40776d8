"""Request handlers of the groups area: load, authorize, call the logic, render."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal.deletion import confirm_delete
from portal.extensions import db
from portal.groups import goals as goal_logic
from portal.groups import membership as membership_logic
from portal.groups import operations, queries
from portal.groups.forms import AddMemberForm, GoalForm, GroupForm, JoinForm, NewGroupForm
from portal.groups.models import GroupGoal, Membership, MembershipStatus, WorkingGroup
from portal.kept_pages import kept
from portal.labels import choices, label
from portal.permissions import authorize, can
from portal.responses import act, page

bp = Blueprint("groups", __name__)


def _group(group_id: int) -> WorkingGroup:
    return db.get_or_404(WorkingGroup, group_id)


def _goal(group: WorkingGroup, goal_id: int) -> GroupGoal:
    return db.first_or_404(select(GroupGoal).where(GroupGoal.id == goal_id, GroupGoal.group_id == group.id))


def _membership(group: WorkingGroup, membership_id: int) -> Membership:
    return db.first_or_404(
        select(Membership).where(Membership.id == membership_id, Membership.group_id == group.id)
    )


def _show(group: WorkingGroup, anchor: str | None = None) -> str:
    return url_for("groups.show", group_id=group.id, _anchor=anchor)


# reading ------------------------------------------------------------------------------------

@bp.get("/groups")
@kept
def index():
    authorize("portal.read")
    page = request.args.get("page", 1, type=int)
    listing = queries.group_list(current_user, page, current_app.config["PER_PAGE"])
    return render_template("groups/index.html", listing=listing)


@bp.get("/groups/<int:group_id>")
@kept
def show(group_id: int):
    group = _group(group_id)
    authorize("portal.read", group)
    page = queries.group_page(group, current_user, sees_requests=can("group.manage", group))
    return render_template("groups/show.html", page=page, group=group)


# the office: groups -------------------------------------------------------------------------

@bp.route("/groups/new", methods=["GET", "POST"])
def new():
    authorize("group.create")
    form = NewGroupForm()
    form.moderator.offer(current_user)
    if form.validate_on_submit():
        return act(lambda: operations.create_group(
                       current_user, moderator=form.moderator.person,
                       name=form.name.data, short_name=form.short_name.data,
                       description=form.description.data, join_policy=form.join_policy.data),
                   lambda group: _("Das Reallabor „%(name)s“ wurde angelegt.", name=group.name), _show,
                   form=form, invalid=lambda: page("groups/form.html", form, form=form, group=None))
    return page("groups/form.html", form, form=form, group=None)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
def edit(group_id: int):
    group = _group(group_id)
    authorize("group.edit", group)
    form = GroupForm(obj=group)
    if form.validate_on_submit():
        return act(lambda: operations.update_group(
                       current_user, group, name=form.name.data, short_name=form.short_name.data,
                       description=form.description.data, join_policy=form.join_policy.data),
                   _("Die Änderungen wurden gespeichert."), _show(group),
                   form=form, invalid=lambda: page("groups/form.html", form, form=form, group=group))
    return page("groups/form.html", form, form=form, group=group)


@bp.post("/groups/<int:group_id>/archive")
def archive(group_id: int):
    group = _group(group_id)
    authorize("group.edit", group)
    return act(lambda: operations.archive(current_user, group),
               _("Das Reallabor wurde archiviert. Es bleibt lesbar, erscheint aber nicht mehr "
                 "unter den aktiven Reallaboren."), _show(group))


@bp.post("/groups/<int:group_id>/unarchive")
def unarchive(group_id: int):
    group = _group(group_id)
    authorize("group.edit", group)
    return act(lambda: operations.unarchive(current_user, group),
               _("Das Reallabor ist wieder aktiv."), _show(group))


# the office: goals --------------------------------------------------------------------------

def _goal_values(form: GoalForm) -> dict:
    return {name: form[name].data for name in ("title", "description", "status", "reached_on")}


@bp.route("/groups/<int:group_id>/goals", methods=["GET", "POST"])
def goals(group_id: int):
    group = _group(group_id)
    authorize("group.edit", group)
    form = GoalForm()

    def show_page():
        return page("groups/goals.html", form, group=group, form=form, status_choices=choices("goal_status"))

    if form.validate_on_submit():
        return act(lambda: goal_logic.add_goal(current_user, group, **_goal_values(form)),
                   _("Das Ziel wurde hinzugefügt."), url_for("groups.goals", group_id=group.id),
                   form=form, invalid=show_page)
    return show_page()


@bp.route("/groups/<int:group_id>/goals/<int:goal_id>/edit", methods=["GET", "POST"])
def edit_goal(group_id: int, goal_id: int):
    group = _group(group_id)
    goal = _goal(group, goal_id)
    authorize("group.edit", group)
    form = GoalForm(obj=goal)

    def show_page():
        return page("groups/goal_form.html", form, group=group, goal=goal, form=form)

    if form.validate_on_submit():
        return act(lambda: goal_logic.update_goal(current_user, goal, **_goal_values(form)),
                   _("Das Ziel wurde gespeichert."), url_for("groups.goals", group_id=group.id),
                   form=form, invalid=show_page)
    return show_page()


@bp.post("/groups/<int:group_id>/goals/<int:goal_id>/move")
def move_goal(group_id: int, goal_id: int):
    group = _group(group_id)
    goal = _goal(group, goal_id)
    authorize("group.edit", group)
    return act(lambda: goal_logic.move_goal(current_user, goal, request.form.get("direction", "")),
               _("Die Reihenfolge wurde geändert."), url_for("groups.goals", group_id=group.id))


@bp.post("/groups/<int:group_id>/goals/<int:goal_id>/status")
def goal_status(group_id: int, goal_id: int):
    group = _group(group_id)
    goal = _goal(group, goal_id)
    authorize("group.edit", group)
    return act(lambda: goal_logic.set_status(current_user, goal, request.form.get("status", "")),
               _("Der Status wurde geändert."), url_for("groups.goals", group_id=group.id))


@bp.route("/groups/<int:group_id>/goals/<int:goal_id>/delete", methods=["GET", "POST"])
def delete_goal(group_id: int, goal_id: int):
    group = _group(group_id)
    goal = _goal(group, goal_id)
    authorize("goal.delete", group)
    back = url_for("groups.goals", group_id=group.id) if can("group.edit", group) else _show(group, "h-goals")
    return confirm_delete(
        lambda: goal_logic.delete_goal(current_user, goal),
        _("Das Ziel „%(title)s“ wurde gelöscht.", title=goal.title), back,
        heading=_("Ziel löschen?"),
        facts=[(_("Reallabor"), group.name), (_("Ziel"), goal.title),
               (_("Status"), label("goal_status", goal.status))],
        consequence=_("Das Ziel verschwindet von der Seite des Reallabors und aus dem Bericht."))


# joining and leaving ------------------------------------------------------------------------

@bp.route("/groups/<int:group_id>/join", methods=["GET", "POST"])
def join(group_id: int):
    group = _group(group_id)
    authorize("group.join", group)
    form = JoinForm()

    def show_page():
        return page("groups/join.html", form, group=group, form=form,
                    mine=membership_logic.open_membership(current_user, group))

    if form.validate_on_submit():
        return act(lambda: membership_logic.request_to_join(current_user, group, form.message.data or ""),
                   lambda membership: _joined(membership, group), _show(group), form=form, invalid=show_page)
    return show_page()


def _joined(membership: Membership, group: WorkingGroup) -> str:
    if membership.is_active:
        return _("Willkommen! Sie sind jetzt Mitglied im Reallabor „%(name)s“.", name=group.name)
    return _("Ihre Anfrage wurde an die Moderation geschickt. Sie erhalten eine E-Mail, "
             "sobald sie entschieden ist.")


@bp.post("/groups/<int:group_id>/leave")
def leave(group_id: int):
    """Leave the group, or take back one's own pending request."""
    group = _group(group_id)
    authorize("group.join", group)
    return act(lambda: membership_logic.leave_group(current_user, group),
               lambda membership: _("Sie haben das Reallabor „%(name)s“ verlassen.", name=group.name)
               if membership.status == MembershipStatus.LEFT else _("Ihre Anfrage wurde zurückgezogen."),
               _show(group))


# moderators and office: members -------------------------------------------------------------

@bp.route("/groups/<int:group_id>/members", methods=["GET", "POST"])
def members(group_id: int):
    group = _group(group_id)
    authorize("group.manage", group)
    form = AddMemberForm()
    form.person.offer(current_user, group)

    def show_page():
        return page("groups/members.html", form, group=group, form=form,
                    memberships=queries.managed_memberships(group))

    if form.validate_on_submit():
        person = form.person.person
        return act(lambda: membership_logic.add_member(current_user, person, group),
                   _("%(name)s wurde aufgenommen.", name=person.name),
                   url_for("groups.members", group_id=group.id), form=form, invalid=show_page)
    return show_page()


_CHANGES = {
    "accept": (membership_logic.accept, "requests"),
    "decline": (membership_logic.decline, "requests"),
    "remove": (membership_logic.remove, "members"),
    "appoint": (membership_logic.appoint_moderator, "members"),
    "revoke": (membership_logic.revoke_moderator, "members"),
}


def _change_message(change: str, name: str) -> str:
    return {
        "accept": _("%(name)s wurde aufgenommen und wird per E-Mail benachrichtigt.", name=name),
        "decline": _("Die Anfrage von %(name)s wurde abgelehnt; %(name)s wird per E-Mail benachrichtigt.",
                     name=name),
        "remove": _("%(name)s ist nicht mehr Mitglied.", name=name),
        "appoint": _("%(name)s moderiert jetzt dieses Reallabor.", name=name),
        "revoke": _("%(name)s moderiert dieses Reallabor nicht mehr.", name=name),
    }[change]


def change_membership(group_id: int, membership_id: int, change: str):
    group = _group(group_id)
    membership = _membership(group, membership_id)
    authorize("group.manage", group)
    transition, back_to = _CHANGES[change]
    target = _show(group, "requests") if back_to == "requests" else url_for("groups.members", group_id=group.id)
    if membership.person_id == current_user.id and change in ("remove", "revoke"):
        target = _show(group)  # a moderator who steps down no longer manages the members
    return act(lambda: transition(current_user, membership), _change_message(change, membership.person.name),
               target)


for _change in _CHANGES:
    bp.add_url_rule(f"/groups/<int:group_id>/memberships/<int:membership_id>/{_change}",
                    f"membership_{_change}", change_membership, methods=["POST"],
                    defaults={"change": _change})
