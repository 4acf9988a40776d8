"""Factories: make(...) builds valid rows with sensible defaults; tests override what matters."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta, timezone

from portal.actions.models import ActionItem
from portal.groups.models import GroupGoal, Membership, WorkingGroup
from portal.jobs.models import Job
from portal.mail import build
from portal.meetings.models import AgendaItem, Decision, Meeting, Participation
from portal.members.models import Organization, Person
from portal.members.passwords import hash_password
from portal.reports.models import FundingPhase, Milestone, Outcome

_seq = itertools.count(1)
PASSWORD = "richtig-geheim-123"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


_HASHES: dict[str, str] = {}


def _hashed(password: str) -> str:
    """One hash per password for the whole run: worlds of many people cost no hashing."""
    if password not in _HASHES:
        _HASHES[password] = hash_password(password)
    return _HASHES[password]


class Factory:
    def __init__(self, session) -> None:
        self.session = session

    def _add(self, obj):
        self.session.add(obj)
        self.session.flush()
        return obj

    def organization(self, **kw) -> Organization:
        n = next(_seq)
        kw.setdefault("name", f"Firma {n} GmbH")
        kw.setdefault("sector", "Handwerk")
        return self._add(Organization(**kw))

    def person(self, role: str = "member", password: str | None = PASSWORD, **kw) -> Person:
        n = next(_seq)
        kw.setdefault("name", f"Person {n}")
        kw.setdefault("email", f"person{n}@example.org")
        person = Person(role=role, **kw)
        if password:
            person.password_hash = _hashed(password)
        return self._add(person)

    def group(self, moderator: Person | None = None, members=(), **kw) -> WorkingGroup:
        n = next(_seq)
        kw.setdefault("name", f"Reallabor {n}")
        group = self._add(WorkingGroup(**kw))
        if moderator is not None:
            self.membership(moderator, group, role="moderator")
        for person in members:
            self.membership(person, group)
        return group

    def membership(self, person: Person, group: WorkingGroup, role: str = "member",
                   status: str = "active", **kw) -> Membership:
        kw.setdefault("joined_at", utc(2020, 1, 1) if status == "active" else None)
        return self._add(Membership(person=person, group=group, role=role, status=status, **kw))

    def goal(self, group: WorkingGroup, **kw) -> GroupGoal:
        kw.setdefault("title", f"Ziel {next(_seq)}")
        return self._add(GroupGoal(group=group, **kw))

    def meeting(self, group: WorkingGroup | None = None, starts_at: datetime | None = None,
                hours: int = 2, **kw) -> Meeting:
        starts_at = starts_at or utc(2030, 3, 10, 16)
        kw.setdefault("kind", "group" if group is not None else "plenary")
        kw.setdefault("title", f"Treffen {next(_seq)}")
        return self._add(Meeting(group=group, starts_at=starts_at,
                                 ends_at=starts_at + timedelta(hours=hours), **kw))

    def agenda_item(self, meeting: Meeting, **kw) -> AgendaItem:
        kw.setdefault("title", f"TOP {next(_seq)}")
        kw.setdefault("position", len(meeting.agenda_items) + 1)
        return self._add(AgendaItem(meeting=meeting, **kw))

    def participation(self, meeting: Meeting, person: Person | None = None, **kw) -> Participation:
        return self._add(Participation(meeting=meeting, person=person, **kw))

    def decision(self, meeting: Meeting, **kw) -> Decision:
        kw.setdefault("number", len(meeting.decisions) + 1)
        kw.setdefault("text", f"Beschluss {next(_seq)}")
        return self._add(Decision(meeting=meeting, **kw))

    def action_item(self, owner: Person, group: WorkingGroup | None = None, **kw) -> ActionItem:
        kw.setdefault("title", f"Aufgabe {next(_seq)}")
        kw.setdefault("due_on", date(2030, 1, 1))
        return self._add(ActionItem(owner=owner, group=group, **kw))

    def outcome(self, group: WorkingGroup | None = None, **kw) -> Outcome:
        kw.setdefault("title", f"Projekt {next(_seq)}")
        return self._add(Outcome(group=group, **kw))

    def milestone(self, outcome: Outcome, **kw) -> Milestone:
        kw.setdefault("title", f"Meilenstein {next(_seq)}")
        kw.setdefault("due_on", date(2030, 6, 1))
        return self._add(Milestone(outcome=outcome, **kw))

    def mail_job(self, to: str = "mia@example.org", subject: str = "Einladung", **kw) -> Job:
        """A mail in the outbox (by default waiting to be sent)."""
        return self._add(Job(kind="mail", payload=bytes(build(to, subject, "Guten Tag.")), **kw))

    def phase(self, **kw) -> FundingPhase:
        kw.setdefault("name", f"Förderphase {next(_seq)}")
        kw.setdefault("starts_on", date(2016, 1, 1))
        kw.setdefault("ends_on", date(2019, 12, 31))
        return self._add(FundingPhase(**kw))

    def material(self, meeting: Meeting | None, data: bytes = b"%PDF-1.4\n%test\n", item: AgendaItem | None = None,
                 by: Person | None = None, **kw):
        """A file on the meeting (or its agenda item `item`; or, with meeting None, on the action item
        `action_item=`), added as the office would."""
        from portal.materials.logic import add_material
        kw.setdefault("title", f"Unterlage {next(_seq)}")
        kw.setdefault("internal", False)
        material = add_material(by or self.person("office"), meeting, item, limit=10**9, data=data,
                                filename=kw.pop("filename", "unterlage.pdf"), **kw)
        self.session.flush()
        return material
