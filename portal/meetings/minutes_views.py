"""Request handlers for the minutes of a meeting: load, authorize, call, render.

The page takes plain form posts (no JavaScript needed); the hidden field `do` says which of its
forms was sent. The moderation page (portal.meetings.moderation_views) adds its route to the same
blueprint "minutes".
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.extensions import db
from portal.meetings import minutes
from portal.meetings.minutes_forms import AmendmentForm, AnswerForm, CommentForm, MinutesTextForm
from portal.meetings.models import Meeting, MinutesComment, MinutesRevision
from portal.meetings.view_helpers import FAILED, INVALID, Page, agenda_item, attempt, load_meeting
from portal.permissions import authorize, can

bp = Blueprint("minutes", __name__)


class MinutesPage(Page):
    """The minutes page: the minutes, the workflow, review comments and amendments."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        get = request.method == "GET"
        self.editing = agenda_item(meeting, request.args.get("edit", type=int))
        self.text = MinutesTextForm(prefix="text", data={
            "version": meeting.minutes_version, "text": self.editing.minutes_text,
        } if get and self.editing else None)
        self.comment = CommentForm(prefix="comment", data={
            "agenda_item_id": request.args.get("about", 0, type=int)} if get else None)
        self.comment.fill_choices(meeting.agenda_items)
        self.answering = request.args.get("answer", type=int)
        self.answer = AnswerForm(prefix="answer", data={"comment_id": self.answering} if get else None)
        self.amendment = AmendmentForm(prefix="amendment")

    def redirect(self, anchor: str | None = None):
        return redirect(url_for("minutes.show", meeting_id=self.meeting.id, _anchor=anchor))

    def render(self, status: int = 200):
        from portal.documents.minutes_pdf import load_minutes

        data = load_minutes(self.meeting)
        review = minutes.review_data(self.meeting, with_revisions=can("minutes.write", self.meeting))
        return render_template("minutes/show.html", page=self, meeting=data.meeting, data=data,
                               review=review), status

    def _transition(self, rule: str, change, message: str):
        authorize(rule, self.meeting)
        if attempt(change, self.meeting) is not FAILED:
            flash(message, "success")
        return self.redirect()

    def start(self):
        return self._transition("minutes.write", minutes.start_draft,
                                _("Das Protokoll ist als Entwurf angelegt."))

    def submit(self):
        authorize("minutes.write", self.meeting)
        people = attempt(minutes.submit_for_review, self.meeting)
        if people is FAILED:
            return self.redirect()
        if people:
            flash(_("Das Protokoll ist in Abstimmung; %(n)s Teilnehmende werden per E-Mail "
                    "benachrichtigt.", n=len(people)), "success")
        else:
            flash(_("Das Protokoll ist in Abstimmung. Niemand ist als anwesend erfasst, daher wurde "
                    "keine E-Mail verschickt."), "info")
        return self.redirect()

    def return_to_draft(self):
        return self._transition("minutes.write", minutes.return_to_draft,
                                _("Das Protokoll ist wieder im Entwurf."))

    def approve(self):
        return self._transition("minutes.approve", minutes.approve, _("Das Protokoll ist genehmigt."))

    def publish(self):
        return self._transition("minutes.publish", minutes.publish, _(
            "Das Protokoll ist veröffentlicht und archiviert; die Teilnehmenden wurden benachrichtigt."))

    def write_text(self):
        authorize("minutes.write", self.meeting)
        self.editing = agenda_item(self.meeting, request.form.get("item", type=int)) or abort(400)
        return self.save_text(self.editing, url_for("minutes.show", meeting_id=self.meeting.id,
                                                    edit=self.editing.id),
                              f"agenda-item-{self.editing.id}")

    def add_comment(self):
        authorize("minutes.comment", self.meeting)
        f = self.comment
        comment = self.apply(f, lambda: minutes.add_comment(
            current_user, self.meeting, agenda_item(self.meeting, f.agenda_item_id.data or None), f.text.data))
        if comment is FAILED:
            return self.render(INVALID)
        flash(_("Ihre Anmerkung ist gespeichert."), "success")
        item_id = comment.agenda_item_id
        return self.redirect(anchor=f"agenda-item-{item_id}" if item_id else "general-comments")

    def answer_comment(self):
        authorize("minutes.write", self.meeting)
        f = self.answer
        comment = db.session.get(MinutesComment, _int(f.comment_id.data) or 0)
        if comment is None or comment.meeting_id != self.meeting.id:
            abort(404)
        self.answering = comment.id
        if self.apply(f, lambda: minutes.answer_comment(
                current_user, self.meeting, comment, f.reply.data, f.adopt.data)) is FAILED:
            return self.render(INVALID)
        flash(_("Die Anmerkung ist beantwortet."), "success")
        return self.redirect(anchor=f"comment-{comment.id}")

    def amend(self):
        authorize("minutes.publish", self.meeting)
        f = self.amendment
        if self.apply(f, lambda: minutes.add_amendment(current_user, self.meeting, f.text.data)) is FAILED:
            return self.render(INVALID)
        flash(_("Der Nachtrag ist gespeichert und das Protokoll neu archiviert."), "success")
        return self.redirect(anchor="amendments")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_MINUTES = {
    "start": MinutesPage.start, "submit": MinutesPage.submit, "return": MinutesPage.return_to_draft,
    "approve": MinutesPage.approve, "publish": MinutesPage.publish, "text": MinutesPage.write_text,
    "comment": MinutesPage.add_comment, "answer": MinutesPage.answer_comment,
    "amend": MinutesPage.amend,
}


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
def show(meeting_id: int):
    meeting = load_meeting(meeting_id)
    authorize("minutes.open", meeting)
    version = request.args.get("version", type=int)
    if version is not None and request.method == "GET":
        return _revision_page(meeting, version)
    page = MinutesPage(meeting)
    if request.method == "GET":
        if page.editing is not None:
            authorize("minutes.write", meeting)
        return page.render()
    do = request.form.get("do", "")
    if do not in _MINUTES:
        abort(400)
    return _MINUTES[do](page)


def _revision_page(meeting: Meeting, version: int):
    """One saved version of the minutes text, as it was (for the people who write them)."""
    authorize("minutes.write", meeting)
    revision = db.first_or_404(
        select(MinutesRevision).where(MinutesRevision.meeting_id == meeting.id,
                                      MinutesRevision.version == version)
        .options(joinedload(MinutesRevision.author)))
    return render_template("minutes/revision.html", meeting=meeting, revision=revision)
