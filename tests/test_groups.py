"""Working groups (Reallabore): reading, the office's administration, goals, joining and members."""
from __future__ import annotations

import itertools
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import insert, select

from portal.actions.models import ActionItem
from portal.audit.models import AuditEvent
from portal.groups.models import GroupGoal, Membership, WorkingGroup
from portal.meetings.models import Decision, Meeting
from portal.members.models import Person
from portal.reports.models import Milestone, Outcome
from portal.types import local_today, utcnow
from tests.factories import utc


@pytest.fixture
def office(make):
    return make.person("office", name="Olga Office")


@pytest.fixture
def moderator(make):
    return make.person(name="Max Moderator", email="max@example.org")


@pytest.fixture
def group(make, moderator):
    return make.group(moderator=moderator, name="Handel der Zukunft", short_name="Handel",
                      join_policy="moderated")


def _audit(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _memberships(db, person, group) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.person_id == person.id, Membership.group_id == group.id)
        .order_by(Membership.id)
    ))


def _post_change(client, membership, change: str):
    return client.post(f"/groups/{membership.group_id}/memberships/{membership.id}/{change}",
                       follow_redirects=True)


# reading ------------------------------------------------------------------------------------

def test_index_lists_active_groups_with_moderators_and_counts_and_archived_ones_apart(
        client, login_as, make, group, moderator):
    member = make.person(name="Mia Mitglied")
    make.membership(member, group)
    group.description = "Wie der **Einzelhandel** in Bottrop online verkauft. " + "Mehr Text. " * 40
    make.group(moderator=make.person(name="Ada Alt"), name="Altes Reallabor", archived_at=utcnow())
    login_as(member)

    html = client.get("/groups").get_data(as_text=True)

    active, archive = html.split('id="h-archive"')
    assert "Handel der Zukunft" in active and "Max Moderator" in active
    assert "2 Mitglieder" in active
    assert "Wie der Einzelhandel in Bottrop online verkauft." in active  # excerpt without Markdown
    assert "Mehr Text. " * 30 not in active
    assert "Sie sind Mitglied" in active
    assert "Altes Reallabor" in archive and "Altes Reallabor" not in active


def test_group_page_shows_everything_the_group_works_on(client, login_as, make, group, moderator):
    member = make.person(name="Mia Mitglied")
    make.membership(member, group)
    make.goal(group, title="Zweites Ziel", position=2)
    make.goal(group, title="Erstes Ziel", position=1, status="reached", reached_on=date(2024, 3, 5))
    make.meeting(group, title="Kommendes Treffen", starts_at=utcnow() + timedelta(days=7))
    held = make.meeting(group, title="Vergangenes Treffen", starts_at=utc(2024, 2, 1, 15),
                        status="held", minutes_status="published")
    make.decision(held, text="Louise wird gestartet.")
    draft = make.meeting(group, title="Entwurfstreffen", starts_at=utc(2024, 3, 1, 15),
                         status="held", minutes_status="draft")
    make.decision(draft, text="Noch nicht veröffentlicht.")
    make.action_item(member, group, title="Händler anrufen")
    make.action_item(member, group, title="Erledigte Aufgabe", status="done")
    louise = make.outcome(group, title="Louise", status="running")
    make.milestone(louise, title="Pilot mit zehn Händlern")
    login_as(member)

    html = client.get(f"/groups/{group.id}").get_data(as_text=True)

    assert html.index("Erstes Ziel") < html.index("Zweites Ziel")
    assert "erreicht" in html and "05.03.2024" in html
    assert '<span class="badge badge-ok">erreicht am 05.03.2024</span>' in html  # labels.badge for the state
    assert '<span class="badge ">offen</span>' in html
    assert "Max Moderator" in html and "Mia Mitglied" in html
    assert "Kommendes Treffen" in html and "Vergangenes Treffen" in html
    assert "Händler anrufen" in html and "Erledigte Aufgabe" not in html
    assert "Louise wird gestartet." in html and "Noch nicht veröffentlicht." not in html
    assert "Louise" in html and "Pilot mit zehn Händlern" in html
    assert 'id="requests"' not in html  # join requests are for the group's managers


