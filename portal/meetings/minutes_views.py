"""Request handlers for moderating a meeting and for its minutes: load, authorize, call, render.

Both pages take plain form posts (no JavaScript needed); the hidden field `do` says which
of the page's forms was sent.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.items import ActionError
from portal.extensions import db
from portal.meetings import minutes, moderation
from portal.meetings.minutes_forms import (
    ActionItemForm, AmendmentForm, AnswerForm, ApprovalForm, CarriedForm, CommentForm, DecisionForm,
    MinutesTextForm,
)
from portal.meetings.models import AgendaItem, Meeting, MinutesComment, MinutesRevision
from portal.permissions import authorize, can
from portal.types import utcnow

bp = Blueprint("minutes", __name__)
INVALID = 422  # a page re-rendered because of bad input or a refused change
CONFLICT = 409  # a minutes text saved against an out-of-date version


def _load(meeting_id: int) -> Meeting:
    return db.first_or_404(
        select(Meeting).where(Meeting.id == meeting_id).options(
            joinedload(Meeting.group),
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.decisions),
            selectinload(Meeting.participations),
        )
    )


def _item(meeting: Meeting, item_id: int | None, default: AgendaItem | None = None) -> AgendaItem | None:
    """One of the meeting's agenda items (404 for any other id), or the default."""
    if item_id is None:
        return default
    for item in meeting.agenda_items:
        if item.id == item_id:
            return item
    abort(404)


FAILED = object()  # what Page.apply returns when the page is to be shown again with errors


def _attempt(change, *args):
    """Carry out a change that has no form: commit and return its result, or roll back, flash
    the refusal and return FAILED."""
    try:
        result = change(current_user, *args)
    except minutes.MinutesError as error:
        db.session.rollback()
        flash(str(error), "error")
        return FAILED
    db.session.commit()
    return result


def _named_field(form, name: str | None):
    """The field an error names: "owner" is the field owner_id of the moderation's form."""
    if name is None:
        return None
    return getattr(form, name, None) or getattr(form, f"{name}_id", None)


class Page:
    """What the moderation and the minutes page share: forms applied one per POST."""

    meeting: Meeting

    def apply(self, form, change, error_field=None):
        """Validate `form`, then call `change()` and commit: its result, or FAILED when the input
        is wrong or the change refused (shown at `error_field`, else as a message). A
        MinutesConflict is passed on, with nothing written."""
        if not form.validate():
            return FAILED
        try:
            result = change()
        except moderation.MinutesConflict:
            db.session.rollback()
            raise
        except (minutes.MinutesError, ActionError) as error:
            db.session.rollback()
            field = _named_field(form, getattr(error, "field", None)) or error_field
            if field is None:
                flash(str(error), "error")
            else:
                field.errors = [*field.errors, str(error)]
            return FAILED
        db.session.commit()
        return result

    def save_text(self, item: AgendaItem, again: str, anchor: str):
        """Save an agenda item's minutes text; on a conflict show both texts (posting to `again`)."""
        form = self.text
        try:
            revision = self.apply(form, lambda: moderation.save_minutes_text(
                current_user, item, form.text.data or "", form.base_version()))
        except moderation.MinutesConflict as conflict:
            return _conflict_page(self.meeting, conflict, again)
        if revision is FAILED:
            return self.render(INVALID)
        flash(_("Protokolltext gespeichert (Version %(v)s).", v=revision.version), "success")
        return self.redirect(anchor=anchor)

    def render(self, status: int = 200):
        raise NotImplementedError

    def redirect(self, anchor: str | None = None):
        raise NotImplementedError


# live moderation ----------------------------------------------------------------------------

