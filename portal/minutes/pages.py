"""What the moderation page and the minutes page share: loading the meeting, applying one form per
POST with one commit, and the page shown when a minutes text was saved against an old version."""
from __future__ import annotations

from flask import abort, flash, render_template
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.items import ActionError
from portal.extensions import db
from portal.meetings.models import AgendaItem, Meeting
from portal.minutes import moderation, workflow
from portal.minutes.forms import MinutesTextForm

INVALID = 422  # a page re-rendered because of bad input or a refused change
CONFLICT = 409  # a minutes text saved against an out-of-date version
FAILED = object()  # what Page.apply returns when the page is to be shown again with errors


def load_meeting(meeting_id: int) -> Meeting:
    return db.first_or_404(
        select(Meeting).where(Meeting.id == meeting_id).options(
            joinedload(Meeting.group),
            selectinload(Meeting.agenda_items),
            selectinload(Meeting.decisions),
            selectinload(Meeting.participations),
        )
    )


def agenda_item(meeting: Meeting, item_id: int | None,
                default: AgendaItem | None = None) -> AgendaItem | None:
    """One of the meeting's agenda items (404 for any other id), or the default."""
    if item_id is None:
        return default
    for item in meeting.agenda_items:
        if item.id == item_id:
            return item
    abort(404)


def attempt(change, *args):
    """Carry out a change that has no form: commit and return its result, or roll back, flash
    the refusal and return FAILED."""
    try:
        result = change(current_user, *args)
    except workflow.MinutesError as error:
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
        except (workflow.MinutesError, ActionError) as error:
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
            return conflict_page(self.meeting, conflict, again)
        if revision is FAILED:
            return self.render(INVALID)
        flash(_("Protokolltext gespeichert (Version %(v)s).", v=revision.version), "success")
        return self.redirect(anchor=anchor)

    def render(self, status: int = 200):
        raise NotImplementedError

    def redirect(self, anchor: str | None = None):
        raise NotImplementedError


def conflict_page(meeting: Meeting, conflict: moderation.MinutesConflict, action: str):
    """Both texts side by side; the editor's text stays in a form to merge and save again."""
    form = MinutesTextForm(prefix="text", formdata=None,
                           data={"version": conflict.version, "text": conflict.yours})
    flash(_("Jemand anderes hat diesen Protokolltext inzwischen geändert. Ihr Text wurde nicht "
            "gespeichert: Bitte führen Sie beide Fassungen zusammen und speichern Sie erneut."), "error")
    return render_template("minutes/conflict.html", meeting=meeting, conflict=conflict, form=form,
                           action=action), CONFLICT
