"""The minutes workflow: draft → in_review → approved → published, then amendments only.

One function per transition. Each checks that the transition is allowed from the current
state (MinutesError with a German message otherwise, nothing changed), sets the state and its
data, writes an audit event and queues the mails the transition sends. Plain functions: they
take the acting person and objects, add to the session and never commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import format_date, ngettext
from flask_babel import gettext as _
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import defer, joinedload

from portal.actions.models import ActionItem
from portal.audit.record import apply_changes, record
from portal.documents.minutes_pdf import archive_minutes
from portal.errors import RuleError
from portal.extensions import db
from portal.labels import label
from portal.links import external_url
from portal.meetings import attendance as register
from portal.meetings.models import AgendaItem, Attendance, Decision, Meeting, MinutesStatus, Participation
from portal.meetings.series import previous_meeting
from portal.members.models import Person
from portal.minutes.models import CommentStatus, MinutesAmendment, MinutesComment, MinutesRevision
from portal.notifications import notify
from portal.types import local_today, utcnow

# transition -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[MinutesStatus, ...], MinutesStatus]] = {
    "start": ((MinutesStatus.NONE,), MinutesStatus.DRAFT),
    "submit_for_review": ((MinutesStatus.DRAFT,), MinutesStatus.IN_REVIEW),
    "return_to_draft": ((MinutesStatus.IN_REVIEW,), MinutesStatus.DRAFT),
    "approve": ((MinutesStatus.IN_REVIEW,), MinutesStatus.APPROVED),
    "publish": ((MinutesStatus.APPROVED,), MinutesStatus.PUBLISHED),
}
# Transitions that need the meeting to have taken place: minutes of a meeting that is still
# planned cannot be reviewed, approved or published (moderation marks a started meeting held).
NEEDS_HELD = ("submit_for_review", "approve", "publish")
# minutes text, decisions and action items can be written
EDITABLE = (MinutesStatus.NONE, MinutesStatus.DRAFT)
COMMENT_ANSWERABLE = (MinutesStatus.DRAFT, MinutesStatus.IN_REVIEW)
REVIEW_DAYS = 7  # the review period a submission proposes
MAX_REVIEW_DAYS = 60
# what the invitees whose attendance nobody recorded can be marked at submission, in one step
UNRECORDED_MARKS = (Attendance.ABSENT, Attendance.EXCUSED)


# what the pages ask ------------------------------------------------------------------------

def available_transitions(meeting: Meeting) -> set[str]:
    """The transitions of TRANSITIONS that the minutes' state and the meeting's allow now
    (whether the user may carry them out is for permissions.can)."""
    if meeting.is_cancelled:
        return set()
    return {name for name, (sources, _target) in TRANSITIONS.items()
            if meeting.minutes_status in sources and (meeting.is_held or name not in NEEDS_HELD)}


def waits_for_meeting(meeting: Meeting) -> set[str]:
    """The transitions the minutes' state would allow, held back until the meeting is held."""
    if meeting.is_cancelled or meeting.is_held:
        return set()
    return {name for name in NEEDS_HELD if meeting.minutes_status in TRANSITIONS[name][0]}


def is_editable(meeting: Meeting) -> bool:
    """Minutes text, decisions and action items can be written (a first entry starts the draft)."""
    return not meeting.is_cancelled and meeting.minutes_status in EDITABLE


def is_draft(meeting: Meeting) -> bool:
    return not meeting.is_cancelled and meeting.minutes_status == MinutesStatus.DRAFT


def answers_comments(meeting: Meeting) -> bool:
    """Review comments can be answered or adopted."""
    return meeting.minutes_status in COMMENT_ANSWERABLE


def takes_comments(meeting: Meeting) -> bool:
    """Attendees can comment: the minutes are in review."""
    return meeting.minutes_status == MinutesStatus.IN_REVIEW


