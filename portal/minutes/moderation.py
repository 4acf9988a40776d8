"""Live moderation of a meeting: the current agenda item and its time, the minutes text of each
item (with revisions and an optimistic lock), decisions numbered per meeting, and action items
created in place.

Plain functions: they take the acting person and objects, add to the session and never commit.
Everything here writes minutes, so it first asks workflow.ensure_editable (the draft begins with
the first entry; after the draft nothing changes here).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from portal.actions import items as actions
from portal.actions.items import create_action_item
from portal.actions.models import ActionItem, CarriedActionItem
from portal.audit.record import apply_changes, record
from portal.extensions import db
from portal.meetings.models import AgendaItem, Decision, Meeting
from portal.meetings.planning import mark_held
from portal.meetings.series import previous_meeting
from portal.members.models import Person
from portal.minutes import workflow
from portal.minutes.models import MinutesRevision
from portal.types import BERLIN, local_today, utcnow

MAX_TEXT = 100_000
MAX_DECISION = 5_000

# the current agenda item and its time --------------------------------------------------------

def current_item(meeting: Meeting) -> AgendaItem | None:
    """The agenda item running now: started and not ended (the latest started, if several)."""
    running = [i for i in meeting.agenda_items if i.started_at is not None and i.ended_at is None]
    return max(running, key=lambda i: i.started_at) if running else None


@dataclass
class Timing:
    elapsed: int  # whole minutes since the start (until the end, if ended)
    planned: int
    running: bool

    @property
    def over(self) -> int:
        return max(self.elapsed - self.planned, 0)


def timing(item: AgendaItem, now: datetime | None = None) -> Timing | None:
    if item.started_at is None:
        return None
    end = item.ended_at or now or utcnow()
    seconds = max((end - item.started_at).total_seconds(), 0)
    return Timing(elapsed=math.floor(seconds / 60), planned=item.planned_minutes or 0,
                  running=item.ended_at is None)


def _end(actor, item: AgendaItem, now: datetime) -> None:
    changes = apply_changes(item, {"ended_at": now})
    record(actor, "agenda.end", item, changes)


def in_preparation(meeting: Meeting) -> bool:
    """Before the meeting's day (in Berlin): texts can be prepared, but no agenda item runs yet."""
    return local_today() < meeting.starts_at.astimezone(BERLIN).date()


def begun(meeting: Meeting) -> bool:
    """An agenda item has been started: the meeting is under way (or over), it begins no more."""
    return any(i.started_at is not None for i in meeting.agenda_items)


def at_last_item(meeting: Meeting) -> bool:
    """The last agenda item has been started: from now on the meeting can end."""
    items = meeting.agenda_items
    return bool(items) and items[-1].started_at is not None


def following_item(meeting: Meeting) -> AgendaItem | None:
    """What "Nächster TOP" starts: the item after the running one, else the first not yet begun."""
    items = list(meeting.agenda_items)
    running = current_item(meeting)
    if running is not None:
        following = items[items.index(running) + 1:]
    else:
        following = [i for i in items if i.started_at is None]
    return following[0] if following else None


def start_item(actor, item: AgendaItem) -> None:
    """Make `item` the current one; the item running so far ends now. Starting an item again
    restarts its clock. Before the meeting's day nothing runs: that is preparation."""
    meeting = item.meeting
    workflow.ensure_editable(actor, meeting)
    if in_preparation(meeting):
        raise workflow.MinutesError(_(
            "Vorbereitung: Die Sitzung beginnt am %(date)s. Bis dahin lassen sich die Protokolltexte "
            "vorbereiten; Tagesordnungspunkte laufen erst ab dem Tag der Sitzung.",
            date=f"{meeting.starts_at.astimezone(BERLIN):%d.%m.%Y}"))
    now = utcnow()
    running = current_item(meeting)
    if running is not None and running is not item:
        _end(actor, running, now)
    changes = apply_changes(item, {"started_at": now, "ended_at": None})
    record(actor, "agenda.start", item, changes)


def next_item(actor, meeting: Meeting) -> AgendaItem | None:
    """End the current item and start the one after it (by position); None at the end."""
    workflow.ensure_editable(actor, meeting)
    following = following_item(meeting)
    if following is None:
        end_current(actor, meeting)
        return None
    start_item(actor, following)
    return following


def end_current(actor, meeting: Meeting) -> AgendaItem | None:
    workflow.ensure_editable(actor, meeting)
    running = current_item(meeting)
    if running is not None:
        _end(actor, running, utcnow())
    return running


def finish_meeting(actor, meeting: Meeting) -> None:
    """"Sitzung beenden", once the last agenda item has begun: the running item ends and a meeting
    still planned is marked held."""
    workflow.ensure_editable(actor, meeting)
    if not at_last_item(meeting):
        raise workflow.MinutesError(_("Die Sitzung lässt sich erst nach dem letzten "
                                     "Tagesordnungspunkt beenden."))
    end_current(actor, meeting)
    if meeting.is_planned:
        mark_held(actor, meeting)


