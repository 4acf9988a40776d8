"""The demo alliance: built once, idempotent, and telling the story of DESIGN.md."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.documents import minutes_pdf
from portal.groups.models import WorkingGroup
from portal.meetings.models import Meeting
from portal.members.models import Organization, Person
from portal.minutes.models import MinutesDocument
from portal.reports.models import Outcome


def _count(db, column, *where):
    return db.session.scalar(select(func.count(column)).where(*where))


@pytest.fixture
def fast_pdf(monkeypatch):
    """The demo archives every published minutes; real rendering is tested elsewhere."""
    monkeypatch.setattr(minutes_pdf, "render_pdf", lambda html, title, lang: b"%PDF-1.7 demo")


def test_seed_demo_builds_the_alliance_and_a_second_run_changes_nothing(runner, db, fast_pdf):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    published = _count(db, Meeting.id, Meeting.minutes_status == "published")
    assert f"{published} Protokolle archiviert" in first.output
    assert _count(db, MinutesDocument.id) == published
    assert "geschaeftsstelle@example.org" in first.output and "ob-buero@example.org" in first.output
    people = _count(db, Person.id)
    assert 45 <= people <= 60
    assert 35 <= _count(db, Organization.id) <= 45
    assert {g.name for g in db.session.scalars(select(WorkingGroup))} == {
        "Kooperative und digitale Produktionsformen im Handwerk", "Handel der Zukunft",
        "Nachhaltige Unternehmensgründungen",
        "Reallabor Umwelt- und Gesundheitsmanagement",  # in preparation, from the 2019 survey (issue 16)
    }
    assert _count(db, Meeting.id, Meeting.kind == "plenary", Meeting.status == "held") == 7
    upcoming = db.session.scalars(select(Meeting).where(Meeting.status == "planned")).all()
    assert {m.group_id for m in upcoming} == {None, *(g.id for g in db.session.scalars(select(WorkingGroup)))}
    statuses = set(db.session.scalars(select(ActionItem.status).distinct()))
    assert statuses == {"open", "in_progress", "done", "cancelled"}
    assert db.session.scalar(select(Outcome).where(Outcome.title.like("Louise%"))).milestones

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0
    assert "nichts geändert" in second.output
    assert _count(db, Person.id) == people


def test_demo_logins_can_sign_in(runner, client, db, fast_pdf):
    runner.invoke(args=["seed-demo"])
    for email in ("geschaeftsstelle@example.org", "hoevelmann@example.org", "ob-buero@example.org"):
        response = client.post("/login", data={"email": email, "password": "Allianz-Demo-2026"})
        assert response.status_code == 302, email
        client.post("/logout")


def test_demo_data_is_plausible(runner, db, fast_pdf):
    from portal.actions.models import ActionItemEvent
    from portal.meetings.models import Decision, Participation
    from portal.types import utcnow

    runner.invoke(args=["seed-demo"])
    for decision in db.session.scalars(select(Decision)):
        present = _count(db, Participation.id, Participation.meeting_id == decision.meeting_id,
                         Participation.attendance == "present")
        assert decision.votes_yes + decision.votes_no + decision.votes_abstain <= present
    assert not _count(db, ActionItem.id, ActionItem.completed_at > utcnow())
    for item in db.session.scalars(select(ActionItem)):
        changes = [e for e in item.events if e.kind == "status"]
        assert (changes[-1].new_value if changes else "open") == item.status, item.id
    assert not _count(db, ActionItemEvent.id, ActionItemEvent.created_at > utcnow())


def test_demo_is_a_well_run_alliance_as_of_today(runner, db, fast_pdf):
    """A few overdue items and none years old, no task twice for one group or one owner, and no
    record of anything after now."""
    from datetime import timedelta

    from portal.actions.items import OPEN_STATUSES
    from portal.actions.models import ActionItemEvent
    from portal.groups.models import Membership
    from portal.types import local_today, utcnow

    runner.invoke(args=["seed-demo"])
    today, now = local_today(), utcnow()
    open_items = db.session.scalars(select(ActionItem).where(ActionItem.status.in_(OPEN_STATUSES))).all()
    overdue = [i for i in open_items if i.due_on < today]
    assert 1 <= len(overdue) <= 5
    assert all(i.due_on >= today - timedelta(days=60) for i in overdue)
    assert len({(i.title, i.owner_id) for i in open_items}) == len(open_items)
    pairs = db.session.execute(select(ActionItem.title, ActionItem.group_id)).all()
    assert len(set(pairs)) == len(pairs)
    for column in (ActionItem.created_at, ActionItem.completed_at, ActionItemEvent.created_at,
                   Meeting.created_at, Meeting.approved_at, Meeting.published_at,
                   Membership.requested_at, Membership.joined_at, Membership.decided_at,
                   Person.joined_at, Outcome.created_at):
        assert not _count(db, column, column > now), column
    held = db.session.scalars(select(Meeting).where(Meeting.status == "held")).all()
    assert all(m.starts_at <= now for m in held)
    planned = db.session.scalars(select(Meeting).where(Meeting.status == "planned")).all()
    assert planned and all(m.starts_at > now for m in planned)