def awaits_approval(meeting: Meeting) -> bool:
    """In review: the office, or the next meeting by a decision, can approve the minutes."""
    return meeting.minutes_status == MinutesStatus.IN_REVIEW


def review_running(meeting: Meeting) -> bool:
    """In review and within its period (its last day included): approving now asks first."""
    return (awaits_approval(meeting) and meeting.review_until is not None
            and local_today() <= meeting.review_until)


def review_ended(meeting: Meeting) -> bool:
    """In review, and the period set on submission is over."""
    return (awaits_approval(meeting) and meeting.review_until is not None
            and not review_running(meeting))


def unrecorded(meeting: Meeting) -> list[Participation]:
    """The invitees whose attendance nobody has recorded (guests are entered as present)."""
    return [p for p in meeting.participations
            if p.person_id is not None and p.attendance == Attendance.UNKNOWN]


def can_be_amended(meeting: Meeting) -> bool:
    return meeting.minutes_published


class MinutesError(RuleError):
    """A change the minutes workflow does not allow; the message is for the user."""


def _refuse(meeting: Meeting, transition: str) -> MinutesError:
    messages = {
        "start": _("Für dieses Treffen gibt es bereits ein Protokoll."),
        "submit_for_review": _("Nur ein Protokoll im Entwurf kann zur Abstimmung gegeben werden."),
        "return_to_draft": _("Nur ein Protokoll in Abstimmung kann in den Entwurf zurückgegeben werden."),
        "approve": _("Nur ein Protokoll in Abstimmung kann genehmigt werden."),
        "publish": _("Nur ein genehmigtes Protokoll kann veröffentlicht werden."),
        "amend": _("Nachträge sind erst nach der Veröffentlichung möglich."),
    }
    state = label("minutes_status", meeting.minutes_status)
    return MinutesError(_("%(reason)s Das Protokoll ist zurzeit: %(state)s.",
                          reason=messages[transition], state=state))


def _check(meeting: Meeting, transition: str) -> None:
    """Refuse a transition that the minutes' state or the meeting's does not allow."""
    if meeting.minutes_status not in TRANSITIONS[transition][0]:
        raise _refuse(meeting, transition)
    if transition in NEEDS_HELD and not meeting.is_held:
        _check_not_cancelled(meeting)
        raise MinutesError(_("Das Treffen ist noch nicht als stattgefunden vermerkt. Zur Abstimmung "
                             "geben, genehmigen und veröffentlichen lässt sich das Protokoll erst danach "
                             "(möglich ab dem Beginn des Treffens)."))


def _move(actor, meeting: Meeting, transition: str, **values) -> dict:
    """Check and carry out one transition; returns the recorded changes."""
    _check(meeting, transition)
    changes = apply_changes(meeting, {"minutes_status": TRANSITIONS[transition][1], **values})
    record(actor, f"minutes.{transition}", meeting, changes)
    return changes


def _check_not_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled:
        raise MinutesError(_("Das Treffen ist abgesagt; es hat kein Protokoll."))


def start_draft(actor, meeting: Meeting) -> None:
    """none → draft: the minutes of a meeting begin."""
    _check_not_cancelled(meeting)
    _move(actor, meeting, "start")


def ensure_editable(actor, meeting: Meeting) -> None:
    """Before writing minutes text, decisions or action items: start the draft if there is none
    yet; refuse once the minutes have left the draft."""
    _check_not_cancelled(meeting)
    if meeting.minutes_status == MinutesStatus.NONE:
        start_draft(actor, meeting)
    elif meeting.minutes_status not in EDITABLE:
        raise MinutesError(_(
            "Das Protokoll ist %(state)s und kann nicht mehr geändert werden. Bearbeiten ist nur "
            "im Entwurf möglich, nach der Veröffentlichung nur durch einen Nachtrag.",
            state=label("minutes_status", meeting.minutes_status)))


