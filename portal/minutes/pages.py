"""The two pages of the minutes area, the minutes page and the moderation page: the meeting they
load, the forms they show (several per page, each with its own prefix and its own action URL),
and the page shown when a minutes text was saved against an old version."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.meetings.models import AgendaItem, Meeting
from portal.meetings.queries import own_participation, partial_participations
from portal.meetings.series import previous_meeting
from portal.minutes import moderation, workflow
from portal.minutes.data import load_minutes, minutes_graph
from portal.minutes.forms import (
    ActionItemForm,
    AmendmentForm,
    AnswerForm,
    ApprovalForm,
    ApproveForm,
    CarriedForm,
    CommentForm,
    DecisionForm,
    MinutesTextForm,
    SubmitForm,
)
from portal.permissions import can
from portal.responses import CONFLICT, page
from portal.types import utcnow


def all_attendees_asked() -> bool:
    """The minutes page is asked to name every attendee (by default it names the first few)."""
    return request.args.get("attendees") == "all"


@contextmanager
def minutes_meeting(meeting_id: int, viewer_id: int | None) -> Iterator[Meeting]:
    """The meeting for the minutes page as read (GET), or 404: everything it shows, and of the
    participations only the viewer's own (for the rules) unless every attendee is to be named;
    MinutesPage counts and names the first attendees in SQL."""
    participations = None if all_attendees_asked() else own_participation(viewer_id)
    meeting = db.first_or_404(select(Meeting).where(Meeting.id == meeting_id)
                              .options(*minutes_graph(participations)))
    with partial_participations(meeting):
        yield meeting


def load_meeting(meeting_id: int, minutes: bool = False, viewer_id: int | None = None) -> Meeting:
    """The meeting, or 404; with `minutes` everything the minutes page shows (read once). With
    `viewer_id`, of the participations only the viewer's own (what the rules ask of a page that
    shows none): the caller wraps its use in partial_participations."""
    participations = (own_participation(viewer_id) if viewer_id is not None
                      else selectinload(Meeting.participations))
    options = minutes_graph() if minutes else (
        joinedload(Meeting.group),
        selectinload(Meeting.agenda_items),
        selectinload(Meeting.decisions),
        participations,
    )
    return db.first_or_404(select(Meeting).where(Meeting.id == meeting_id).options(*options))


def agenda_item(meeting: Meeting, item_id: int | None,
                default: AgendaItem | None = None) -> AgendaItem | None:
    """One of the meeting's agenda items (404 for any other id), or the default."""
    if item_id is None:
        return default
    for item in meeting.agenda_items:
        if item.id == item_id:
            return item
    abort(404)


ATTENDEES_SHOWN = 30  # names per attendance state on the minutes page, until all are asked for


class Page:
    """A page with several forms, of which one at a time is posted to its own URL."""

    template: str
    meeting: Meeting

    def forms(self) -> tuple:
        raise NotImplementedError

    def context(self) -> dict:
        raise NotImplementedError

    def render(self):
        """The page, with 422 when the posted form has errors."""
        return page(self.template, *self.forms(), page=self, **self.context())


class MinutesPage(Page):
    """The minutes page: the minutes, the workflow, review comments and amendments."""

    template = "minutes/show.html"

    def __init__(self, meeting: Meeting, editing: AgendaItem | None = None) -> None:
        self.meeting = meeting
        get = request.method == "GET"
        self.editing = editing or agenda_item(meeting, request.args.get("edit", type=int))
        self.text = MinutesTextForm(prefix="text", data={
            "version": meeting.minutes_version, "text": self.editing.minutes_text,
        } if get and self.editing else None)
        self.comment = CommentForm(prefix="comment", data={
            "agenda_item_id": request.args.get("about", 0, type=int)} if get else None)
        self.comment.fill_choices(meeting.agenda_items)
        self.answering = request.args.get("answer", type=int)
        self.answer = AnswerForm(prefix="answer", data={"comment_id": self.answering} if get else None)
        self.amendment = AmendmentForm(prefix="amendment")
        self.submission = SubmitForm(prefix="submit")
        self.approval = ApproveForm(prefix="approve")
        # the names of the attendance, each state cut short unless all are asked for (the PDF has all)
        self.all_attendees = all_attendees_asked()
        self.attendees_shown = ATTENDEES_SHOWN

    def forms(self) -> tuple:
        return self.text, self.comment, self.answer, self.amendment, self.submission, self.approval

    def context(self) -> dict:
        data = load_minutes(self.meeting, loaded=True,
                            attendees=None if self.all_attendees else self.attendees_shown)
        review = workflow.review_data(self.meeting, with_revisions=can("minutes.write", self.meeting))
        return {"meeting": data.meeting, "data": data, "review": review, "workflow": workflow,
                "transitions": workflow.available_transitions(data.meeting),
                "unrecorded": data.counted("unknown")[0]}  # workflow.unrecorded, counted


class Moderation(Page):
    """The moderation page of one meeting with one selected agenda item, and its forms."""

    template = "minutes/moderate.html"

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        fallback = moderation.current_item(meeting) or next(iter(meeting.agenda_items), None)
        self.item = item = agenda_item(meeting, request.values.get("item", type=int), fallback)
        # posted with the text form: its text as typed; else the item's stored text
        self.typed = item is not None and "text-text" in request.form
        self.text = MinutesTextForm(prefix="text") if self.typed else MinutesTextForm(
            prefix="text", formdata=None,
            data={"version": meeting.minutes_version, "text": item.minutes_text} if item else None)
        self.decision = DecisionForm(prefix="decision")
        self.approval = ApprovalForm(prefix="approval")
        self.action = ActionItemForm(prefix="action")
        self.action.fill_choices(current_user, meeting)
        self.carried = moderation.carried_items(meeting) if item and item.takes_up_actions else []
        self.carried_forms = {c.id: CarriedForm(prefix=f"carried-{c.id}", data={
            "status": c.status, "note": c.note}) for c in self.carried}

    def forms(self) -> tuple:
        return self.text, self.decision, self.approval, self.action, *self.carried_forms.values()

    def context(self) -> dict:
        previous = previous_meeting(self.meeting) if self.item and self.item.approves_minutes else None
        return {"meeting": self.meeting, "board": moderation.board(self.meeting, utcnow()),
                "previous": previous, "editable": workflow.is_editable(self.meeting),
                "approvable": previous is not None and workflow.awaits_approval(previous)}


def conflict_page(meeting: Meeting, conflict: moderation.MinutesConflict, action: str):
    """Both texts side by side; the editor's text stays in a form to merge and save again."""
    form = MinutesTextForm(prefix="text", formdata=None,
                           data={"version": conflict.version, "text": conflict.yours})
    flash(_("Jemand anderes hat diesen Protokolltext inzwischen geändert. Ihr Text wurde nicht "
            "gespeichert: Bitte führen Sie beide Fassungen zusammen und speichern Sie erneut."), "error")
    return render_template("minutes/conflict.html", meeting=meeting, conflict=conflict, form=form,
                           action=action), CONFLICT
