"""Request handlers of the meetings area: load, authorize, call the logic, render."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from portal.actions.items import carried_items
from portal.deletion import confirm_delete
from portal.documents.minutes_pdf import documents_of
from portal.downloads import download
from portal.extensions import db
from portal.formatting import format_moment
from portal.forms import PortalForm
from portal.groups.models import WorkingGroup
from portal.kept_pages import kept
from portal.labels import label
from portal.materials.listing import materials_of, shared_materials
from portal.meetings import agenda as agenda_logic
from portal.meetings import attendance as attendance_logic
from portal.meetings import guests as guest_logic
from portal.meetings import invitations, planning, queries
from portal.meetings.forms import (
    AgendaItemForm,
    AttendeeForm,
    CancelForm,
    GuestForm,
    GuestInviteForm,
    InviteForm,
    MeetingForm,
)
from portal.meetings.models import AgendaItem, Meeting, Participation
from portal.meetings.naming import full_title, record_name
from portal.meetings.series import number_label, previous_meeting
from portal.members.models import Person
from portal.members.tokens import TokenProblem, read_check_in_token
from portal.params import parse_int
from portal.permissions import authorize, can, is_office, moderated_group_ids
from portal.responses import act, page, store

bp = Blueprint("meetings", __name__)
bp.add_app_template_filter(number_label, "meeting_label")
bp.add_app_template_filter(full_title, "full_title")
bp.add_app_template_filter(record_name, "record_name")


def _meeting(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return db.first_or_404(select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id))


def _person(person_id: int | None) -> Person | None:
    return db.session.get(Person, person_id) if person_id else None


def _show(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for("meetings.show", meeting_id=meeting.id, _anchor=anchor)


# reading ------------------------------------------------------------------------------------

@bp.get("/meetings")
@kept
def index():
    authorize("portal.read")
    filters = queries.Filters.from_args(request.args)
    listing = queries.meeting_list(filters, request.args.get("page", 1, type=int),
                                   current_app.config["PER_PAGE"])
    return render_template("meetings/index.html", listing=listing, filters=filters)


@bp.get("/meetings/<int:meeting_id>")
@kept
def show(meeting_id: int):
    with queries.meeting_for_viewer(meeting_id, getattr(current_user, "id", None)) as meeting:
        authorize("portal.read", meeting)
        return _show_page(meeting)


def _show_page(meeting: Meeting) -> str:
    has_open_actions = any(item.kind == "open_actions" for item in meeting.agenda_items)
    manages = can("meeting.edit", meeting)
    filters = queries.InviteeFilter.from_args(request.args)
    counts = queries.invitee_counts(meeting)
    return render_template(
        "meetings/show.html", meeting=meeting, schedule=agenda_logic.schedule(meeting),
        mine=invitations.participation_of(meeting, current_user), counts=counts,
        filters=filters, invitees=queries.invitee_page(meeting, filters, walk_ins=False) if manages else None,
        carried=carried_items(meeting) if has_open_actions else [],
        previous=previous_meeting(meeting),
        documents=documents_of(meeting) if meeting.minutes_status == "published" else [],
        deletable=not counts.total and planning.is_deletable(meeting),  # only the own row is loaded
        materials=materials_of(meeting, internal=can("meeting.edit", meeting)),
    )


def _guest_name(guest: Participation) -> str:
    return f"{guest.guest_name} ({guest.guest_organization})" if guest.guest_organization else guest.guest_name


def _meeting_fact(meeting: Meeting) -> tuple[str, str]:
    return _("Treffen"), f"{meeting.title} · {format_moment(meeting.starts_at, 'weekday')}"


# planning -----------------------------------------------------------------------------------

def _series_choices() -> list[tuple[str, str]]:
    """The series the user may plan meetings in: the plenary (office) and groups."""
    choices = [("", _("– bitte wählen –"))]
    if is_office(current_user):
        choices.append(("plenary", _("Plenum der Allianz")))
    group_ids = None if is_office(current_user) else moderated_group_ids(current_user)
    choices += [(str(g.id), g.name) for g in queries.group_choices(group_ids)]
    return choices


def _posted_series() -> tuple[str, WorkingGroup | None]:
    """The series a form names, checked against the rules (403) before anything else."""
    value = request.form.get("series", "")
    if value == "plenary":
        authorize("meeting.create", None)
        return "plenary", None
    group = db.session.get(WorkingGroup, parse_int(value)) if parse_int(value) else None
    if group is not None:
        authorize("meeting.create", group)
    return "group", group


def _meeting_values(form: MeetingForm) -> dict:
    starts_at, ends_at = form.times()
    return {
        "number": form.number.data, "title": form.title.data, "starts_at": starts_at, "ends_at": ends_at,
        "location": form.location.data, "room": form.room.data, "online_url": form.online_url.data or "",
        "organizer_id": form.organizer_id.data or None, "moderator_id": form.moderator_id.data or None,
        "minute_taker_id": form.minute_taker_id.data or None,
    }


@bp.route("/meetings/new", methods=["GET", "POST"])
def new():
    authorize("meeting.create_any")
    series = _series_choices()
    form = MeetingForm(series_choices=series, actor=current_user)
    if request.method == "GET":  # preselected: the series asked for, or the only one there is
        form.series.data = request.args.get("series") or (series[1][0] if len(series) == 2 else "")
        form.organizer_id.data = current_user.id
    if request.method == "POST":
        kind, group = _posted_series()
        if form.validate_on_submit():
            values = _meeting_values(form)
            return act(lambda: planning.create_meeting(
                           current_user, kind=kind, group=group, copy_previous=form.copy_previous.data,
                           past_confirmed=form.confirm_past.data,
                           **{k: v for k, v in values.items() if not k.endswith("_id")},
                           organizer=_person(values["organizer_id"]), moderator=_person(values["moderator_id"]),
                           minute_taker=_person(values["minute_taker_id"])),
                       _("Das Treffen ist angelegt. Als Nächstes: Tagesordnung ergänzen und einladen."), _show,
                       form=form, invalid=lambda: page("meetings/form.html", form, form=form, meeting=None))
    return page("meetings/form.html", form, form=form, meeting=None)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting = _meeting(meeting_id)
    authorize("meeting.edit", meeting)
    try:
        planning.check_changeable(meeting)
    except planning.MeetingError as error:
        flash(str(error), "error")
        return redirect(_show(meeting))
    form = MeetingForm(obj=meeting, actor=current_user)
    del form.series, form.copy_previous
    if request.method == "GET":
        form.fill_times(meeting.starts_at, meeting.ends_at)
    elif form.validate_on_submit():
        return act(lambda: planning.update_meeting(current_user, meeting, _meeting_values(form),
                                                   past_confirmed=form.confirm_past.data),
                   lambda changes: _edit_message(meeting, changes),
                   _show(meeting), form=form,
                   invalid=lambda: page("meetings/form.html", form, form=form, meeting=meeting))
    return page("meetings/form.html", form, form=form, meeting=meeting)


def _edit_message(meeting: Meeting, changes: dict) -> str:
    if "ical_sequence" not in changes:
        return _("Die Änderungen sind gespeichert.")
    if meeting.has_started:
        return _("Das Treffen ist verlegt; es liegt in der Vergangenheit, darum wird keine E-Mail verschickt.")
    return _("Das Treffen ist verlegt; alle Eingeladenen werden benachrichtigt.")


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
def cancel(meeting_id: int):
    meeting = _meeting(meeting_id)
    authorize("meeting.edit", meeting)
    form = CancelForm()
    if form.validate_on_submit():
        return act(lambda: planning.cancel_meeting(current_user, meeting, form.reason.data),
                   _("Das Treffen ist abgesagt; alle Eingeladenen werden benachrichtigt."), _show(meeting))
    return page("meetings/cancel.html", form, form=form, meeting=meeting, deletable=planning.is_deletable(meeting))


@bp.route("/meetings/<int:meeting_id>/delete", methods=["GET", "POST"])
def delete(meeting_id: int):
    meeting = _meeting(meeting_id)
    authorize("meeting.edit", meeting)
    if not planning.is_deletable(meeting):
        flash(_("Dieses Treffen kann nicht gelöscht werden; es kann nur abgesagt werden."), "error")
        return redirect(_show(meeting))
    return confirm_delete(
        lambda: planning.delete_meeting(current_user, meeting),
        _("Das Treffen „%(title)s“ ist gelöscht.", title=meeting.title), _show(meeting),
        heading=_("Treffen löschen"),
        facts=[_meeting_fact(meeting), *((_("TOP %(n)s", n=i.position), i.display_title) for i in meeting.agenda_items)],
        consequence=_("„%(title)s“ wird mit seiner Tagesordnung gelöscht. Eingeladen war noch niemand, "
                      "darum wird keine E-Mail verschickt.", title=meeting.title),
        target=url_for("meetings.index"))


@bp.post("/meetings/<int:meeting_id>/held")
def held(meeting_id: int):
    meeting = _meeting(meeting_id)
    authorize("meeting.edit", meeting)
    return act(lambda: planning.mark_held(current_user, meeting),
               _("Das Treffen ist als stattgefunden vermerkt."), _show(meeting))


# agenda -------------------------------------------------------------------------------------

def _agenda_page(meeting: Meeting, form: AgendaItemForm):
    return page("meetings/agenda.html", form, meeting=meeting, form=form, schedule=agenda_logic.schedule(meeting),
                editable=agenda_logic.is_editable(meeting), recipients=invitations.agenda_recipients(meeting),
                behind=invitations.behind_on_agenda(meeting))


def _item_values(form: AgendaItemForm) -> dict:
    return {"title": form.title.data, "kind": form.kind.data, "description": form.description.data,
            "planned_minutes": form.planned_minutes.data, "presenter": _person(form.presenter_id.data)}


@bp.route("/meetings/<int:meeting_id>/agenda", methods=["GET", "POST"])
def agenda(meeting_id: int):
    meeting = queries.meeting_for_page(meeting_id)
    authorize("meeting.edit", meeting)
    form = AgendaItemForm(actor=current_user)
    if form.validate_on_submit():
        return act(lambda: agenda_logic.add_item(current_user, meeting, **_item_values(form)),
                   lambda item: _("TOP %(n)s „%(title)s“ ist hinzugefügt.", n=item.position, title=item.title),
                   url_for("meetings.agenda", meeting_id=meeting.id, _anchor="new-item"),
                   form=form, invalid=lambda: _agenda_page(meeting, form))
    return _agenda_page(meeting, form)


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>", methods=["GET", "POST"])
def agenda_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    authorize("meeting.edit", meeting)
    form = AgendaItemForm(obj=item, kinds=agenda_logic.kinds_for(item), actor=current_user)
    if request.method != "GET" and form.validate_on_submit():
        return act(lambda: agenda_logic.update_item(current_user, item, **_item_values(form)),
                   _("Der Tagesordnungspunkt ist gespeichert."),
                   url_for("meetings.agenda", meeting_id=meeting.id, _anchor=f"item-{item.id}"), form=form,
                   invalid=lambda: page("meetings/agenda_item.html", form, meeting=meeting, item=item, form=form))
    return page("meetings/agenda_item.html", form, meeting=meeting, item=item, form=form)


@bp.post("/meetings/<int:meeting_id>/agenda/<int:item_id>/move")
def move_agenda_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    authorize("meeting.edit", meeting)
    return act(lambda: agenda_logic.move_item(current_user, item, request.form.get("direction", "")), None,
               url_for("meetings.agenda", meeting_id=meeting.id, _anchor=f"item-{item.id}"))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["GET", "POST"])
def delete_agenda_item(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    authorize("meeting.edit", meeting)
    return confirm_delete(
        lambda: agenda_logic.remove_item(current_user, item),
        _("„%(title)s“ ist von der Tagesordnung entfernt.", title=item.display_title),
        url_for("meetings.agenda", meeting_id=meeting.id), heading=_("Tagesordnungspunkt entfernen"),
        facts=[_meeting_fact(meeting), (_("TOP %(n)s", n=item.position), item.display_title)],
        consequence=_("TOP %(n)s „%(title)s“ wird von der Tagesordnung entfernt; die folgenden Punkte "
                      "rücken auf.", n=item.position, title=item.display_title),
        button=_("Entfernen"))


@bp.post("/meetings/<int:meeting_id>/agenda/send")
def send_agenda(meeting_id: int):
    meeting = _meeting(meeting_id)
    authorize("meeting.edit", meeting)
    return act(lambda: invitations.send_agenda(current_user, meeting),
               lambda people: ngettext("Die geänderte Tagesordnung wird an %(num)s Person verschickt.",
                                       "Die geänderte Tagesordnung wird an %(num)s Personen verschickt.",
                                       len(people)),
               url_for("meetings.agenda", meeting_id=meeting.id))


# invitations and answers --------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/invite", methods=["GET", "POST"])
def invite(meeting_id: int):
    if request.method == "GET":  # only counts and a few names of the series: no participations loaded
        with queries.meeting_for_viewer(meeting_id, getattr(current_user, "id", None)) as meeting:
            authorize("meeting.edit", meeting)
            return _invite_page(meeting, InviteForm(actor=current_user, meeting=meeting))
    meeting = queries.meeting_for_page(meeting_id, people=False)
    authorize("meeting.edit", meeting)
    form = InviteForm(actor=current_user, meeting=meeting)
    if form.validate_on_submit():
        if not form.series_members.data and form.people.person is None:
            form.people.errors = [*form.people.errors, _("Bitte wählen Sie mindestens eine Person aus.")]
        else:
            people = [*(invitations.series_not_invited(meeting) if form.series_members.data else []),
                      *([form.people.person] if form.people.person else [])]
            return act(lambda: invitations.invite(current_user, meeting, people),
                       lambda new: ngettext("%(num)s Einladung wird verschickt.", "%(num)s Einladungen werden verschickt.", len(new)) if new
                       else _("Alle Mitglieder der Reihe sind schon eingeladen."),
                       lambda new: _show(meeting, "invitees") if new
                       else url_for("meetings.invite", meeting_id=meeting.id), form=form,
                       invalid=lambda: _invite_page(meeting, form))
    return _invite_page(meeting, form)


def _invite_page(meeting: Meeting, form: InviteForm, guest_form: GuestInviteForm | None = None):
    guest_form = guest_form or GuestInviteForm(formdata=None)
    not_invited, names = invitations.series_summary(meeting)
    return page("meetings/invite.html", form, guest_form, meeting=meeting, form=form, not_invited=not_invited,
                names=names, guest_form=guest_form, counts=queries.invitee_counts(meeting))


@bp.post("/meetings/<int:meeting_id>/invite/guest")
def invite_guest(meeting_id: int):
    """A guest without an account, invited by mail with her personal answer link."""
    meeting = queries.meeting_for_page(meeting_id, people=False)
    authorize("meeting.edit", meeting)
    guest_form = GuestInviteForm()

    def again():
        return _invite_page(meeting, InviteForm(formdata=None, actor=current_user, meeting=meeting), guest_form)

    if not guest_form.validate_on_submit():
        return again()
    return act(lambda: guest_logic.invite_guest(current_user, meeting, guest_form.guest_name.data,
                                                guest_form.guest_organization.data or "",
                                                guest_form.guest_email.data),
               lambda guest: _("Die Einladung an %(name)s wird verschickt.", name=guest.guest_name),
               _show(meeting, "invitees"), form=guest_form, invalid=again)




@bp.route("/meetings/guest/<token>", methods=["GET", "POST"])
def guest(token: str):
    """A guest's personal page: the signed link is the permission (no account, no sign-in)."""
    participation = guest_logic.guest_of(token)
    if participation is None:
        return render_template("meetings/guest_link_problem.html"), 404
    if request.method == "POST" and PortalForm().validate_on_submit():
        answer = request.form.get("answer", "")
        return act(lambda: guest_logic.guest_answer(participation, answer),
                   lambda p: _("Sie sind eingecheckt. Willkommen!") if answer == "here"
                   else _("Ihre Antwort ist gespeichert: %(answer)s.", answer=label("rsvp", p.rsvp)),
                   url_for("meetings.guest", token=token))
    return render_template("meetings/guest.html", participation=participation, meeting=participation.meeting,
                           materials=shared_materials(participation.meeting), token=token)


