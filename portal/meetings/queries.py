"""What the meeting pages show, each loaded with a fixed number of queries (none per row)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import false, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.database import contains_folded
from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.meetings.models import RSVPS, AgendaItem, Meeting, Participation
from portal.members.models import Organization, Person
from portal.params import parse_int
from portal.types import BERLIN, utcnow

WHEN = ("", "upcoming", "past")
# years the list can be filtered by: wide enough for any record, narrow enough for datetime
FILTER_YEARS = range(1900, 3000)


@dataclass
class Filters:
    group: int | None = None
    kind: str = ""
    year: int | None = None
    when: str = ""
    problem: str = ""  # why a filter of the URL was left out, for the user

    @classmethod
    def from_args(cls, args) -> Filters:
        kind = args.get("kind", "")
        when = args.get("when", "")
        filters = cls(group=args.get("group", type=int), kind=kind if kind in ("plenary", "group") else "",
                      when=when if when in WHEN else "")
        raw_year = args.get("year", "").strip()
        year = args.get("year", type=int)
        if year in FILTER_YEARS:
            filters.year = year
        elif raw_year:
            filters.problem = _("„%(year)s“ ist kein gültiges Jahr; es werden die Treffen aller Jahre gezeigt.",
                                year=raw_year)
        return filters

    def args(self) -> dict:
        """The filters as URL parameters (for pagination links)."""
        values = {"group": self.group, "kind": self.kind, "year": self.year, "when": self.when}
        return {k: v for k, v in values.items() if v}


@dataclass
class MeetingList:
    filters: Filters
    upcoming: Pagination | None
    past: Pagination | None
    groups: list[WorkingGroup] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def _filtered(filters: Filters):
    query = select(Meeting).options(joinedload(Meeting.group))
    if filters.group:
        query = query.where(Meeting.group_id == filters.group)
    if filters.kind:
        query = query.where(Meeting.kind == filters.kind)
    if filters.year:
        start = datetime(filters.year, 1, 1, tzinfo=BERLIN).astimezone(timezone.utc)
        end = datetime(filters.year + 1, 1, 1, tzinfo=BERLIN).astimezone(timezone.utc)
        query = query.where(Meeting.starts_at >= start, Meeting.starts_at < end)
    return query


def meeting_list(filters: Filters, page: int, per_page: int) -> MeetingList:
    """Upcoming meetings (soonest first) and past ones (latest first). Without a `when` filter
    both are shown and the page number turns the pages of the past ones."""
    now = utcnow()
    upcoming = past = None
    if filters.when in ("", "upcoming"):
        query = _filtered(filters).where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.id)
        upcoming = db.paginate(query, page=page if filters.when else 1, per_page=per_page, error_out=False)
    if filters.when in ("", "past"):
        query = _filtered(filters).where(Meeting.ends_at < now).order_by(Meeting.starts_at.desc(),
                                                                        Meeting.id.desc())
        past = db.paginate(query, page=page, per_page=per_page, error_out=False)
    groups = list(db.session.scalars(select(WorkingGroup).order_by(WorkingGroup.name)))
    first, last = db.session.execute(select(func.min(Meeting.starts_at), func.max(Meeting.starts_at))).one()
    years = list(range(last.astimezone(BERLIN).year, first.astimezone(BERLIN).year - 1, -1)) if first else []
    return MeetingList(filters, upcoming, past, groups, years)


def meeting_for_page(meeting_id: int, people: bool = True) -> Meeting:
    """The meeting with everything its page shows, or 404. Without `people` its participations
    come bare (for the rules and the changes; the rows a page lists come from invitee_page)."""
    participations = selectinload(Meeting.participations)
    return _meeting_with(meeting_id, participations.joinedload(Participation.person)
                         .joinedload(Person.organization) if people else participations)


@contextmanager
def meeting_for_viewer(meeting_id: int, viewer_id: int | None) -> Iterator[Meeting]:
    """The meeting for a page that reads it and changes nothing, or 404: of its participations
    only the viewer's own is loaded, what the rules (invited? present?) and her answer read.
    Whatever else such a page shows of them comes from invitee_counts and invitee_page, so that
    it costs the same for a plenary of thousands as for a group of ten. The partial list is
    forgotten when the block ends: nothing after it (a later request of a test that shares the
    session) may take it for the whole."""
    with partial_participations(_meeting_with(meeting_id, own_participation(viewer_id))) as meeting:
        yield meeting


def own_participation(viewer_id: int | None):
    """The loader option of a meeting's participations that loads only the viewer's own."""
    own = Participation.person_id == viewer_id if viewer_id else false()
    return selectinload(Meeting.participations.and_(own))


@contextmanager
def partial_participations(meeting: Meeting) -> Iterator[Meeting]:
    """The meeting, whose participations list is forgotten when the block ends."""
    try:
        yield meeting
    finally:
        db.session.expire(meeting, ["participations"])


def _meeting_with(meeting_id: int, participations) -> Meeting:
    query = (
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.group), joinedload(Meeting.organizer), joinedload(Meeting.moderator),
            joinedload(Meeting.minute_taker),
            selectinload(Meeting.agenda_items).joinedload(AgendaItem.presenter),
            participations,
        )
    )
    return db.first_or_404(query)


# invitees and guests, a page at a time ---------------------------------------------------------

INVITEES_PER_PAGE = 50


@dataclass
class InviteeFilter:
    """Search (name or organization) and answer of the invitee lists, as read from the URL;
    unknown values are ignored."""

    q: str = ""
    answer: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> InviteeFilter:
        answer = args.get("answer", "")
        return cls(q=args.get("q", "").strip()[:100], answer=answer if answer in RSVPS else "",
                   page=parse_int(args.get("page")) or 1)

    def args(self) -> dict:
        """The filters as URL parameters (for pagination links and the form's target)."""
        return {k: v for k, v in {"q": self.q, "answer": self.answer}.items() if v}

    def page_args(self, page: int | None = None) -> dict:
        """The filters and the page (the one read unless given), e.g. to come back to it."""
        page = page or self.page
        return {**self.args(), **({"page": page} if page > 1 else {})}


@dataclass
class InviteeCounts:
    people: dict[str, int]  # invited people by answer
    guests: dict[str, int]  # guests invited by mail, by answer
    total: int  # every participation, guests who just came too
    invited: int = 0  # participations with an invitation, people and guests


def invitee_counts(meeting: Meeting) -> InviteeCounts:
    """How many invitees gave each answer, people and guests apart (one query, no rows loaded)."""
    counts = InviteeCounts({rsvp: 0 for rsvp in RSVPS}, {rsvp: 0 for rsvp in RSVPS}, 0)
    is_guest = Participation.person_id.is_(None)
    invited = Participation.invited_at.is_not(None)
    for guest, was_invited, rsvp, number in db.session.execute(
            select(is_guest, invited, Participation.rsvp, func.count())
            .where(Participation.meeting_id == meeting.id).group_by(is_guest, invited, Participation.rsvp)):
        counts.total += number
        counts.invited += number if was_invited else 0
        if not guest:
            counts.people[rsvp] += number
        elif was_invited:
            counts.guests[rsvp] += number
    return counts


def participant_ids(meeting: Meeting) -> set[int]:
    """The ids of the people in the meeting's list (one query, no rows loaded)."""
    return set(db.session.scalars(select(Participation.person_id).where(
        Participation.meeting_id == meeting.id, Participation.person_id.is_not(None))))


def invitee_page(meeting: Meeting, filters: InviteeFilter, *, walk_ins: bool,
                 per_page: int = INVITEES_PER_PAGE) -> Pagination:
    """One page of the meeting's participations: people by name, then guests by name (two
    queries, whatever the meeting's size). Guests who came without an invitation are listed
    only with `walk_ins` (the attendance register); people always."""
    query = (
        select(Participation)
        .outerjoin(Participation.person).outerjoin(Person.organization)
        .options(contains_eager(Participation.person).contains_eager(Person.organization))
        .where(Participation.meeting_id == meeting.id)
        .order_by(Participation.person_id.is_(None),
                  func.lower(func.coalesce(Person.name, Participation.guest_name)), Participation.id)
    )
    if not walk_ins:
        query = query.where(or_(Participation.person_id.is_not(None), Participation.invited_at.is_not(None)))
    if filters.q:
        query = query.where(or_(*(contains_folded(column, filters.q) for column in (
            Person.name, Organization.name, Participation.guest_name, Participation.guest_organization))))
    if filters.answer:
        query = query.where(Participation.rsvp == filters.answer)
    listing = db.paginate(query, page=filters.page, per_page=per_page, error_out=False)
    if not listing.items and listing.pages and filters.page > listing.pages:  # a page past the end: the last
        listing = db.paginate(query, page=listing.pages, per_page=per_page, error_out=False)
    return listing


def group_choices(group_ids=None) -> list[WorkingGroup]:
    query = select(WorkingGroup).where(WorkingGroup.archived_at.is_(None)).order_by(WorkingGroup.name)
    if group_ids is not None:
        query = query.where(WorkingGroup.id.in_(group_ids))
    return list(db.session.scalars(query))

