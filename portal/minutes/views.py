"""Request handlers of the minutes area: load, authorize, act, respond.

Two pages, the minutes (/meetings/<id>/minutes) and the live moderation (/meetings/<id>/moderate);
each of their actions has its own URL under the page (POST /meetings/<id>/minutes/submit, POST
/meetings/<id>/moderate/decision?item=<agenda item>, ...) and answers with a redirect to the page,
or with the page again (422) when its form has errors or the change is refused.
"""
from __future__ import annotations

from typing import Callable

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.kept_pages import kept
from portal.meetings.models import Meeting
from portal.meetings.queries import partial_participations
from portal.minutes import moderation, workflow
from portal.minutes.models import MinutesComment, MinutesRevision
from portal.minutes.pages import (
    MinutesPage,
    Moderation,
    Page,
    agenda_item,
    conflict_page,
    load_meeting,
    minutes_meeting,
)
from portal.permissions import authorize
from portal.responses import act

bp = Blueprint("minutes", __name__)

MINUTES = "/meetings/<int:meeting_id>/minutes"
MODERATE = "/meetings/<int:meeting_id>/moderate"


def _submit(view: Page, form, change: Callable, success, target):
    """One form of a page: validated, then act(); on errors or a refusal the page again, as typed."""
    if not form.validate():
        return view.render()
    return act(change, success, target, form=form, invalid=view.render)


def _save_text(view: Page, item, target: str):
    """Save an agenda item's minutes text; saved against an old version, both texts side by side."""
    form = view.text
    try:
        return _submit(view, form, lambda: moderation.save_minutes_text(
            current_user, item, form.text.data or "", form.base_version()),
            lambda revision: _("Protokolltext gespeichert (Version %(v)s).", v=revision.version), target)
    except moderation.MinutesConflict as conflict:
        db.session.rollback()
        return conflict_page(view.meeting, conflict, request.url)


# the minutes page ------------------------------------------------------------------------------