@bp.post("/meetings/<int:meeting_id>/guests/<int:participation_id>/member")
def guest_to_member(meeting_id: int, participation_id: int):
    """The office turns a guest into a member (account created and invited, participation linked)."""
    meeting = _meeting(meeting_id)
    guest = db.first_or_404(select(Participation).where(
        Participation.id == participation_id, Participation.meeting_id == meeting.id,
        Participation.person_id.is_(None)))
    authorize("member.manage")
    return act(lambda: guest_logic.make_member(current_user, guest),
               lambda person: _("%(name)s ist jetzt Mitglied und bekommt die Einladung zum Portal.", name=person.name),
               _show(meeting, "invitees"))


# self check-in ------------------------------------------------------------------------------

@bp.route("/meetings/<int:meeting_id>/check-in.svg")
def check_in_svg(meeting_id: int):
    """The QR code of the short-lived check-in link, for who runs the meeting, while it runs."""
    meeting = _meeting(meeting_id)
    authorize("minutes.write", meeting)
    if not meeting.is_running:
        abort(404)
    response = current_app.response_class(guest_logic.check_in_svg(meeting), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/meetings/<int:meeting_id>/check-in/<token>")
def check_in(meeting_id: int, token: str):
    """An invitee who opens the check-in link (signed in) is marked present at once."""
    meeting = _meeting(meeting_id)
    authorize("meeting.rsvp", meeting)
    try:
        valid = read_check_in_token(token) == meeting.id
    except TokenProblem:
        valid = False
    if not valid or not meeting.is_running:  # forged, older than 30 minutes, or the meeting is over
        return render_template("meetings/check_in.html", meeting=meeting, participation=None), 404
    return store(lambda: guest_logic.check_in_invitee(current_user, meeting),
                 lambda p: render_template("meetings/check_in.html", meeting=meeting, participation=p))


@bp.post("/meetings/<int:meeting_id>/rsvp")
def rsvp(meeting_id: int):
    meeting = _meeting(meeting_id)
    authorize("meeting.rsvp", meeting)
    return act(lambda: invitations.answer(current_user, meeting, request.form.get("answer", "")),
               lambda participation: _("Ihre Antwort ist gespeichert: %(answer)s.",
                                       answer=label("rsvp", participation.rsvp)),
               _show(meeting, "rsvp"))


# attendance register ------------------------------------------------------------------------

def _attendance_page(meeting: Meeting, guest_form: GuestForm | None = None,
                     attendee_form: AttendeeForm | None = None):
    filters = queries.InviteeFilter.from_args(request.args)
    listing = queries.invitee_page(meeting, filters, walk_ins=True)
    return page(
        "meetings/attendance.html", guest_form, attendee_form, meeting=meeting, filters=filters,
        listing=listing, rows=attendance_logic.rows(listing.items), total=queries.invitee_counts(meeting).total,
        guest_form=guest_form or GuestForm(),
        attendee_form=attendee_form or AttendeeForm(actor=current_user, meeting=meeting),
        editable=attendance_logic.is_editable(meeting), marks=attendance_logic.MARKS,
    )


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
def attendance(meeting_id: int):
    if request.method == "GET":
        with queries.meeting_for_viewer(meeting_id, getattr(current_user, "id", None)) as meeting:
            authorize("minutes.write", meeting)
            return _attendance_page(meeting)
    meeting = queries.meeting_for_page(meeting_id, people=False)
    authorize("minutes.write", meeting)
    marks = {}  # the rows of the page shown; back to that page
    for participation in meeting.participations:
        value = request.form.get(f"attendance-{participation.id}")
        if value is not None:
            marks[participation.id] = value
    filters = queries.InviteeFilter.from_args(request.args)
    return act(lambda: attendance_logic.set_attendance(current_user, meeting, marks),
               lambda changed: ngettext("Die Anwesenheit ist gespeichert (%(num)s Änderung).", "Die Anwesenheit ist gespeichert (%(num)s Änderungen).", changed),
               url_for("meetings.attendance", meeting_id=meeting.id, **filters.page_args()))


@bp.post("/meetings/<int:meeting_id>/attendance/all-present")
def mark_all_present(meeting_id: int):
    meeting = queries.meeting_for_page(meeting_id, people=False)
    authorize("minutes.write", meeting)
    return act(lambda: attendance_logic.mark_all_present(current_user, meeting),
               lambda changed: ngettext("Alle sind als anwesend markiert (%(num)s Änderung).",
                                         "Alle sind als anwesend markiert (%(num)s Änderungen).", changed),
               url_for("meetings.attendance", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/sign-in-sheet.pdf")
def sign_in_sheet(meeting_id: int):
    meeting = queries.meeting_for_page(meeting_id)
    authorize("minutes.write", meeting)
    return download(attendance_logic.sign_in_sheet_pdf(meeting), _("anwesenheitsliste-%(id)s.pdf", id=meeting.id),
                    "application/pdf", inline=True)


@bp.route("/meetings/<int:meeting_id>/attendance.csv")
def attendance_csv(meeting_id: int):
    meeting = queries.meeting_for_page(meeting_id)
    authorize("minutes.write", meeting)
    return download(attendance_logic.attendance_csv(meeting), _("anwesenheit-%(id)s.csv", id=meeting.id), "text/csv")


@bp.post("/meetings/<int:meeting_id>/attendance/guests")
def add_guest(meeting_id: int):
    meeting = queries.meeting_for_page(meeting_id, people=False)
    authorize("minutes.write", meeting)
    form = GuestForm()
    if not form.validate_on_submit():
        return _attendance_page(meeting, guest_form=form)
    return act(lambda: attendance_logic.add_guest(current_user, meeting, form.guest_name.data,
                                                  form.guest_organization.data),
               lambda guest: _("%(name)s steht als Gast in der Liste.", name=guest.guest_name),
               url_for("meetings.attendance", meeting_id=meeting.id), form=form,
               invalid=lambda: _attendance_page(meeting, guest_form=form))


@bp.post("/meetings/<int:meeting_id>/attendance/members")
def add_attendee(meeting_id: int):
    meeting = queries.meeting_for_page(meeting_id, people=False)
    authorize("minutes.write", meeting)
    form = AttendeeForm(actor=current_user, meeting=meeting)
    if not form.validate_on_submit():
        return _attendance_page(meeting, attendee_form=form)
    return act(lambda: attendance_logic.add_attendee(current_user, meeting, form.person_id.person),
               lambda participation: _("%(name)s steht als anwesend in der Liste.", name=participation.person.name),
               url_for("meetings.attendance", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/attendance/guests/<int:participation_id>/delete", methods=["GET", "POST"])
def remove_guest(meeting_id: int, participation_id: int):
    meeting = _meeting(meeting_id)
    guest = db.first_or_404(select(Participation).where(
        Participation.id == participation_id, Participation.meeting_id == meeting.id,
        Participation.person_id.is_(None)))
    authorize("minutes.write", meeting)
    return confirm_delete(
        lambda: attendance_logic.remove_guest(current_user, guest),
        _("%(name)s ist aus der Liste entfernt.", name=guest.guest_name),
        url_for("meetings.attendance", meeting_id=meeting.id), heading=_("Gast entfernen"),
        facts=[_meeting_fact(meeting), (_("Gast"), _guest_name(guest))],
        consequence=_("%(who)s wird aus der Anwesenheitsliste entfernt.", who=_guest_name(guest)),
        button=_("Entfernen"))
