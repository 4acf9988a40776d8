"""The queries of the progress report: each runs once per report, whatever the amount of data.

Narrow rows or aggregates come from the database; portal.reports.counting counts them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal.actions.models import ActionItem
from portal.extensions import db
from portal.groups.models import Membership, WorkingGroup
from portal.meetings.models import Meeting, Participation
from portal.members.models import Organization, Person, Role
from portal.reports.models import Outcome
from portal.reports.periods import Period
from portal.reports.report import MeetingRow


def first_meeting_start() -> datetime | None:
    """When the alliance's first meeting began: the start of the whole project phase."""
    return db.session.scalar(select(func.min(Meeting.starts_at)).where(Meeting.status != "cancelled"))


# -- queries (each runs once per report) ---------------------------------------------------------

def working_groups(period: Period, group: WorkingGroup | None) -> list[WorkingGroup]:
    query = (select(WorkingGroup).options(selectinload(WorkingGroup.goals))
             .where(or_(WorkingGroup.archived_at.is_(None), WorkingGroup.archived_at >= period.starts_at))
             .order_by(WorkingGroup.name))
    if group is not None:
        query = query.where(WorkingGroup.id == group.id)
    return list(db.session.scalars(query))


def _in_span(span: Period, group: WorkingGroup | None) -> list:
    """Meetings that start in `span` (of the group, if one is given)."""
    conditions = [Meeting.starts_at >= span.starts_at, Meeting.starts_at < span.ends_before]
    if group is not None:
        conditions.append(Meeting.group_id == group.id)
    return conditions


def meetings(span: Period, group: WorkingGroup | None) -> list[Meeting]:
    query = (select(Meeting)
             .options(joinedload(Meeting.group), selectinload(Meeting.decisions))
             .where(*_in_span(span, group))
             .order_by(Meeting.starts_at, Meeting.id))
    return list(db.session.scalars(query))


def attendance_rows(meetings: list[Meeting], span: Period, group: WorkingGroup | None) -> list[MeetingRow]:
    return _attendance(meetings, _in_span(span, group))


def attendance_of(meetings: list[Meeting]) -> list[MeetingRow]:
    """The rows of just these meetings (a page of a list): one query, whatever the period's size."""
    return _attendance(meetings, [Meeting.id.in_([m.id for m in meetings])])


def _attendance(meetings: list[Meeting], conditions: list) -> list[MeetingRow]:
    present = Participation.attendance == "present"
    person = Participation.person_id.is_not(None)
    # organizations: of the members present (a guest without an account never counts)
    query = (select(Participation.meeting_id,
                    func.sum(case((present, 1), else_=0)),
                    func.count(Participation.person_id),
                    func.sum(case((and_(present, person), 1), else_=0)),
                    func.count(distinct(case((present, Person.organization_id)))))
             .join(Meeting, Meeting.id == Participation.meeting_id)
             .outerjoin(Person, Person.id == Participation.person_id)
             .where(*conditions)
             .group_by(Participation.meeting_id))
    counts = {meeting_id: rest for meeting_id, *rest in db.session.execute(query)}
    rows = []
    for meeting in meetings:
        attendances, invited, invited_present, organizations = counts.get(meeting.id, (0, 0, 0, 0))
        rows.append(MeetingRow(meeting=meeting, attendances=int(attendances or 0), invited=int(invited or 0),
                               invited_present=int(invited_present or 0), organizations=int(organizations or 0)))
    return rows


def distinct_participants(periods: list[Period], group: WorkingGroup | None) -> list[int]:
    """Different people present at the held meetings of each period (one query for all)."""
    def people_present(p: Period):
        return (select(func.count(distinct(Participation.person_id)))
                .join(Meeting, Meeting.id == Participation.meeting_id)
                .where(Participation.attendance == "present", Participation.person_id.is_not(None),
                       Meeting.status == "held", *_in_span(p, group))
                .scalar_subquery())

    counts = db.session.execute(select(*(people_present(p) for p in periods))).one()
    return [int(count or 0) for count in counts]


def member_rows(group: WorkingGroup | None) -> list[tuple]:
    """(joined, left, sector, organization id) of every member of the alliance, or of the group's
    memberships."""
    if group is None:
        query = (select(Person.joined_at, Person.left_at, Organization.sector, Person.organization_id)
                 .outerjoin(Organization, Organization.id == Person.organization_id)
                 .where(Person.role == Role.MEMBER))
    else:
        query = (select(Membership.joined_at, Membership.left_at, Organization.sector, Person.organization_id)
                 .join(Person, Person.id == Membership.person_id)
                 .outerjoin(Organization, Organization.id == Person.organization_id)
                 .where(Membership.group_id == group.id, Membership.joined_at.is_not(None)))
    return [tuple(row) for row in db.session.execute(query)]


_ACTION_COLUMNS = (ActionItem.created_at, ActionItem.completed_at, ActionItem.updated_at,
                   ActionItem.status, ActionItem.due_on, ActionItem.decision_id)


def action_rows(period: Period, group: WorkingGroup | None) -> list[tuple]:
    query = select(*_ACTION_COLUMNS).where(ActionItem.created_at < period.ends_before)
    if group is not None:
        query = query.where(ActionItem.group_id == group.id)
    return [tuple(row) for row in db.session.execute(query)]


def group_membership_rows(group: WorkingGroup | None) -> list[tuple]:
    """(organization id, joined, left) of every membership in a working group (of `group`)."""
    query = (select(Person.organization_id, Membership.joined_at, Membership.left_at)
             .join(Person, Person.id == Membership.person_id)
             .where(Membership.joined_at.is_not(None), Person.organization_id.is_not(None)))
    if group is not None:
        query = query.where(Membership.group_id == group.id)
    return [tuple(row) for row in db.session.execute(query)]


def outcomes(group: WorkingGroup | None) -> list[Outcome]:
    query = (select(Outcome)
             .options(selectinload(Outcome.milestones), joinedload(Outcome.group),
                      joinedload(Outcome.origin_meeting), joinedload(Outcome.origin_decision))
             .order_by(Outcome.title))
    if group is not None:
        query = query.where(Outcome.group_id == group.id)
    return list(db.session.scalars(query).unique())