def _minutes_url(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for("minutes.show", meeting_id=meeting.id, _anchor=anchor)


@bp.get(MINUTES)
@kept
def show(meeting_id: int):
    with minutes_meeting(meeting_id, getattr(current_user, "id", None)) as meeting:
        authorize("minutes.open", meeting)
        version = request.args.get("version", type=int)
        if version is not None:
            return _revision_page(meeting, version)
        view = MinutesPage(meeting)
        if view.editing is not None:
            authorize("minutes.write", meeting)
        return view.render()


def _revision_page(meeting: Meeting, version: int):
    """One saved version of the minutes text, as it was (for the people who write them)."""
    authorize("minutes.write", meeting)
    revision = db.first_or_404(
        select(MinutesRevision).where(MinutesRevision.meeting_id == meeting.id,
                                      MinutesRevision.version == version)
        .options(joinedload(MinutesRevision.author)))
    return render_template("minutes/revision.html", meeting=meeting, revision=revision)


def _minutes_page(meeting_id: int, rule: str) -> MinutesPage:
    meeting = load_meeting(meeting_id, minutes=True)
    authorize(rule, meeting)
    return MinutesPage(meeting)


def _transition(meeting_id: int, rule: str, change: Callable, success):
    meeting = load_meeting(meeting_id)
    authorize(rule, meeting)
    return act(lambda: change(current_user, meeting), success, _minutes_url(meeting))


@bp.post(MINUTES + "/start")
def start(meeting_id: int):
    return _transition(meeting_id, "minutes.write", workflow.start_draft,
                       _("Das Protokoll ist als Entwurf angelegt."))


def _submitted(meeting: Meeting, people: list) -> str:
    until = _("Anmerkungen bis %(date)s.", date=format_date(meeting.review_until, "long"))
    if not people:
        return _("Das Protokoll ist in Abstimmung. Niemand ist als anwesend erfasst, daher wurde "
                 "keine E-Mail verschickt.") + " " + until
    return _("Das Protokoll ist in Abstimmung; %(n)s Teilnehmende werden per E-Mail "
             "benachrichtigt.", n=len(people)) + " " + until


@bp.post(MINUTES + "/submit")
def submit(meeting_id: int):
    view = _minutes_page(meeting_id, "minutes.write")
    meeting, f = view.meeting, view.submission
    return _submit(view, f, lambda: workflow.submit_for_review(
        current_user, meeting, f.day_count(), f.unrecorded.data),
        lambda people: _submitted(meeting, people), _minutes_url(meeting))


@bp.post(MINUTES + "/return")
def return_to_draft(meeting_id: int):
    return _transition(meeting_id, "minutes.write", workflow.return_to_draft,
                       _("Das Protokoll ist wieder im Entwurf."))


@bp.post(MINUTES + "/approve")
def approve(meeting_id: int):
    view = _minutes_page(meeting_id, "minutes.approve")
    meeting, f = view.meeting, view.approval
    return _submit(view, f, lambda: workflow.approve(current_user, meeting, early=f.confirm.data),
                   _("Das Protokoll ist genehmigt."), _minutes_url(meeting))


@bp.post(MINUTES + "/publish")
def publish(meeting_id: int):
    return _transition(meeting_id, "minutes.publish", workflow.publish, _(
        "Das Protokoll ist veröffentlicht und archiviert; die Teilnehmenden wurden benachrichtigt."))


@bp.post(MINUTES + "/text")
def save_text(meeting_id: int):
    """The minutes text of the agenda item `item` (a form field), from the minutes page."""
    meeting = load_meeting(meeting_id, minutes=True)
    authorize("minutes.write", meeting)
    item = agenda_item(meeting, request.form.get("item", type=int)) or abort(400)
    return _save_text(MinutesPage(meeting, editing=item), item,
                      _minutes_url(meeting, f"agenda-item-{item.id}"))


@bp.post(MINUTES + "/comment")
def comment(meeting_id: int):
    view = _minutes_page(meeting_id, "minutes.comment")
    meeting = view.meeting
    f = view.comment

    def anchor(comment: MinutesComment) -> str:
        item_id = comment.agenda_item_id
        return _minutes_url(meeting, f"agenda-item-{item_id}" if item_id else "general-comments")

    return _submit(view, f, lambda: workflow.add_comment(
        current_user, meeting, agenda_item(meeting, f.agenda_item_id.data or None), f.text.data),
        _("Ihre Anmerkung ist gespeichert."), anchor)


@bp.post(MINUTES + "/answer")
def answer(meeting_id: int):
    view = _minutes_page(meeting_id, "minutes.write")
    meeting = view.meeting
    f = view.answer
    comment = db.session.get(MinutesComment, _int(f.comment_id.data) or 0)
    if comment is None or comment.meeting_id != meeting.id:
        abort(404)
    view.answering = comment.id

    def said(answered: MinutesComment) -> str:
        if answered.is_adopted:
            return _("Die Anmerkung ist übernommen. Arbeiten Sie sie jetzt in den Text ein.")
        return _("Die Anmerkung ist beantwortet.")

    def shown(answered: MinutesComment) -> str:
        """An adopted comment on an agenda item opens the item's text beside it."""
        item_id = answered.agenda_item_id
        if answered.is_adopted and item_id:
            return url_for("minutes.show", meeting_id=meeting.id, edit=item_id,
                           _anchor=f"agenda-item-{item_id}")
        return _minutes_url(meeting, f"comment-{answered.id}")

    return _submit(view, f, lambda: workflow.answer_comment(
        current_user, meeting, comment, f.reply.data, f.adopt.data), said, shown)


@bp.post(MINUTES + "/amend")
def amend(meeting_id: int):
    view = _minutes_page(meeting_id, "minutes.publish")
    meeting = view.meeting
    f = view.amendment
    return _submit(view, f, lambda: workflow.add_amendment(current_user, meeting, f.text.data),
                   _("Der Nachtrag ist gespeichert und das Protokoll neu archiviert."),
                   _minutes_url(meeting, "amendments"))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# the moderation page ---------------------------------------------------------------------------

def _moderation(meeting_id: int, needs_item: bool = True) -> Moderation:
    meeting = load_meeting(meeting_id)
    authorize("minutes.write", meeting)
    view = Moderation(meeting)
    if needs_item and view.item is None:
        abort(400)
    return view


def _moderate_url(view: Moderation, anchor: str | None = None, item=None,
                  action: str = "moderate") -> str:
    """The moderation page (or the URL of one of its actions) for `item`, by default the one shown."""
    item = item or view.item
    return url_for(f"minutes.{action}", meeting_id=view.meeting.id, item=getattr(item, "id", None),
                   _anchor=anchor)


@bp.get(MODERATE)
@kept
def moderate(meeting_id: int):
    """The page reads the viewer's own participation only (a plenary has thousands; it shows none)."""
    meeting = load_meeting(meeting_id, viewer_id=getattr(current_user, "id", None) or 0)
    with partial_participations(meeting):
        authorize("minutes.write", meeting)
        return Moderation(meeting).render()


def _switch(view: Moderation, change: Callable, success, target):
    """A change of the agenda item (start, next, end, another item, end of the meeting), posted
    with the text form of the item shown: its typed text is saved first when it differs from the
    stored one, in the same transaction; saved against an old version, both texts side by side."""
    form, item = view.text, view.item
    if view.typed and not form.validate():
        return view.render()

    def both():
        saved = None
        if view.typed:
            saved = moderation.keep_typed_text(current_user, item, form.text.data or "",
                                               form.base_version())
        return saved, change()

    def said(result) -> str | None:
        saved, outcome = result
        message = success(outcome) if callable(success) else success
        if saved is None:
            return message
        return " ".join(filter(None, [_("Protokolltext gespeichert (Version %(v)s).", v=saved.version),
                                      message]))

    try:
        return act(both, said, lambda result: target(result[1]) if callable(target) else target,
                   form=form, invalid=view.render)
    except moderation.MinutesConflict as conflict:
        db.session.rollback()
        return conflict_page(view.meeting, conflict, _moderate_url(view, action="save_item_text"))


@bp.post(MODERATE + "/start")
def start_item(meeting_id: int):
    view = _moderation(meeting_id)
    return _switch(view, lambda: moderation.start_item(current_user, view.item),
                   _("TOP %(n)s läuft.", n=view.item.position), _moderate_url(view))


@bp.post(MODERATE + "/next")
def next_item(meeting_id: int):
    view = _moderation(meeting_id, needs_item=False)

    def said(following) -> str:
        if following is None:
            return _("Der letzte Tagesordnungspunkt ist beendet.")
        return _("TOP %(n)s läuft.", n=following.position)

    return _switch(view, lambda: moderation.next_item(current_user, view.meeting), said,
                   lambda following: _moderate_url(view, item=following))


@bp.post(MODERATE + "/end")
def end_item(meeting_id: int):
    view = _moderation(meeting_id, needs_item=False)
    return _switch(view, lambda: moderation.end_current(current_user, view.meeting),
                   _("Der Tagesordnungspunkt ist beendet."), _moderate_url(view))


@bp.post(MODERATE + "/open")
def open_item(meeting_id: int):
    """Another agenda item (`to`, the value of the button) shown, after the text typed into this
    one (`item`) is saved."""
    view = _moderation(meeting_id)
    shown = agenda_item(view.meeting, request.form.get("to", type=int)) or abort(400)
    return _switch(view, lambda: None, None, _moderate_url(view, "minutes-text", item=shown))


@bp.post(MODERATE + "/finish")
def finish(meeting_id: int):
    view = _moderation(meeting_id, needs_item=False)
    return _switch(view, lambda: moderation.finish_meeting(current_user, view.meeting),
                   _("Die Sitzung ist beendet. Das Protokoll geht weiter im Entwurf."),
                   url_for("minutes.show", meeting_id=view.meeting.id))


@bp.post(MODERATE + "/text")
def save_item_text(meeting_id: int):
    view = _moderation(meeting_id)
    return _save_text(view, view.item, _moderate_url(view, "minutes-text"))


@bp.post(MODERATE + "/decision")
def add_decision(meeting_id: int):
    view = _moderation(meeting_id)
    f = view.decision
    return _submit(view, f, lambda: moderation.add_decision(
        current_user, view.item, f.text.data, f.votes_yes.data, f.votes_no.data, f.votes_abstain.data),
        lambda decision: _("Beschluss %(ref)s aufgenommen.", ref=decision.reference),
        _moderate_url(view, "decisions"))


@bp.post(MODERATE + "/approve-previous")
def approve_previous(meeting_id: int):
    view = _moderation(meeting_id)
    authorize("minutes.approve_by_decision", view.meeting)
    f = view.approval

    def said(result) -> str:
        decision, previous = result
        return _("Beschluss %(ref)s: Das Protokoll „%(title)s“ ist genehmigt.",
                 ref=decision.reference, title=previous.title)

    return _submit(view, f, lambda: moderation.approve_previous_minutes(
        current_user, view.item, f.votes_yes.data, f.votes_no.data, f.votes_abstain.data),
        said, _moderate_url(view, "decisions"))


@bp.post(MODERATE + "/action")
def add_action(meeting_id: int):
    view = _moderation(meeting_id)
    f = view.action
    decision = next((d for d in view.meeting.decisions if d.id == f.decision_id.data), None)
    return _submit(view, f, lambda: moderation.add_action_item(
        current_user, view.item, title=f.title.data, owner=f.owner_id.person,
        due_on=f.due_on.data, description=f.description.data or "", decision=decision),
        lambda item: _("Aufgabe „%(title)s“ für %(owner)s angelegt.", title=item.title,
                       owner=item.owner.name),
        _moderate_url(view, "action-items"))


@bp.post(MODERATE + "/carried")
def report_carried(meeting_id: int):
    """The status of the carried action item `carried` (a form field) as reported now."""
    view = _moderation(meeting_id)
    carried = next((c for c in view.carried if c.id == request.form.get("carried", type=int)), None)
    if carried is None:
        abort(404)
    f = view.carried_forms[carried.id]
    return _submit(view, f, lambda: moderation.report_carried(
        current_user, carried, f.status.data, f.note.data or ""),
        _("Stand von „%(title)s“ festgehalten.", title=carried.action_item.title),
        _moderate_url(view, f"carried-{carried.id}"))


@bp.post(MODERATE + "/refresh-carried")
def refresh_carried(meeting_id: int):
    view = _moderation(meeting_id)
    return act(lambda: moderation.refresh_carried(current_user, view.meeting),
               _("Die Liste der offenen Aufgaben ist aktualisiert."), _moderate_url(view, "carried"))