def test_group_page_offers_the_groups_calendar_feed_with_the_readers_token(client, login_as, make, group):
    for reader in (make.person(), make.person("observer")):
        login_as(reader)
        html = client.get(f"/groups/{group.id}").get_data(as_text=True)
        assert f"https://portal.example.org/groups/{group.id}/calendar/{reader.calendar_token}.ics" in html
        assert "Treffen dieser Gruppe abonnieren" in html


def test_unknown_group_is_404(client, login_as, make):
    login_as(make.person())
    assert client.get("/groups/999999").status_code == 404


# the office: groups and goals ---------------------------------------------------------------

def test_office_adds_the_fourth_theme_through_the_ui(client, login_as, db, office, make, group):
    first_moderator = make.person(name="Greta Grün")
    login_as(office)

    page = client.get("/groups/new")
    assert page.status_code == 200 and "Erste Moderation" in page.get_data(as_text=True)
    response = client.post("/groups/new", data={
        "name": "Umwelt- und Gesundheitsmanagement", "short_name": "Umwelt",
        "description": "Nachhaltige Mobilität und Gesundheit im Betrieb.",
        "join_policy": "open", "moderator": first_moderator.id,
    })

    new = db.session.scalar(select(WorkingGroup).where(WorkingGroup.name == "Umwelt- und Gesundheitsmanagement"))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/groups/{new.id}")
    assert new.join_policy == "open" and new.short_name == "Umwelt"
    [membership] = _memberships(db, first_moderator, new)
    assert membership.is_moderator
    assert _audit(db, "group.created")[0].changes["name"] == [None, "Umwelt- und Gesundheitsmanagement"]
    assert len(db.session.scalars(select(WorkingGroup).where(WorkingGroup.archived_at.is_(None))).all()) >= 2
    listing = client.get("/groups").get_data(as_text=True)
    assert "Umwelt- und Gesundheitsmanagement" in listing and "Handel der Zukunft" in listing


def test_new_group_with_a_taken_name_or_without_moderator_is_refused_at_the_field(
        client, login_as, db, office, group):
    login_as(office)

    response = client.post("/groups/new", data={"name": "handel der zukunft", "join_policy": "open",
                                                 "moderator": 0, "description": "behalten"})

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Bitte wählen Sie die erste Moderation." in html
    assert "behalten" in html
    response = client.post("/groups/new", data={"name": "handel der zukunft", "join_policy": "open",
                                                 "moderator": group.memberships[0].person_id})
    assert "Ein Reallabor mit diesem Namen gibt es bereits." in response.get_data(as_text=True)
    assert db.session.scalar(select(WorkingGroup).where(WorkingGroup.name == "handel der zukunft")) is None


def test_office_edits_a_group_and_the_change_is_audited(client, login_as, db, office, group):
    login_as(office)

    client.post(f"/groups/{group.id}/edit", data={"name": "Handel der Zukunft", "short_name": "Handel",
                                                  "description": "Neu", "join_policy": "open"})

    assert group.join_policy == "open" and group.description == "Neu"
    assert _audit(db, "group.updated")[0].changes["join_policy"] == ["moderated", "open"]


def test_archived_group_leaves_the_active_list_stays_readable_and_takes_no_members(
        client, login_as, db, make, office, group):
    login_as(office)
    client.post(f"/groups/{group.id}/archive")
    assert group.is_archived and _audit(db, "group.archived")

    member = login_as(make.person(name="Mia Mitglied"))
    listing = client.get("/groups").get_data(as_text=True)
    assert listing.index("Handel der Zukunft") > listing.index('id="h-archive"')
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert "archiviert" in page and "Beitritt anfragen" not in page
    response = client.post(f"/groups/{group.id}/join", data={"message": ""}, follow_redirects=True)
    assert "archiviert" in response.get_data(as_text=True)
    assert _memberships(db, member, group) == []

    login_as(office)
    client.post(f"/groups/{group.id}/unarchive")
    assert not group.is_archived