def ensure_text_editable(actor, item: AgendaItem) -> None:
    """Before saving an agenda item's minutes text: in review only to work in an adopted comment
    (on this item or on the minutes in general), the minutes staying in review; otherwise as
    ensure_editable."""
    meeting = item.meeting
    if not takes_comments(meeting) or meeting.is_cancelled:
        ensure_editable(actor, meeting)
    elif not _has_adopted_comment(meeting, item):
        raise MinutesError(_("Das Protokoll ist in Abstimmung: Sein Text kann nicht mehr geändert werden, "
                             "nur, um eine übernommene Anmerkung einzuarbeiten. Bitte zuerst die "
                             "Anmerkung übernehmen."))


def _has_adopted_comment(meeting: Meeting, item: AgendaItem) -> bool:
    return db.session.scalar(select(exists().where(
        MinutesComment.meeting_id == meeting.id, MinutesComment.status == CommentStatus.ADOPTED,
        or_(MinutesComment.agenda_item_id == item.id, MinutesComment.agenda_item_id.is_(None)))))


def submit_for_review(actor, meeting: Meeting, days: int | None = REVIEW_DAYS,
                      unrecorded_as: str | None = None) -> list[Person]:
    """draft → in_review for `days` days (the review ends with the day `days` days from today);
    every attendee gets a mail with the link and that day. The register must be complete first:
    invitees whose attendance nobody recorded are marked `unrecorded_as` (absent or excused), so
    that no minutes go out with "Anwesenheit nicht erfasst". Returns the attendees."""
    _check(meeting, "submit_for_review")
    if days is None or not 1 <= days <= MAX_REVIEW_DAYS:
        raise MinutesError(_("Bitte eine Zahl von 1 bis %(n)s Tagen eingeben.", n=MAX_REVIEW_DAYS),
                           field="days")
    _complete_register(actor, meeting, unrecorded_as)
    _move(actor, meeting, "submit_for_review", review_until=local_today() + timedelta(days=days))
    people = attendees(meeting)
    for person in people:
        notify(person, "minutes_review", meeting=meeting, link=minutes_link(meeting))
    return people


def _complete_register(actor, meeting: Meeting, mark: str | None) -> None:
    missing = unrecorded(meeting)
    if not missing:
        return
    if mark not in UNRECORDED_MARKS:
        raise MinutesError(ngettext(
            "%(num)s eingeladene Person ist noch nicht erfasst. Bitte die Anwesenheitsliste "
            "vervollständigen oder sie hier als abwesend oder entschuldigt vermerken.",
            "%(num)s Eingeladene sind noch nicht erfasst. Bitte die Anwesenheitsliste "
            "vervollständigen oder sie hier alle als abwesend oder entschuldigt vermerken.",
            len(missing)), field="unrecorded")
    register.set_attendance(actor, meeting, {p.id: mark for p in missing})


def return_to_draft(actor, meeting: Meeting) -> None:
    """in_review → draft, e.g. to rework more than adopted comments need."""
    _move(actor, meeting, "return_to_draft")


def approve(actor, meeting: Meeting, early: bool = False) -> None:
    """in_review → approved, by the office; before the review period ends only when `early`
    confirms that the reviewers' remaining time is cut short."""
    _check(meeting, "approve")
    if review_running(meeting) and not early:
        raise MinutesError(_("Die Abstimmung läuft noch bis zum %(date)s. Bitte bestätigen Sie, dass "
                             "Sie das Protokoll schon vorher genehmigen.",
                             date=format_date(meeting.review_until, "long")), field="confirm")
    _move(actor, meeting, "approve", approved_at=utcnow(), approved_by_id=actor.id,
          approved_in_meeting_id=None)