# minutes text with revisions -----------------------------------------------------------------

class MinutesConflict(Exception):
    """Someone else saved this item's text since the editor began; nothing was written."""

    def __init__(self, item: AgendaItem, theirs: str, yours: str, version: int,
                 revision: MinutesRevision | None) -> None:
        super().__init__("minutes edited concurrently")
        self.item, self.theirs, self.yours = item, theirs, yours
        self.version, self.revision = version, revision


def snapshot(meeting: Meeting) -> dict:
    return {"items": [
        {"id": i.id, "position": i.position, "title": i.title, "text": i.minutes_text or ""}
        for i in meeting.agenda_items
    ]}


def _lock(meeting: Meeting) -> None:
    """Hold the meeting's row until the commit, so that concurrent saves of its minutes and
    decisions take turns (PostgreSQL; SQLite's write transactions already do)."""
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())


def _revision(meeting: Meeting, version: int) -> MinutesRevision | None:
    return db.session.scalar(select(MinutesRevision).where(
        MinutesRevision.meeting_id == meeting.id, MinutesRevision.version == version))


def _text_in(revision: MinutesRevision | None, item: AgendaItem) -> str | None:
    if revision is None:
        return None
    for entry in (revision.content or {}).get("items", []):
        if entry.get("id") == item.id:
            return entry.get("text", "")
    return ""  # the item was added after that revision


def save_minutes_text(actor, item: AgendaItem, text: str, base_version: int) -> MinutesRevision:
    """Save the minutes text of one agenda item, edited from the minutes at `base_version`.

    Every save bumps the meeting's minutes version and appends a revision (a snapshot of all
    items' texts, with author and time). If the version moved on since `base_version` and this
    item's text was changed meanwhile, MinutesConflict is raised and nothing is written; changes
    to other items in between are no conflict.
    """
    meeting = item.meeting
    workflow.ensure_text_editable(actor, item)
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_TEXT:
        raise workflow.MinutesError(_("Der Text ist zu lang (höchstens %(n)s Zeichen).", n=MAX_TEXT),
                                    field="text")
    _lock(meeting)
    # what the saves before ours committed, read once we hold the lock
    db.session.refresh(meeting, ["minutes_version"])
    db.session.refresh(item, ["minutes_text"])
    current = meeting.minutes_version
    theirs = item.minutes_text or ""
    if base_version != current and theirs not in ("", text):
        if theirs != _text_in(_revision(meeting, base_version), item):
            raise MinutesConflict(item, theirs, text, current, _revision(meeting, current))
    # the version moves on only if nobody saved since this transaction read it
    moved = db.session.execute(
        update(Meeting).where(Meeting.id == meeting.id, Meeting.minutes_version == current)
        .values(minutes_version=current + 1)
    ).rowcount
    if moved != 1:
        db.session.refresh(meeting)
        db.session.refresh(item)
        raise MinutesConflict(item, item.minutes_text or "", text, meeting.minutes_version,
                              _revision(meeting, meeting.minutes_version))
    meeting.minutes_version = current + 1
    changes = apply_changes(item, {"minutes_text": text})
    revision = MinutesRevision(meeting_id=meeting.id, version=current + 1, author_id=actor.id,
                               created_at=utcnow(), content=snapshot(meeting))
    db.session.add(revision)
    record(actor, "minutes.text", item, {**changes, "minutes_version": (current, current + 1)})
    return revision


def keep_typed_text(actor, item: AgendaItem, text: str, base_version: int) -> MinutesRevision | None:
    """Before the agenda item changes: the text typed into `item`'s minutes is saved (like
    save_minutes_text) when it differs from the stored one; None when there was nothing new."""
    if (text or "").replace("\r\n", "\n") == (item.minutes_text or ""):
        return None
    return save_minutes_text(actor, item, text, base_version)


# decisions -----------------------------------------------------------------------------------

def _votes(*values: int | None) -> None:
    if any(v is not None and v < 0 for v in values):
        raise workflow.MinutesError(_("Stimmenzahlen dürfen nicht negativ sein."))


def add_decision(actor, item: AgendaItem, text: str, votes_yes: int | None = None,
                 votes_no: int | None = None, votes_abstain: int | None = None) -> Decision:
    """A decision (Beschluss) under `item`, numbered on from the meeting's last one."""
    meeting = item.meeting
    workflow.ensure_editable(actor, meeting)
    text = (text or "").strip()
    if not text:
        raise workflow.MinutesError(_("Bitte den Wortlaut des Beschlusses eingeben."), field="text")
    if len(text) > MAX_DECISION:
        raise workflow.MinutesError(_("Der Beschluss ist zu lang (höchstens %(n)s Zeichen).",
                                      n=MAX_DECISION), field="text")
    _votes(votes_yes, votes_no, votes_abstain)
    _lock(meeting)  # one number per meeting
    number = (db.session.scalar(
        select(func.max(Decision.number)).where(Decision.meeting_id == meeting.id)) or 0) + 1
    decision = Decision(meeting=meeting, agenda_item=item, number=number, text=text,
                        votes_yes=votes_yes, votes_no=votes_no, votes_abstain=votes_abstain,
                        created_at=utcnow())
    db.session.add(decision)
    db.session.flush()
    record(actor, "decision.create", decision, {
        "number": (None, number), "text": (None, text), "agenda_item_id": (None, item.id),
        "votes": (None, [votes_yes, votes_no, votes_abstain]),
    })
    return decision


