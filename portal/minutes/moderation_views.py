"""Request handlers for moderating a meeting live: load, authorize, call, render.

The page takes plain form posts (no JavaScript needed); the hidden field `do` says which of its
forms was sent. Its route belongs to the blueprint "minutes" (endpoint minutes.moderate);
portal/__init__.py takes the blueprint from here, so that this route is registered with it.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.minutes import moderation
from portal.minutes.forms import (
    ActionItemForm, ApprovalForm, CarriedForm, DecisionForm, MinutesTextForm,
)
from portal.meetings.models import AgendaItem, Meeting
from portal.minutes.pages import FAILED, INVALID, Page, agenda_item, attempt, load_meeting
from portal.minutes.views import bp
from portal.permissions import authorize
from portal.types import utcnow


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
        if attempt(moderation.start_item, self.item) is not FAILED:
            flash(_("TOP %(n)s läuft.", n=self.item.position), "success")
        return self.redirect()

    def next(self):
        following = attempt(moderation.next_item, self.meeting)
        if following is None:
            flash(_("Der letzte Tagesordnungspunkt ist beendet."), "success")
        elif following is not FAILED:
            flash(_("TOP %(n)s läuft.", n=following.position), "success")
            return self.redirect(item=following)
        return self.redirect()

    def end(self):
        if attempt(moderation.end_current, self.meeting) is not FAILED:
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
        if attempt(moderation.refresh_carried, self.meeting) is not FAILED:
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
    meeting = load_meeting(meeting_id)
    authorize("minutes.write", meeting)
    chosen = request.values.get("item", type=int)
    fallback = moderation.current_item(meeting) or next(iter(meeting.agenda_items), None)
    page = Moderation(meeting, agenda_item(meeting, chosen, fallback))
    if request.method == "GET":
        return page.render()
    do = request.form.get("do", "")
    if do not in _MODERATION or (do in _NEEDS_ITEM and page.item is None):
        abort(400)
    return _MODERATION[do](page)