def approve_in_meeting(actor, next_meeting: Meeting, decision: Decision,
                       previous: Meeting | None = None) -> Meeting:
    """in_review → approved by a decision of the next meeting of the series (its agenda item
    "Genehmigung des Protokolls"). `previous` defaults to the series' previous meeting.
    Returns the meeting whose minutes were approved."""
    if previous is None:
        previous = previous_meeting(next_meeting)
    if previous is None:
        raise MinutesError(_("Es gibt keine vorige Sitzung, deren Protokoll genehmigt werden könnte."))
    if decision.meeting_id != next_meeting.id:
        raise MinutesError(_("Der Beschluss gehört nicht zu diesem Treffen."))
    changes = _move(actor, previous, "approve", approved_at=utcnow(), approved_by_id=actor.id,
                    approved_in_meeting_id=next_meeting.id)
    record(actor, "minutes.approved_by_decision", decision,
           {"approved_meeting_id": (None, previous.id), **changes})
    return previous


def publish(actor, meeting: Meeting) -> None:
    """approved → published: the content is frozen, the PDF archived, and every attendee gets
    the decisions and their own action items by mail."""
    _move(actor, meeting, "publish", published_at=utcnow(), published_by_id=actor.id)
    db.session.flush()
    archive_minutes(meeting)
    decisions = list(db.session.scalars(
        select(Decision).where(Decision.meeting_id == meeting.id).order_by(Decision.number)))
    items_by_owner: dict[int, list[ActionItem]] = {}
    for item in db.session.scalars(
        select(ActionItem).where(ActionItem.meeting_id == meeting.id)
        .order_by(ActionItem.due_on, ActionItem.id)
    ):
        items_by_owner.setdefault(item.owner_id, []).append(item)
    recipients = {person.id: person for person in attendees(meeting)}
    if items_by_owner:  # owners who were not there learn of their action items too
        for person in db.session.scalars(
            select(Person).where(Person.id.in_(items_by_owner), Person.active)
        ):
            recipients.setdefault(person.id, person)
    for person in sorted(recipients.values(), key=lambda p: p.name):
        notify(person, "minutes_published", meeting=meeting, link=minutes_link(meeting),
               decisions=decisions, action_items=items_by_owner.get(person.id, []))


def add_amendment(actor, meeting: Meeting, text: str) -> MinutesAmendment:
    """A dated correction of published minutes, signed off by the acting office person;
    the minutes PDF is archived again with it."""
    if not can_be_amended(meeting):
        raise _refuse(meeting, "amend")
    text = (text or "").strip()
    if not text:
        raise MinutesError(_("Bitte den Text des Nachtrags eingeben."), field="text")
    amendment = MinutesAmendment(meeting_id=meeting.id, text=text, author_id=actor.id,
                                 signed_off_by_id=actor.id, created_at=utcnow())
    db.session.add(amendment)
    db.session.flush()
    record(actor, "minutes.amend", amendment, {"text": (None, text), "meeting_id": (None, meeting.id)})
    archive_minutes(meeting, amendment)
    return amendment


# review comments ---------------------------------------------------------------------------

def add_comment(actor, meeting: Meeting, agenda_item: AgendaItem | None, text: str) -> MinutesComment:
    """A review comment by an attendee while the minutes are in review; the people who answer
    it (see comment_readers) each get a mail with it."""
    if not takes_comments(meeting):
        raise MinutesError(_("Anmerkungen sind nur möglich, solange das Protokoll in Abstimmung ist."))
    text = (text or "").strip()
    if not text:
        raise MinutesError(_("Bitte eine Anmerkung eingeben."), field="text")
    comment = MinutesComment(meeting_id=meeting.id, agenda_item_id=getattr(agenda_item, "id", None),
                             author_id=actor.id, text=text, status=CommentStatus.OPEN, created_at=utcnow())
    db.session.add(comment)
    db.session.flush()
    record(actor, "minutes.comment", comment, {"text": (None, text)})
    link = external_url("minutes.show", meeting_id=meeting.id, answer=comment.id,
                        _anchor=f"comment-{comment.id}")
    for person in comment_readers(meeting, actor):
        notify(person, "minutes_comment", meeting=meeting, comment=comment, agenda_item=agenda_item,
               author=actor, link=link)
    return comment