class Moderation(Page):
    """The moderation page of one meeting with one selected agenda item, and its forms."""

    def __init__(self, meeting: Meeting, item: AgendaItem | None) -> None:
        self.meeting, self.item = meeting, item
        self.text = MinutesTextForm(prefix="text", data=self._text_data())
        self.decision = DecisionForm(prefix="decision")
        self.approval = ApprovalForm(prefix="approval")
        self.action = ActionItemForm(prefix="action")
        self.owners = moderation.owner_options(meeting)
        self.action.fill_choices(self.owners, meeting.decisions)
        self.carried = moderation.carried_items(meeting) if item and item.kind == "open_actions" else []
        self.carried_forms = {c.id: CarriedForm(prefix=f"carried-{c.id}", data={
            "status": c.status, "note": c.note}) for c in self.carried}

    def _text_data(self) -> dict | None:
        if request.method == "POST" or self.item is None:
            return None
        return {"version": self.meeting.minutes_version, "text": self.item.minutes_text}

    def redirect(self, anchor: str | None = None, item: AgendaItem | None = None):
        item = item or self.item
        return redirect(url_for("minutes.moderate", meeting_id=self.meeting.id,
                                item=getattr(item, "id", None), _anchor=anchor))

    def render(self, status: int = 200):
        return render_template(
            "minutes/moderate.html", page=self, meeting=self.meeting,
            board=moderation.board(self.meeting, utcnow()),
            previous=_previous_for_approval(self.item),
        ), status

    # handlers: each returns a response
    def start(self):
        if _attempt(moderation.start_item, self.item) is not FAILED:
            flash(_("TOP %(n)s läuft.", n=self.item.position), "success")
        return self.redirect()

    def next(self):
        following = _attempt(moderation.next_item, self.meeting)
        if following is None:
            flash(_("Der letzte Tagesordnungspunkt ist beendet."), "success")
        elif following is not FAILED:
            flash(_("TOP %(n)s läuft.", n=following.position), "success")
            return self.redirect(item=following)
        return self.redirect()

    def end(self):
        if _attempt(moderation.end_current, self.meeting) is not FAILED:
            flash(_("Der Tagesordnungspunkt ist beendet."), "success")
        return self.redirect()

    def write_text(self):
        return self.save_text(self.item, url_for("minutes.moderate", meeting_id=self.meeting.id,
                                                 item=self.item.id), "minutes-text")

    def add_decision(self):
        f = self.decision
        decision = self.apply(f, lambda: moderation.add_decision(
            current_user, self.item, f.text.data, f.votes_yes.data, f.votes_no.data, f.votes_abstain.data))
        if decision is FAILED:
            return self.render(INVALID)
        flash(_("Beschluss %(ref)s aufgenommen.", ref=decision.reference), "success")
        return self.redirect(anchor="decisions")

    def approve_previous(self):
        authorize("minutes.approve_by_decision", self.meeting)
        f = self.approval
        result = self.apply(f, lambda: moderation.approve_previous_minutes(
            current_user, self.item, f.votes_yes.data, f.votes_no.data, f.votes_abstain.data))
        if result is FAILED:
            return self.render(INVALID)
        decision, previous = result
        flash(_("Beschluss %(ref)s: Das Protokoll „%(title)s“ ist genehmigt.",
                ref=decision.reference, title=previous.title), "success")
        return self.redirect(anchor="decisions")

    def add_action(self):
        f = self.action
        decision = next((d for d in self.meeting.decisions if d.id == f.decision_id.data), None)
        item = self.apply(f, lambda: moderation.add_action_item(
            current_user, self.item, title=f.title.data, owner=self.owners.find(f.owner_id.data),
            due_on=f.due_on.data, description=f.description.data or "", decision=decision),
            error_field=f.title)
        if item is FAILED:
            return self.render(INVALID)
        flash(_("Aufgabe „%(title)s“ für %(owner)s angelegt.", title=item.title, owner=item.owner.name),
              "success")
        return self.redirect(anchor="action-items")

    def report_carried(self):
        carried = next((c for c in self.carried if c.id == request.form.get("carried", type=int)), None)
        if carried is None:
            abort(404)
        f = self.carried_forms[carried.id]
        if self.apply(f, lambda: moderation.report_carried(
                current_user, carried, f.status.data, f.note.data or ""), error_field=f.note) is FAILED:
            return self.render(INVALID)
        flash(_("Stand von „%(title)s“ festgehalten.", title=carried.action_item.title), "success")
        return self.redirect(anchor=f"carried-{carried.id}")

    def refresh_carried(self):
        if _attempt(moderation.refresh_carried, self.meeting) is not FAILED:
            flash(_("Die Liste der offenen Aufgaben ist aktualisiert."), "success")
        return self.redirect(anchor="carried")


