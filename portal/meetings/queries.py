"""What the meeting pages show, each loaded with a fixed number of queries (none per row)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.groups.models import WorkingGroup
from portal.meetings.invitations import invitable_people
from portal.meetings.models import AgendaItem, Meeting, Participation
from portal.members.models import Person
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


def meeting_for_page(meeting_id: int) -> Meeting:
    """The meeting with everything its page shows, or 404."""
    query = (
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            joinedload(Meeting.group), joinedload(Meeting.organizer), joinedload(Meeting.moderator),
            joinedload(Meeting.minute_taker),
            selectinload(Meeting.agenda_items).joinedload(AgendaItem.presenter),
            selectinload(Meeting.participations).joinedload(Participation.person)
            .joinedload(Person.organization),
        )
    )
    return db.first_or_404(query)


def people_choices() -> list[tuple[int, str]]:
    """(id, name) of everyone who can take part in a meeting."""
    query = invitable_people().with_only_columns(Person.id, Person.name)
    return [(person_id, name) for person_id, name in db.session.execute(query)]


def group_choices(group_ids=None) -> list[WorkingGroup]:
    query = select(WorkingGroup).where(WorkingGroup.archived_at.is_(None)).order_by(WorkingGroup.name)
    if group_ids is not None:
        query = query.where(WorkingGroup.id.in_(group_ids))
    return list(db.session.scalars(query))