def comment_readers(meeting: Meeting, author) -> list[Person]:
    """Who hears of a review comment: the minute-taker and the organizer (the moderator when
    neither is named), active, not the comment's author."""
    people = [meeting.minute_taker, meeting.organizer] if (
        meeting.minute_taker_id or meeting.organizer_id) else [meeting.moderator]
    readers = {p.id: p for p in people if p is not None and p.active and p.id != author.id}
    return list(readers.values())


def answer_comment(actor, meeting: Meeting, comment: MinutesComment, reply: str,
                   adopt: bool = False) -> MinutesComment:
    """The minute-taker answers a comment, or adopts it: then the text it concerns can be
    changed to work it in, while the minutes stay in review (ensure_text_editable)."""
    if not answers_comments(meeting):
        raise MinutesError(_("Anmerkungen können nur im Entwurf oder in der Abstimmung "
                             "beantwortet werden."))
    reply = (reply or "").strip()
    if not reply and not adopt:
        raise MinutesError(_("Bitte eine Antwort eingeben oder die Anmerkung übernehmen."), field="reply")
    changes = apply_changes(comment, {
        "reply": reply, "status": CommentStatus.ADOPTED if adopt else CommentStatus.ANSWERED,
        "replied_by_id": actor.id, "replied_at": utcnow(),
    })
    record(actor, "minutes.comment_answer", comment, changes)
    return comment


# who gets mail -------------------------------------------------------------------------------

def attendees(meeting: Meeting) -> list[Person]:
    """The people marked present in the attendance register (guests have no account)."""
    return list(db.session.scalars(
        select(Person)
        .join(Participation, Participation.person_id == Person.id)
        .where(Participation.meeting_id == meeting.id, Participation.attendance == Attendance.PRESENT,
               Person.active)
        .order_by(Person.name)
    ))


def minutes_link(meeting: Meeting) -> str:
    return external_url("minutes.show", meeting_id=meeting.id)


# reading -------------------------------------------------------------------------------------

@dataclass
class ReviewData:
    """What the minutes page adds to the minutes themselves: comments and revisions."""

    comments: dict[int | None, list[MinutesComment]] = field(default_factory=dict)
    revisions: list[MinutesRevision] = field(default_factory=list)
    approved_in: Meeting | None = None
    draft: bool = False  # every text can be written
    in_review: bool = False  # texts with an adopted comment can be written

    def text_editable(self, item: AgendaItem) -> bool:
        """The item's minutes text can be written now (as ensure_text_editable decides)."""
        if self.draft:
            return True
        adopted = [c for key in (item.id, None) for c in self.comments.get(key, []) if c.is_adopted]
        return self.in_review and bool(adopted)


def review_data(meeting: Meeting, with_revisions: bool) -> ReviewData:
    data = ReviewData(draft=is_draft(meeting), in_review=takes_comments(meeting) and not meeting.is_cancelled)
    if answers_comments(meeting):
        for comment in db.session.scalars(
            select(MinutesComment).where(MinutesComment.meeting_id == meeting.id)
            .options(joinedload(MinutesComment.author), joinedload(MinutesComment.replied_by))
            .order_by(MinutesComment.created_at, MinutesComment.id)
        ):
            data.comments.setdefault(comment.agenda_item_id, []).append(comment)
    if with_revisions:
        data.revisions = list(db.session.scalars(
            select(MinutesRevision).where(MinutesRevision.meeting_id == meeting.id)
            .options(joinedload(MinutesRevision.author), defer(MinutesRevision.content))
            .order_by(MinutesRevision.version.desc())
        ))
    if meeting.approved_in_meeting_id is not None:
        data.approved_in = db.session.get(Meeting, meeting.approved_in_meeting_id)
    return data