_MODERATION = {
    "start": Moderation.start, "next": Moderation.next, "end": Moderation.end,
    "text": Moderation.write_text, "decision": Moderation.add_decision,
    "approve_previous": Moderation.approve_previous, "action": Moderation.add_action,
    "carried": Moderation.report_carried, "refresh_carried": Moderation.refresh_carried,
}
_NEEDS_ITEM = {"start", "text", "decision", "approve_previous", "action", "carried", "refresh_carried"}


def _previous_for_approval(item: AgendaItem | None) -> Meeting | None:
    if item is None or item.kind != "minutes_approval":
        return None
    from portal.meetings.series import previous_meeting

    return previous_meeting(item.meeting)


@bp.route("/meetings/<int:meeting_id>/moderate", methods=["GET", "POST"])
def moderate(meeting_id: int):
    meeting = _load(meeting_id)
    authorize("minutes.write", meeting)
    chosen = request.values.get("item", type=int)
    fallback = moderation.current_item(meeting) or next(iter(meeting.agenda_items), None)
    page = Moderation(meeting, _item(meeting, chosen, fallback))
    if request.method == "GET":
        return page.render()
    do = request.form.get("do", "")
    if do not in _MODERATION or (do in _NEEDS_ITEM and page.item is None):
        abort(400)
    return _MODERATION[do](page)


def _conflict_page(meeting: Meeting, conflict: moderation.MinutesConflict, action: str):
    """Both texts side by side; the editor's text stays in a form to merge and save again."""
    form = MinutesTextForm(prefix="text", formdata=None,
                           data={"version": conflict.version, "text": conflict.yours})
    flash(_("Jemand anderes hat diesen Protokolltext inzwischen geändert. Ihr Text wurde nicht "
            "gespeichert: Bitte führen Sie beide Fassungen zusammen und speichern Sie erneut."), "error")
    return render_template("minutes/conflict.html", meeting=meeting, conflict=conflict, form=form,
                           action=action), CONFLICT


# the minutes ----------------------------------------------------------------------------------

class MinutesPage(Page):
    """The minutes page: the minutes, the workflow, review comments and amendments."""

    def __init__(self, meeting: Meeting) -> None:
        self.meeting = meeting
        get = request.method == "GET"
        self.editing = _item(meeting, request.args.get("edit", type=int))
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
        if _attempt(change, self.meeting) is not FAILED:
            flash(message, "success")
        return self.redirect()

    def start(self):
        return self._transition("minutes.write", minutes.start_draft,
                                _("Das Protokoll ist als Entwurf angelegt."))

    def submit(self):
        authorize("minutes.write", self.meeting)
        people = _attempt(minutes.submit_for_review, self.meeting)
        if people is FAILED:
            return self.redirect()
        if people:
            flash(_("Das Protokoll ist in Abstimmung; %(n)s Teilnehmende wurden per E-Mail "
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
        self.editing = _item(self.meeting, request.form.get("item", type=int)) or abort(400)
        return self.save_text(self.editing, url_for("minutes.show", meeting_id=self.meeting.id,
                                                    edit=self.editing.id),
                              f"agenda-item-{self.editing.id}")

    def add_comment(self):
        authorize("minutes.comment", self.meeting)
        f = self.comment
        comment = self.apply(f, lambda: minutes.add_comment(
            current_user, self.meeting, _item(self.meeting, f.agenda_item_id.data or None), f.text.data))
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
    meeting = _load(meeting_id)
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
