"""The minutes of a meeting with everything they show, loaded in a fixed number of queries:
what the minutes page and the minutes PDF (portal.documents.minutes_pdf) both read."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.actions.models import ActionItem, CarriedActionItem
from portal.extensions import db
from portal.meetings.models import AgendaItem, Attendance, Decision, Meeting, MinutesStatus, Participation
from portal.members.models import Person
from portal.minutes.models import MinutesAmendment
from portal.types import utcnow

# Minutes in these states are not yet approved: every page says so.
DRAFT_STATES = (MinutesStatus.NONE, MinutesStatus.DRAFT, MinutesStatus.IN_REVIEW)
ATTENDANCE_ORDER = (Attendance.PRESENT, Attendance.EXCUSED, Attendance.ABSENT, Attendance.UNKNOWN)
ATTENDANCE_HEADINGS = {Attendance.PRESENT: _l("Anwesend"), Attendance.EXCUSED: _l("Entschuldigt"),
                       Attendance.ABSENT: _l("Abwesend"), Attendance.UNKNOWN: _l("Anwesenheit nicht erfasst")}


@dataclass
class AgendaEntry:
    item: AgendaItem
    decisions: list[Decision] = field(default_factory=list)
    action_items: list[ActionItem] = field(default_factory=list)


@dataclass
class MinutesData:
    """Everything the print template reads, loaded in a fixed number of queries."""

    meeting: Meeting
    agenda: list[AgendaEntry]
    other_decisions: list[Decision]  # not attached to an agenda item
    other_action_items: list[ActionItem]
    action_items: list[ActionItem]  # all items created in this meeting
    carried: list[CarriedActionItem]
    amendments: list[MinutesAmendment]
    attendance: dict[str, list[Participation]]  # people by attendance, guests apart
    guests: list[Participation]
    draft: bool
    approved_in: Meeting | None = None  # the later meeting whose decision approved these minutes
    # (members, guests) by attendance, when the lists above hold only the first names (the web page)
    counts: dict[str, tuple[int, int]] | None = None
    version: int | None = None  # the archived version this rendering becomes
    rendered_at: datetime = field(default_factory=utcnow)

    @property
    def planned_minutes(self) -> int:
        return sum(entry.item.planned_minutes or 0 for entry in self.agenda)

    def guests_marked(self, state: str) -> list[Participation]:
        return [guest for guest in self.guests if guest.attendance == state]

    def counted(self, state: str) -> tuple[int, int]:
        """How many members and guests are marked `state`, named or not."""
        if self.counts is not None:
            return self.counts.get(state, (0, 0))
        return len(self.attendance[state]), len(self.guests_marked(state))

    def attendance_heading(self, state: str) -> str:
        """"Anwesend (10) und 1 Gast": the members, then the guests so marked; the same words
        on the minutes page and in the PDF."""
        heading = str(ATTENDANCE_HEADINGS[state])
        members, guests = self.counted(state)
        if not guests:
            return _("%(state)s (%(n)s)", state=heading, n=members)
        return ngettext("%(state)s (%(n)s) und %(num)s Gast", "%(state)s (%(n)s) und %(num)s Gäste",
                        guests, state=heading, n=members)


def minutes_graph(participations=None) -> tuple:
    """The loader options of a meeting with everything its minutes show; `participations` another
    option for those (e.g. the viewer's own only, when load_minutes names a few attendees)."""
    return (
        joinedload(Meeting.group),
        joinedload(Meeting.moderator),
        joinedload(Meeting.minute_taker),
        joinedload(Meeting.approved_by),
        joinedload(Meeting.published_by),
        selectinload(Meeting.agenda_items).joinedload(AgendaItem.presenter),
        participations or selectinload(Meeting.participations)
        .joinedload(Participation.person)
        .joinedload(Person.organization),
        selectinload(Meeting.decisions),
    )


def load_minutes(meeting: Meeting, *, draft: bool | None = None, version: int | None = None,
                 loaded: bool = False, attendees: int | None = None) -> MinutesData:
    """The meeting with its whole graph (seven or eight queries, whatever its size). `loaded`:
    the meeting was read with minutes_graph() in this request, and is used as it is unless a
    rollback has expired it since (the participations of a plenary are not read twice).
    `attendees`: name only the first so many of each attendance state, and count them all in
    SQL (two queries more); the meeting's participations are then not read at all."""
    if not (loaded and not inspect(meeting).expired):
        meeting = db.session.scalars(
            select(Meeting).where(Meeting.id == meeting.id).options(*minutes_graph())
            .execution_options(populate_existing=True)
        ).one()
    action_items = list(db.session.scalars(
        select(ActionItem)
        .where(ActionItem.meeting_id == meeting.id)
        .options(joinedload(ActionItem.owner))
        .order_by(ActionItem.due_on, ActionItem.id)
    ))
    carried = list(db.session.scalars(
        select(CarriedActionItem)
        .join(CarriedActionItem.action_item)
        .where(CarriedActionItem.meeting_id == meeting.id)
        .options(joinedload(CarriedActionItem.action_item).joinedload(ActionItem.owner),
                 joinedload(CarriedActionItem.action_item).joinedload(ActionItem.meeting))
        .order_by(ActionItem.due_on, ActionItem.id)
    ).unique())
    amendments = list(db.session.scalars(
        select(MinutesAmendment)
        .where(MinutesAmendment.meeting_id == meeting.id)
        .options(joinedload(MinutesAmendment.signed_off_by), joinedload(MinutesAmendment.author))
        .order_by(MinutesAmendment.created_at, MinutesAmendment.id)
    ))

    approved_in = (db.session.get(Meeting, meeting.approved_in_meeting_id)
                   if meeting.approved_in_meeting_id else None)

    entries = {item.id: AgendaEntry(item) for item in meeting.agenda_items}
    other_decisions, other_items = [], []
    for decision in meeting.decisions:
        entry = entries.get(decision.agenda_item_id)
        (entry.decisions if entry else other_decisions).append(decision)
    for action in action_items:
        entry = entries.get(action.agenda_item_id)
        (entry.action_items if entry else other_items).append(action)

    attendance: dict[str, list[Participation]] = {state: [] for state in ATTENDANCE_ORDER}
    guests = []
    named, counts = (meeting.participations, None) if attendees is None else _first_named(meeting, attendees)
    for participation in named:
        if participation.person is None:
            guests.append(participation)
        else:
            attendance[participation.attendance].append(participation)
    for people in attendance.values():
        people.sort(key=lambda p: p.person.name.casefold())
    guests.sort(key=lambda p: p.guest_name.casefold())

    return MinutesData(
        meeting=meeting, agenda=list(entries.values()), other_decisions=other_decisions,
        other_action_items=other_items, action_items=action_items, carried=carried,
        amendments=amendments, attendance=attendance, guests=guests, approved_in=approved_in,
        draft=meeting.minutes_status in DRAFT_STATES if draft is None else draft,
        version=version, counts=counts,
    )


def _first_named(meeting: Meeting, limit: int) -> tuple[list[Participation], dict[str, tuple[int, int]]]:
    """Of each attendance state the first `limit` members and guests by name, and how many
    members and guests each state has (two queries, whatever the meeting's size)."""
    is_guest = Participation.person_id.is_(None)
    name = func.lower(func.coalesce(Person.name, Participation.guest_name))
    rank = func.row_number().over(partition_by=(is_guest, Participation.attendance),
                                  order_by=(name, Participation.id)).label("rank")
    ranked = (select(Participation.id, rank).outerjoin(Participation.person)
              .where(Participation.meeting_id == meeting.id).subquery())
    named = list(db.session.scalars(
        select(Participation).join(ranked, ranked.c.id == Participation.id).where(ranked.c.rank <= limit)
        .outerjoin(Participation.person).outerjoin(Person.organization)
        .options(contains_eager(Participation.person).contains_eager(Person.organization))))
    counts: dict[str, list[int]] = {}
    for guest, state, number in db.session.execute(
            select(is_guest, Participation.attendance, func.count())
            .where(Participation.meeting_id == meeting.id).group_by(is_guest, Participation.attendance)):
        counts.setdefault(state, [0, 0])[1 if guest else 0] += number
    return named, {state: (members, guests) for state, (members, guests) in counts.items()}