def approve_previous_minutes(actor, item: AgendaItem, votes_yes: int | None = None,
                             votes_no: int | None = None, votes_abstain: int | None = None,
                             previous: Meeting | None = None) -> tuple[Decision, Meeting]:
    """On the agenda item "Genehmigung des Protokolls": the meeting decides to approve the
    minutes of the previous meeting of its series; recorded as a numbered decision."""
    if not item.approves_minutes:
        raise workflow.MinutesError(_("Protokolle werden unter dem TOP „Genehmigung des Protokolls“ "
                                     "genehmigt."))
    meeting = item.meeting
    if previous is None:
        previous = previous_meeting(meeting)
    if previous is None or not workflow.awaits_approval(previous):
        raise workflow.MinutesError(_("Das Protokoll der vorigen Sitzung liegt nicht zur Genehmigung "
                                     "vor (es muss in Abstimmung sein)."))
    text = _("Das Protokoll der Sitzung „%(title)s“ vom %(date)s wird genehmigt.",
             title=previous.title, date=f"{previous.starts_at.astimezone(BERLIN):%d.%m.%Y}")
    decision = add_decision(actor, item, text, votes_yes, votes_no, votes_abstain)
    workflow.approve_in_meeting(actor, meeting, decision, previous=previous)
    return decision, previous


# action items --------------------------------------------------------------------------------

def add_action_item(actor, item: AgendaItem, *, title: str, owner: Person | None, due_on: date | None,
                    description: str = "", decision: Decision | None = None) -> ActionItem:
    """An action item born under `item` (and, if given, of one of the meeting's decisions)."""
    meeting = item.meeting
    workflow.ensure_editable(actor, meeting)
    if decision is not None and decision.meeting_id != meeting.id:
        raise workflow.MinutesError(_("Der Beschluss gehört nicht zu diesem Treffen."), field="decision")
    return create_action_item(actor, title=title, owner=owner, due_on=due_on, meeting=meeting,
                              agenda_item=item, decision=decision, description=description)


def carried_items(meeting: Meeting) -> list[CarriedActionItem]:
    """The open action items this meeting took up ("Offene Aufgaben")."""
    return actions.carried_items(meeting)


def refresh_carried(actor, meeting: Meeting) -> list[CarriedActionItem]:
    """Take up action items that became open since the list was made."""
    workflow.ensure_editable(actor, meeting)
    return actions.carry_forward(meeting)


def report_carried(actor, carried: CarriedActionItem, status: str, note: str = "") -> None:
    """Under "Offene Aufgaben": the status of an earlier action item as reported in this
    meeting; a changed status changes the item itself."""
    workflow.ensure_editable(actor, carried.meeting)
    actions.update_carried(actor, carried, status, note)


# what the moderation page shows ----------------------------------------------------------------

@dataclass
class Board:
    """The meeting at a glance: the current item, each item's time, decisions and action items."""

    current: AgendaItem | None
    following: AgendaItem | None  # what "Nächster TOP" starts
    begun: bool  # no "Sitzung beginnen" once an item has run
    can_finish: bool  # "Sitzung beenden": the last item has begun, and something is left to end
    preparing: bool  # before the meeting's day
    timings: dict[int, Timing | None]
    decisions: dict[int | None, list[Decision]]
    action_items: dict[int | None, list[ActionItem]]
    planned_total: int

    def decisions_of(self, item: AgendaItem) -> list[Decision]:
        return self.decisions.get(item.id, [])

    def action_items_of(self, item: AgendaItem) -> list[ActionItem]:
        return self.action_items.get(item.id, [])


def board(meeting: Meeting, now: datetime) -> Board:
    """Built from the meeting's loaded agenda and decisions plus one query for action items."""
    decisions: dict[int | None, list[Decision]] = {}
    for decision in meeting.decisions:
        decisions.setdefault(decision.agenda_item_id, []).append(decision)
    action_items: dict[int | None, list[ActionItem]] = {}
    for item in db.session.scalars(
        select(ActionItem).where(ActionItem.meeting_id == meeting.id)
        .options(joinedload(ActionItem.owner)).order_by(ActionItem.id)
    ):
        action_items.setdefault(item.agenda_item_id, []).append(item)
    current = current_item(meeting)
    return Board(
        current=current, following=following_item(meeting), begun=begun(meeting),
        can_finish=at_last_item(meeting) and (current is not None or meeting.is_planned),
        preparing=in_preparation(meeting),
        timings={item.id: timing(item, now) for item in meeting.agenda_items},
        decisions=decisions, action_items=action_items,
        planned_total=sum(item.planned_minutes or 0 for item in meeting.agenda_items),
    )