def test_office_adds_reorders_and_reaches_goals(client, login_as, db, office, group):
    login_as(office)
    client.post(f"/groups/{group.id}/goals", data={"title": "Louise starten", "status": "open"})
    client.post(f"/groups/{group.id}/goals", data={"title": "Zehn Händler gewinnen", "status": "in_progress"})
    first, second = group.goals

    client.post(f"/groups/{group.id}/goals/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [g.title for g in group.goals] == ["Zehn Händler gewinnen", "Louise starten"]

    client.post(f"/groups/{group.id}/goals/{first.id}/status", data={"status": "reached"})
    assert first.status == "reached" and first.reached_on == local_today()
    client.post(f"/groups/{group.id}/goals/{first.id}/edit",
                data={"title": "Louise starten", "status": "reached", "reached_on": "2024-05-02"})
    assert first.reached_on == date(2024, 5, 2)
    client.post(f"/groups/{group.id}/goals/{first.id}/status", data={"status": "in_progress"})
    assert first.status == "in_progress" and first.reached_on is None
    assert {e.action for e in db.session.scalars(select(AuditEvent))} >= {
        "goal.created", "goal.moved", "goal.status", "goal.updated"}


def test_goal_without_title_or_reached_in_the_future_is_refused(client, login_as, db, office, group):
    login_as(office)
    response = client.post(f"/groups/{group.id}/goals", data={"title": "", "status": "open"})
    assert response.status_code == 422 and "Bitte geben Sie das Ziel an." in response.get_data(as_text=True)
    future = (local_today() + timedelta(days=3)).isoformat()
    response = client.post(f"/groups/{group.id}/goals",
                           data={"title": "Später", "status": "reached", "reached_on": future})
    assert "in der Zukunft" in response.get_data(as_text=True)
    assert db.session.scalars(select(GroupGoal).where(GroupGoal.group_id == group.id)).all() == []


def test_office_deletes_a_goal_after_confirming_and_the_audit_keeps_it(client, login_as, db, make, office, group):
    first = make.goal(group, title="Testziel, bitte löschen", description="nur ein Test", position=1,
                      status="reached", reached_on=date(2024, 5, 2))
    second = make.goal(group, title="Louise starten", position=2)
    goal_id = first.id
    login_as(office)
    report = f"/reports?start=2024-01-01&end=2024-12-31&group={group.id}"
    assert "Testziel, bitte löschen" in client.get(report).text
    assert f"/goals/{goal_id}/delete" in client.get(f"/groups/{group.id}/goals").text

    question = client.get(f"/groups/{group.id}/goals/{goal_id}/delete")
    assert "Ziel löschen?" in question.text and "Testziel, bitte löschen" in question.text
    client.post(f"/groups/{group.id}/goals/{goal_id}/delete")  # without the confirming button
    assert db.session.get(GroupGoal, goal_id) is not None

    response = client.post(f"/groups/{group.id}/goals/{goal_id}/delete", data={"confirm": "yes"})
    assert response.headers["Location"].endswith(f"/groups/{group.id}/goals")
    assert "wurde gelöscht" in client.get(response.headers["Location"]).text
    db.session.expire_all()
    assert db.session.get(GroupGoal, goal_id) is None
    assert [(g.title, g.position) for g in group.goals] == [("Louise starten", 1)] and second.id
    assert "Testziel, bitte löschen" not in client.get(report).text
    [event] = _audit(db, "goal.deleted")
    assert event.entity_id == goal_id and event.actor_id == office.id
    assert {k: v[0] for k, v in event.changes.items()}.items() >= {
        "title": "Testziel, bitte löschen", "description": "nur ein Test", "status": "reached",
        "reached_on": "2024-05-02", "group_id": group.id, "position": 1}.items()


def test_a_moderator_deletes_goals_of_their_group_only(client, login_as, db, make, group, moderator):
    goal = make.goal(group, title="Versehen")
    other_group = make.group(moderator=make.person(), name="Andere Gruppe")
    other_goal = make.goal(other_group, title="Bleibt")
    login_as(moderator)
    page = client.get(f"/groups/{group.id}").text
    assert f"/groups/{group.id}/goals/{goal.id}/delete" in page
    assert "/delete" not in client.get(f"/groups/{other_group.id}").text

    response = client.post(f"/groups/{group.id}/goals/{goal.id}/delete", data={"confirm": "yes"})
    assert response.headers["Location"].endswith(f"/groups/{group.id}#h-goals")
    assert client.post(f"/groups/{other_group.id}/goals/{other_goal.id}/delete",
                       data={"confirm": "yes"}).status_code == 403
    assert client.post(f"/groups/{group.id}/goals/{other_goal.id}/delete",
                       data={"confirm": "yes"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(GroupGoal, goal.id) is None and db.session.get(GroupGoal, other_goal.id) is not None


# joining ------------------------------------------------------------------------------------

def test_member_joins_an_open_group_at_once(client, login_as, db, make, moderator):
    group = make.group(moderator=moderator, join_policy="open")
    member = login_as(make.person())

    assert "Jetzt beitreten" in client.get(f"/groups/{group.id}/join").get_data(as_text=True)
    client.post(f"/groups/{group.id}/join", data={"message": ""})

    [membership] = _memberships(db, member, group)
    assert membership.status == "active" and membership.joined_at is not None
    assert _audit(db, "membership.requested") and _audit(db, "membership.joined")


def test_join_request_accepted_by_the_moderator_with_a_welcome_mail(
        client, login_as, db, make, group, moderator, outbox):
    member = login_as(make.person(name="Mia Mitglied", email="mia@example.org"))
    client.post(f"/groups/{group.id}/join", data={"message": "Ich führe einen Laden in der Innenstadt."})
    [request] = _memberships(db, member, group)
    assert request.status == "requested"
    [notice] = outbox.to("max@example.org")
    assert outbox.text(notice).startswith("Guten Tag, Max Moderator,\n")
    assert "Mia Mitglied" in outbox.text(notice) and "#requests" in outbox.text(notice)

    login_as(moderator)
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert 'id="requests"' in page and "Ich führe einen Laden in der Innenstadt." in page
    response = _post_change(client, request, "accept")

    assert "wurde aufgenommen" in response.get_data(as_text=True)
    assert request.status == "active" and request.decided_by == moderator and request.joined_at
    [welcome] = outbox.to("mia@example.org")
    assert "Willkommen" in welcome["Subject"] and "angenommen" in outbox.text(welcome)
    assert outbox.text(welcome).startswith("Guten Tag, Mia Mitglied,\n")
    assert _audit(db, "membership.accepted")[0].changes["status"] == ["requested", "active"]


def test_join_request_message_reaches_every_moderator_with_a_link_to_decide(
        client, login_as, db, make, group, moderator, outbox):
    second = make.person(name="Nora Zweit", email="nora@example.org")
    make.membership(second, group, role="moderator")
    message = "Ich führe „Müller & Söhne“ <Laden> in der Innenstadt.\nSeit 1998."
    login_as(make.person(name="Mia Mitglied"))
    client.post(f"/groups/{group.id}/join", data={"message": message})

    for address in ("max@example.org", "nora@example.org"):
        [notice] = outbox.to(address)
        text = outbox.text(notice)
        assert message in text and f"/groups/{group.id}#requests" in text
    link = outbox.text(notice).split("Annehmen oder ablehnen: ")[1].split()[0]
    login_as(second)
    page = client.get(urlsplit(link).path).get_data(as_text=True)
    assert 'id="requests"' in page and "Annehmen: Mia Mitglied" in page


def test_join_request_declined_by_the_office_with_a_mail_and_the_history_kept(
        client, login_as, db, make, office, group, outbox):
    member = login_as(make.person(email="mia@example.org"))
    client.post(f"/groups/{group.id}/join", data={"message": ""})
    [request] = _memberships(db, member, group)

    login_as(office)
    _post_change(client, request, "decline")
    assert request.status == "declined" and request.decided_by == office
    [mail] = outbox.to("mia@example.org")
    assert "abgelehnt" in outbox.text(mail)
    assert outbox.text(mail).startswith(f"Guten Tag, {member.name},\n")

    login_as(member)
    client.post(f"/groups/{group.id}/join", data={"message": "Zweiter Versuch"})
    assert [m.status for m in _memberships(db, member, group)] == ["declined", "requested"]


def test_second_request_while_one_is_pending_is_refused(client, login_as, db, make, group):
    member = login_as(make.person())
    client.post(f"/groups/{group.id}/join", data={"message": ""})
    response = client.post(f"/groups/{group.id}/join", data={"message": ""})
    assert "liegt bereits eine Beitrittsanfrage vor" in response.get_data(as_text=True)
    assert len(_memberships(db, member, group)) == 1


def test_member_withdraws_a_request_and_leaves_a_group(client, login_as, db, make, group):
    member = login_as(make.person())
    client.post(f"/groups/{group.id}/join", data={"message": ""})
    client.post(f"/groups/{group.id}/leave")
    [withdrawn] = _memberships(db, member, group)
    assert withdrawn.status == "declined" and withdrawn.decided_by == member

    active = make.membership(member, group)
    client.post(f"/groups/{group.id}/leave")
    assert active.status == "left" and active.left_by == member and active.left_at
    assert _audit(db, "membership.left")


@pytest.mark.parametrize("change", [{"role": "observer"}, {"active": False}])
def test_a_request_of_someone_no_longer_an_active_member_cannot_be_accepted(
        client, login_as, db, make, group, moderator, outbox, change):
    applicant = make.person(name="Anton Anfrage", **change)
    request = make.membership(applicant, group, status="requested")
    login_as(moderator)
    response = _post_change(client, request, "accept")
    assert "Nur aktive Mitglieder können einem Reallabor angehören." in response.get_data(as_text=True)
    assert request.status == "requested" and _audit(db, "membership.accepted") == []
    assert outbox.to(applicant.email) == []


def test_office_and_observer_cannot_join_groups(client, login_as, make, office, group):
    login_as(office)
    assert client.get(f"/groups/{group.id}/join").status_code == 403
    login_as(make.person("observer"))
    assert client.post(f"/groups/{group.id}/join").status_code == 403


# managing members ---------------------------------------------------------------------------

def test_moderator_of_one_group_cannot_manage_another_group(client, login_as, db, make, group):
    other_moderator = make.person()
    make.group(moderator=other_moderator, name="Handwerk digital")
    request = make.membership(make.person(), group, status="requested")
    member = make.membership(make.person(), group)
    login_as(other_moderator)

    assert client.get(f"/groups/{group.id}/members").status_code == 403
    for change, target in (("accept", request), ("decline", request), ("remove", member), ("appoint", member)):
        assert _post_change(client, target, change).status_code == 403
    assert 'id="requests"' not in client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert request.status == "requested" and member.status == "active" and member.role == "member"


def test_membership_of_another_group_is_404(client, login_as, make, group, moderator):
    other = make.group(moderator=make.person())
    stranger = make.membership(make.person(), other)
    login_as(moderator)
    response = client.post(f"/groups/{group.id}/memberships/{stranger.id}/remove")
    assert response.status_code == 404


def test_last_moderator_cannot_be_removed_demoted_or_leave(client, login_as, db, make, office, group, moderator):
    [only] = _memberships(db, moderator, group)
    db.session.commit()  # a refused action rolls its request back
    login_as(office)
    for change in ("remove", "revoke"):
        response = _post_change(client, only, change)
        assert "letzte Person in der Moderation" in response.get_data(as_text=True)
    login_as(moderator)
    response = client.post(f"/groups/{group.id}/leave", follow_redirects=True)
    assert "letzte Person in der Moderation" in response.get_data(as_text=True)
    assert only.status == "active" and only.role == "moderator"


def test_moderator_appoints_another_moderator_who_then_may_step_down(
        client, login_as, db, make, group, moderator):
    second = make.membership(make.person(name="Zora Zweite"), group)
    [first] = _memberships(db, moderator, group)
    login_as(moderator)

    _post_change(client, second, "appoint")
    assert second.is_moderator
    response = _post_change(client, first, "revoke")
    assert response.status_code == 200  # back on the group page, which a former moderator may read
    assert "moderiert dieses Reallabor nicht mehr" in response.get_data(as_text=True)
    assert first.role == "member" and second.is_moderator
    assert _audit(db, "membership.moderator_appointed") and _audit(db, "membership.moderator_revoked")


def test_moderator_adds_and_removes_members(client, login_as, db, make, group, moderator, outbox):
    newcomer = make.person(name="Nina Neu", email="nina@example.org")
    applicant = make.person(name="Anton Anfrage", email="anton@example.org")
    request = make.membership(applicant, group, status="requested")
    login_as(moderator)

    page = client.get(f"/groups/{group.id}/members").get_data(as_text=True)
    assert "Nina Neu" not in page  # the page lists nobody: the field suggests (issue 21)
    suggested = client.get(f"/people/suggest?pool=group_candidates&group={group.id}&q=nina").get_data(as_text=True)
    assert "Nina Neu" in suggested and "nina@example.org" not in suggested  # no addresses without consent
    client.post(f"/groups/{group.id}/members", data={"person-text": "Nina Neu"})
    client.post(f"/groups/{group.id}/members", data={"person": applicant.id})

    [added] = _memberships(db, newcomer, group)
    assert added.status == "active" and added.decided_by == moderator
    assert request.status == "active"  # the pending request counts as accepted
    assert outbox.to("anton@example.org")
    _post_change(client, added, "remove")
    assert added.status == "left" and added.left_by == moderator
    assert _audit(db, "membership.removed")


def test_moderator_cannot_add_someone_twice(client, login_as, make, group, moderator):
    member = make.person()
    make.membership(member, group)
    login_as(moderator)
    response = client.post(f"/groups/{group.id}/members", data={"person": member.id})
    assert response.status_code == 422 and "Bitte prüfen Sie Ihre Eingaben." in response.get_data(as_text=True)


def test_join_requests_show_on_the_moderators_start_page(client, login_as, make, group, moderator):
    make.membership(make.person(name="Mia Mitglied"), group, status="requested")
    login_as(moderator)
    html = client.get("/").get_data(as_text=True)
    assert "Mia Mitglied" in html and f"/groups/{group.id}#requests" in html


# a constant number of queries ---------------------------------------------------------------

_batches = itertools.count(1)


def _grow(db, group, office, n: int) -> None:
    """Bulk-insert n people, memberships, requests, meetings, decisions, actions, goals and outcomes."""
    now = utcnow()
    batch = next(_batches)
    people = db.session.scalars(insert(Person).returning(Person.id), [
        {"name": f"Mitglied {batch}-{i}", "email": f"m{batch}-{i}@example.org", "role": "member",
         "calendar_token": f"token-{batch}-{i}"}
        for i in range(2 * n)
    ]).all()
    db.session.execute(insert(Membership), [
        {"person_id": pid, "group_id": group.id, "role": "member",
         "status": "active" if i < n else "requested", "requested_at": now, "joined_at": now}
        for i, pid in enumerate(people)
    ])
    meetings = db.session.scalars(insert(Meeting).returning(Meeting.id), [
        {"kind": "group", "group_id": group.id, "title": f"Treffen {i}",
         "starts_at": now + timedelta(days=(i - n // 2) * 7 + 1), "ends_at": now + timedelta(days=(i - n // 2) * 7 + 1, hours=2),
         "status": "planned", "minutes_status": "published" if i < n // 2 else "none"}
        for i in range(n)
    ]).all()
    db.session.execute(insert(Decision), [
        {"meeting_id": mid, "number": 1, "text": f"Beschluss {mid}"} for mid in meetings
    ])
    db.session.execute(insert(ActionItem), [
        {"title": f"Aufgabe {i}", "owner_id": people[i % n], "group_id": group.id, "due_on": date(2030, 1, 1)}
        for i in range(n)
    ])
    db.session.execute(insert(GroupGoal), [
        {"group_id": group.id, "position": i, "title": f"Ziel {i}"} for i in range(n)
    ])
    outcomes = db.session.scalars(insert(Outcome).returning(Outcome.id), [
        {"title": f"Projekt {i}", "group_id": group.id} for i in range(n)
    ]).all()
    db.session.execute(insert(Milestone), [
        {"outcome_id": oid, "title": "Meilenstein", "due_on": date(2030, 1, 1)} for oid in outcomes
    ])
    db.session.expire_all()


def _queries_per_page(client, db, count_queries, viewer, paths: list[str]) -> list[int]:
    counts = []
    for path in paths:
        db.session.expire_all()  # as in a fresh request: nothing loaded yet, nothing cached
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(counter.count)
    return counts


def test_group_pages_run_the_same_number_of_queries_for_more_data(
        client, login_as, db, make, office, count_queries):
    group = make.group(moderator=make.person(), name="Handel der Zukunft")
    _grow(db, group, office, 2)
    paths = ["/groups", f"/groups/{group.id}"]
    for viewer in (office, make.person()):
        login_as(viewer)
        client.get("/groups")  # warm up what is loaded once per process
        before = _queries_per_page(client, db, count_queries, viewer, paths)
        _grow(db, group, office, 30)
        for i in range(5):
            make.group(moderator=make.person(), name=f"Reallabor {viewer.id}-{i}")
        db.session.expire_all()
        after = _queries_per_page(client, db, count_queries, viewer, paths)
        assert before == after, (viewer.role, before, after)
        assert max(after) <= 15
