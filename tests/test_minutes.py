"""Live moderation and minutes: the workflow from draft to published with amendments, every
forbidden transition, decisions and action items created in moderation, revisions and the
concurrent-edit conflict, review comments, and the mails of review and publication."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.actions.models import ActionItem, CarriedActionItem
from portal.audit.models import AuditEvent
from portal.auth import sessions
from portal.extensions import db as _db
from portal.meetings.models import Decision, MeetingStatus, MinutesStatus
from portal.minutes import moderation, workflow
from portal.minutes.models import MinutesComment, MinutesDocument, MinutesRevision
from portal.types import local_today
from tests.factories import utc

SOON = local_today() + timedelta(days=30)  # due dates of new action items lie ahead


def as_client(client, person):
    """Send the next request of `client` as `person` (for two browsers in one test)."""
    sessions.start(person)
    _db.session.commit()  # the session row outlives a request that rolls back
    with client.session_transaction() as cookie:
        cookie["_user_id"] = person.get_id()
    return client


@pytest.fixture
def session(make):
    """A held session of a working group: office, moderator (minute-taker), two members present,
    one excused; agenda TOP 1 information, TOP 2 decision."""
    office = make.person("office", name="Olga Office")
    moderator = make.person("member", name="Max Moderator")
    anna = make.person("member", name="Anna Anwesend", email="anna@example.org")
    bert = make.person("member", name="Bert Beteiligt", email="bert@example.org")
    erik = make.person("member", name="Erik Entschuldigt", email="erik@example.org")
    group = make.group(moderator=moderator, members=[anna, bert, erik], name="Handel der Zukunft")
    meeting = make.meeting(group, title="Sitzung Handel", number=7, starts_at=utc(2024, 5, 4, 15),
                           status="held", minute_taker=moderator)
    make.participation(meeting, moderator, attendance="present")
    make.participation(meeting, anna, attendance="present")
    make.participation(meeting, bert, attendance="present")
    make.participation(meeting, erik, attendance="excused")
    make.participation(meeting, None, guest_name="Gisela Gast", guest_organization="IHK",
                       attendance="present")
    first = make.agenda_item(meeting, title="Bericht Louise", kind="information", planned_minutes=20)
    second = make.agenda_item(meeting, title="Budget 2025", kind="decision", planned_minutes=10)
    _db.session.commit()  # a view's rollback (refused change) must not undo the test's data
    return dict(office=office, moderator=moderator, anna=anna, bert=bert, erik=erik, group=group,
                meeting=meeting, first=first, second=second)


def moderate_url(meeting, item=None, action=None):
    """The moderation page, or the URL of one of its actions (`item`: the agenda item)."""
    path = f"/meetings/{meeting.id}/moderate" + (f"/{action}" if action else "")
    return path + (f"?item={item.id}" if item else "")


def minutes_url(meeting, action=None):
    return f"/meetings/{meeting.id}/minutes" + (f"/{action}" if action else "")


def save_text(client, meeting, item, text, version):
    return client.post(moderate_url(meeting, item, action="text"), data={
        "text-text": text, "text-version": str(version)})


def add_decision(client, meeting, item, text, yes="", no="", abstain=""):
    return client.post(moderate_url(meeting, item, action="decision"), data={
        "decision-text": text, "decision-votes_yes": yes,
        "decision-votes_no": no, "decision-votes_abstain": abstain})


def add_action(client, meeting, item, owner, title="Angebot einholen", due=None,
               decision=None, description=""):
    return client.post(moderate_url(meeting, item, action="action"), data={
        "action-title": title, "action-owner_id": str(owner.id),
        "action-due_on": due or SOON.isoformat(), "action-description": description,
        "action-decision_id": str(decision.id if decision else 0)})


def flashes(response) -> str:
    return response.get_data(as_text=True)


def set_status(meeting, status):
    meeting.minutes_status = status
    _db.session.commit()


# the whole life ----------------------------------------------------------------------------

def test_life_from_moderation_to_published_minutes_and_a_later_amendment(client, login_as, session, outbox):
    s = session
    meeting, first, second = s["meeting"], s["first"], s["second"]
    login_as(s["moderator"])

    page = client.get(moderate_url(meeting))
    assert page.status_code == 200 and 'class="moderation"' in page.text
    assert client.post(moderate_url(meeting, action="next")).status_code == 302
    assert first.started_at is not None and meeting.minutes_status == "draft"

    assert save_text(client, meeting, first, "Louise hat **40 Händler**.", 0).status_code == 302
    assert client.post(moderate_url(meeting, action="next")).status_code == 302
    assert first.ended_at is not None and second.started_at is not None
    add_decision(client, meeting, second, "Das Budget 2025 wird beschlossen.", "9", "0", "1")
    decision = _db.session.scalar(select(Decision).where(Decision.meeting_id == meeting.id))
    response = add_action(client, meeting, second, s["anna"], decision=decision)
    assert response.status_code == 302
    assert [m["To"] for m in outbox.messages] == ["anna@example.org"]  # told of her action item
    outbox.clear()

    response = client.post(minutes_url(meeting, "submit"), follow_redirects=True)
    assert "Das Protokoll ist in Abstimmung; 3 Teilnehmende werden per E-Mail benachrichtigt." in response.text
    assert meeting.minutes_status == "in_review"
    assert sorted(m["To"] for m in outbox.messages) == sorted(
        [s["moderator"].email, "anna@example.org", "bert@example.org"])

    login_as(s["anna"])
    response = client.post(minutes_url(meeting, "comment"), data={
        "comment-agenda_item_id": str(second.id),
        "comment-text": "Bitte die Enthaltung namentlich nennen."})
    assert response.status_code == 302

    login_as(s["office"])
    outbox.clear()
    client.post(minutes_url(meeting, "approve"), data={"approve-confirm": "y"})  # before the review ends
    assert meeting.minutes_status == "approved" and meeting.approved_by_id == s["office"].id
    client.post(minutes_url(meeting, "publish"))
    assert meeting.minutes_status == "published" and meeting.published_at is not None
    assert _db.session.scalars(select(MinutesDocument).where(
        MinutesDocument.meeting_id == meeting.id)).all()
    assert {m["To"] for m in outbox.messages} == {s["moderator"].email, "anna@example.org",
                                                   "bert@example.org"}

    login_as(s["erik"])  # a member who was not there reads the published minutes
    page = client.get(minutes_url(meeting))
    assert page.status_code == 200
    assert "Louise hat <strong>40 Händler</strong>." in page.text
    assert "Beschluss 7/1" in page.text and "Angebot einholen" in page.text
    assert "Gisela Gast (IHK)" in page.text and "Erik Entschuldigt" in page.text

    login_as(s["office"])
    response = client.post(minutes_url(meeting, "amend"), follow_redirects=True, data={
        "amendment-text": "Korrektur: Die Sitzung endete um 18 Uhr."})
    assert "Der Nachtrag ist gespeichert" in response.text
    assert "Korrektur: Die Sitzung endete um 18 Uhr." in response.text
    assert "Freigegeben von Olga Office" in response.text
    documents = _db.session.scalars(select(MinutesDocument).where(
        MinutesDocument.meeting_id == meeting.id).order_by(MinutesDocument.version)).all()
    assert [d.version for d in documents] == [1, 2] and documents[1].amendment_id is not None

    actions = [e.action for e in _db.session.scalars(select(AuditEvent).where(
        AuditEvent.entity_type == "meetings", AuditEvent.entity_id == meeting.id)
        .order_by(AuditEvent.id))]
    assert actions == ["minutes.start", "minutes.submit_for_review", "minutes.approve", "minutes.publish"]
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "minutes.amend"))


# forbidden transitions ---------------------------------------------------------------------

ALLOWED = {("none", "start"), ("draft", "submit"), ("in_review", "return"),
           ("in_review", "approve"), ("approved", "publish"), ("published", "amend")}
STATES = ("none", "draft", "in_review", "approved", "published")
BUTTONS = ("start", "submit", "return", "approve", "publish", "amend")


@pytest.mark.parametrize("state,do", [(s, d) for s in STATES for d in BUTTONS if (s, d) not in ALLOWED])
def test_forbidden_transition_is_refused_with_a_message_and_changes_nothing(
        client, login_as, session, state, do, outbox):
    meeting = session["meeting"]
    set_status(meeting, state)
    login_as(session["office"])
    events = _db.session.query(AuditEvent).count()
    response = client.post(minutes_url(meeting, do), data={"amendment-text": "Nachtrag"},
                           follow_redirects=True)
    assert response.status_code in (200, 422)
    assert "Das Protokoll ist zurzeit: " in response.text or "nicht mehr geändert" in response.text
    _db.session.expire_all()
    assert meeting.minutes_status == state
    assert _db.session.query(AuditEvent).count() == events
    assert outbox.messages == []


@pytest.mark.parametrize("change,states", [
    (workflow.start_draft, ("draft", "in_review", "approved", "published")),
    (workflow.submit_for_review, ("none", "in_review", "approved", "published")),
    (workflow.return_to_draft, ("none", "draft", "approved", "published")),
    (workflow.approve, ("none", "draft", "approved", "published")),
    (workflow.publish, ("none", "draft", "in_review", "published")),
])
def test_each_transition_function_refuses_the_states_it_cannot_start_from(session, change, states):
    meeting = session["meeting"]
    for state in states:
        set_status(meeting, state)
        with pytest.raises(workflow.MinutesError, match="Das Protokoll ist zurzeit"):
            change(session["office"], meeting)
        assert meeting.minutes_status == state


OFFERED = {"none": {"start"}, "draft": {"submit", "text"},
           "in_review": {"approve", "return", "answer", "comment"}, "approved": {"publish"},
           "published": {"amend"}}


@pytest.mark.parametrize("state", STATES)
def test_minutes_page_offers_the_actions_its_state_allows_each_at_its_own_url(
        client, login_as, session, state):
    meeting = session["meeting"]
    set_status(meeting, state)
    query = {"draft": f"?edit={session['first'].id}"}.get(state, "")
    if state == "in_review":
        comment = workflow.add_comment(session["anna"], meeting, None, "Bitte den Termin ergänzen.")
        _db.session.commit()
        query = f"?answer={comment.id}"
    login_as(session["office"])
    page = client.get(minutes_url(meeting) + query).text
    prefix = f"/meetings/{meeting.id}/minutes/"
    actions = set(re.findall(rf'<form method="post" action="{prefix}([a-z-]+)"', page))
    assert actions == OFFERED[state]
    assert 'name="do"' not in page


def test_moderation_page_posts_each_form_to_its_own_url(client, login_as, session):
    login_as(session["office"])
    item = session["first"]
    page = client.get(moderate_url(session["meeting"], item)).text
    prefix = f'action="/meetings/{session["meeting"].id}/moderate/'
    actions = set(re.findall(prefix + r'([a-z-]+)(?:\?item=(\d+))?"', page))
    # the switches of the agenda item are buttons of the text form (formaction), for the item shown
    assert actions == {("next", str(item.id)), ("start", str(item.id)), ("open", str(item.id)),
                       ("text", str(item.id)), ("decision", str(item.id)), ("action", str(item.id))}
    assert 'name="do"' not in page


def test_available_transitions_follow_the_minutes_and_the_meeting(session):
    meeting = session["meeting"]  # held
    expected = {"none": {"start"}, "draft": {"submit_for_review"},
                "in_review": {"approve", "return_to_draft"}, "approved": {"publish"}, "published": set()}
    for state, transitions in expected.items():
        set_status(meeting, state)
        assert workflow.available_transitions(meeting) == transitions
        assert workflow.is_editable(meeting) == (state in ("none", "draft"))
    set_status(meeting, "draft")
    meeting.status = "planned"
    assert workflow.available_transitions(meeting) == set()
    assert workflow.waits_for_meeting(meeting) == {"submit_for_review"}
    meeting.status = "cancelled"
    assert workflow.available_transitions(meeting) == set() and not workflow.is_editable(meeting)


def test_states_are_read_back_as_enum_members_and_stored_as_their_values(session):
    meeting = session["meeting"]
    set_status(meeting, "in_review")
    _db.session.expire_all()
    assert meeting.minutes_status is MinutesStatus.IN_REVIEW and meeting.status is MeetingStatus.HELD
    stored = _db.session.execute(text("SELECT minutes_status FROM meetings WHERE id = :id"),
                                 {"id": meeting.id}).scalar_one()
    assert type(stored) is str and stored == "in_review"


def test_amendment_before_publication_is_refused(session):
    meeting = session["meeting"]
    for state in ("none", "draft", "in_review", "approved"):
        set_status(meeting, state)
        with pytest.raises(workflow.MinutesError, match="erst nach der Veröffentlichung"):
            workflow.add_amendment(session["office"], meeting, "Nachtrag")


def test_minutes_of_a_cancelled_meeting_cannot_begin(session, client, login_as):
    meeting = session["meeting"]
    meeting.status = "cancelled"
    _db.session.commit()
    login_as(session["office"])
    response = client.post(minutes_url(meeting, "start"), follow_redirects=True)
    assert "Das Treffen ist abgesagt" in response.text
    assert meeting.minutes_status == "none"


@pytest.mark.parametrize("state", ["in_review", "approved", "published"])
def test_outside_the_draft_moderation_changes_nothing(client, login_as, session, state):
    s = session
    meeting, item = s["meeting"], s["first"]
    item.minutes_text = "Festgehalten."
    set_status(meeting, state)
    login_as(s["office"])
    response = save_text(client, meeting, item, "Nachträglich geändert", meeting.minutes_version)
    assert response.status_code == 422 and "kann nicht mehr geändert werden" in response.text
    assert add_decision(client, meeting, item, "Nachträglicher Beschluss").status_code == 422
    assert add_action(client, meeting, item, s["anna"]).status_code == 422
    client.post(moderate_url(meeting, item, action="start"))
    _db.session.expire_all()
    assert item.minutes_text == "Festgehalten." and item.started_at is None
    assert meeting.decisions == [] and _db.session.query(ActionItem).count() == 0
    assert _db.session.query(MinutesRevision).count() == 0


def test_only_the_office_approves_and_publishes(client, login_as, session):
    meeting = session["meeting"]
    set_status(meeting, "in_review")
    login_as(session["moderator"])
    assert client.post(minutes_url(meeting, "approve")).status_code == 403
    set_status(meeting, "approved")
    assert client.post(minutes_url(meeting, "publish")).status_code == 403
    assert meeting.minutes_status == "approved"


def test_the_draft_is_hidden_from_attendees_until_review(client, login_as, session):
    meeting = session["meeting"]
    set_status(meeting, "draft")
    login_as(session["anna"])
    assert client.get(minutes_url(meeting)).status_code == 403
    set_status(meeting, "in_review")
    assert client.get(minutes_url(meeting)).status_code == 200
    login_as(session["erik"])  # excused, not an attendee
    assert client.get(minutes_url(meeting)).status_code == 403


# approval by the next meeting ----------------------------------------------------------------

def test_next_meeting_approves_previous_minutes_by_a_recorded_decision(client, login_as, session, make):
    s = session
    previous = s["meeting"]
    set_status(previous, "in_review")
    following = make.meeting(s["group"], title="Sitzung Juni", number=8, starts_at=utc(2024, 6, 1, 15))
    approval = make.agenda_item(following, title="Genehmigung des Protokolls der letzten Sitzung",
                                kind="minutes_approval")
    _db.session.commit()
    login_as(s["moderator"])
    page = client.get(moderate_url(following, approval))
    assert "Protokoll der Sitzung „Sitzung Handel“" in page.text
    response = client.post(moderate_url(following, approval, action="approve-previous"), data={
        "approval-votes_yes": "5", "approval-votes_no": "0",
        "approval-votes_abstain": "1"}, follow_redirects=True)
    assert "Beschluss 8/1: Das Protokoll „Sitzung Handel“ ist genehmigt." in response.text
    assert previous.minutes_status == "approved"
    assert previous.approved_in_meeting_id == following.id
    decision = following.decisions[0]
    assert decision.agenda_item_id == approval.id and decision.votes_yes == 5
    assert "wird genehmigt" in decision.text

    login_as(s["office"])
    page = client.get(minutes_url(previous))
    assert "durch Beschluss der Sitzung „Sitzung Juni“" in page.text


def test_next_meeting_cannot_approve_minutes_still_in_draft(client, login_as, session, make):
    s = session
    set_status(s["meeting"], "draft")
    following = make.meeting(s["group"], title="Sitzung Juni", starts_at=utc(2024, 6, 1, 15))
    approval = make.agenda_item(following, title="Genehmigung", kind="minutes_approval")
    _db.session.commit()
    login_as(s["moderator"])
    response = client.post(moderate_url(following, approval, action="approve-previous"))
    assert response.status_code == 422
    assert "liegt nicht zur Genehmigung vor" in response.text
    assert s["meeting"].minutes_status == "draft" and following.decisions == []


# decisions and action items ------------------------------------------------------------------

def test_decisions_are_numbered_per_meeting_and_cited_as_meeting_slash_number(client, login_as, session, make):
    s = session
    meeting, first, second = s["meeting"], s["first"], s["second"]
    other = make.meeting(s["group"], title="Andere Sitzung", starts_at=utc(2024, 7, 1, 15))
    other_item = make.agenda_item(other, title="TOP")
    _db.session.commit()
    login_as(s["office"])
    add_decision(client, meeting, first, "Erster")
    add_decision(client, meeting, second, "Zweiter", "3", "2", "1")
    add_decision(client, other, other_item, "Anderswo")
    response = add_decision(client, meeting, first, "Dritter")
    assert response.status_code == 302
    numbers = [(d.number, d.text, d.agenda_item_id) for d in meeting.decisions]
    assert numbers == [(1, "Erster", first.id), (2, "Zweiter", second.id), (3, "Dritter", first.id)]
    assert [d.reference for d in meeting.decisions] == ["7/1", "7/2", "7/3"]
    assert other.decisions[0].number == 1 and other.decisions[0].reference == f"{other.id}/1"
    page = client.get(moderate_url(meeting, second))
    assert "Beschluss 7/2" in page.text and "Ja: 3 · Nein: 2 · Enthaltungen: 1" in page.text


def test_decision_with_negative_votes_is_refused_and_keeps_the_text(client, login_as, session):
    s = session
    login_as(s["office"])
    response = add_decision(client, s["meeting"], s["first"], "Wortlaut bleibt", yes="-1")
    assert response.status_code == 422
    assert "Bitte eine Zahl ab 0 eingeben." in response.text and "Wortlaut bleibt" in response.text
    assert s["meeting"].decisions == []


def test_action_item_created_in_moderation_is_linked_to_meeting_agenda_item_and_decision(
        client, login_as, session):
    s = session
    meeting, item = s["meeting"], s["second"]
    login_as(s["moderator"])
    add_decision(client, meeting, item, "Angebote für Lastenräder einholen.")
    decision = meeting.decisions[0]
    response = add_action(client, meeting, item, s["bert"], title="Drei Angebote einholen",
                          decision=decision, description="bis zur nächsten Sitzung")
    assert response.status_code == 302
    action = _db.session.scalar(select(ActionItem))
    assert (action.meeting_id, action.agenda_item_id, action.decision_id) == (meeting.id, item.id, decision.id)
    assert action.group_id == s["group"].id and action.owner_id == s["bert"].id
    assert action.due_on == SOON and action.description == "bis zur nächsten Sitzung"
    assert action.created_by_id == s["moderator"].id and action.status == "open"
    page = client.get(moderate_url(meeting, item))
    assert "Drei Angebote einholen" in page.text and "zu Beschluss 7/1" in page.text


def test_action_item_owner_can_be_any_member_not_only_attendees(client, login_as, session, make):
    s = session
    outsider = make.person("member", name="Olaf Außen")
    observer = make.person("observer", name="Otto Observer")
    _db.session.commit()
    login_as(s["office"])
    page = client.get(moderate_url(s["meeting"], s["first"]))
    assert "Olaf Außen" not in page.text  # the page lists nobody: the owner field suggests (issue 21)
    suggested = client.get(f"/people/suggest?pool=meeting_owners&meeting={s['meeting'].id}&q=e").json
    names = [person["name"] for person in suggested]
    # participants present first, then everyone else who can own an item (the excused among them)
    assert names[:3] == ["Anna Anwesend", "Bert Beteiligt", "Max Moderator"]
    assert {"Erik Entschuldigt", "Olaf Außen", "Olga Office"} <= set(names[3:])
    assert "Otto Observer" not in names
    assert add_action(client, s["meeting"], s["first"], outsider).status_code == 302
    response = add_action(client, s["meeting"], s["first"], observer)
    assert response.status_code == 422


def test_action_item_without_owner_or_due_date_shows_field_errors_and_keeps_input(
        client, login_as, session):
    s = session
    login_as(s["office"])
    response = client.post(moderate_url(s["meeting"], s["first"], action="action"), data={
        "action-title": "Flyer drucken", "action-owner_id": "0",
        "action-due_on": "", "action-decision_id": "0"})
    assert response.status_code == 422
    assert "Bitte eine verantwortliche Person wählen." in response.text
    assert "Bitte eine Frist angeben." in response.text
    assert 'value="Flyer drucken"' in response.text
    assert _db.session.query(ActionItem).count() == 0


def test_action_item_cannot_cite_a_decision_of_another_meeting(session, make):
    s = session
    other = make.meeting(s["group"], starts_at=utc(2024, 8, 1, 15))
    foreign = make.decision(other)
    with pytest.raises(workflow.MinutesError, match="gehört nicht zu diesem Treffen"):
        moderation.add_action_item(s["office"], s["first"], title="X", owner=s["anna"],
                                   due_on=SOON, decision=foreign)


# the current agenda item and its time ----------------------------------------------------------

def test_start_next_and_end_move_the_current_agenda_item(client, login_as, session):
    s = session
    meeting, first, second = s["meeting"], s["first"], s["second"]
    login_as(s["moderator"])
    client.post(moderate_url(meeting, second, action="start"))
    assert moderation.current_item(meeting) is second
    client.post(moderate_url(meeting, first, action="start"))
    assert moderation.current_item(meeting) is first and second.ended_at is not None
    response = client.post(moderate_url(meeting, action="next"))
    assert response.headers["Location"].endswith(f"item={second.id}")
    assert first.ended_at is not None and moderation.current_item(meeting) is second
    response = client.post(moderate_url(meeting, action="next"), follow_redirects=True)
    assert "Der letzte Tagesordnungspunkt ist beendet." in response.text
    assert moderation.current_item(meeting) is None
    assert _db.session.query(AuditEvent).filter_by(action="agenda.start").count() == 3


def test_timing_shows_elapsed_against_planned_minutes(session):
    item = session["first"]  # 20 planned minutes
    assert moderation.timing(item) is None
    item.started_at = utc(2024, 5, 4, 15, 0)
    running = moderation.timing(item, now=utc(2024, 5, 4, 15, 12, 30))
    assert (running.elapsed, running.planned, running.over, running.running) == (12, 20, 0, True)
    item.ended_at = utc(2024, 5, 4, 15, 26)
    done = moderation.timing(item, now=utc(2024, 5, 4, 16, 0))
    assert (done.elapsed, done.over, done.running) == (26, 6, False)


def test_moderation_page_shows_overtime_in_words(client, login_as, session):
    s = session
    s["first"].started_at = utc(2024, 5, 4, 15)
    s["first"].ended_at = utc(2024, 5, 4, 15, 25)
    _db.session.commit()
    login_as(s["office"])
    page = client.get(moderate_url(s["meeting"], s["first"]))
    assert "dauerte 25 Min. · geplant 20 Min." in page.text and "5 Min. über der Zeit" in page.text


def test_unknown_agenda_item_or_action_is_404_and_a_post_to_the_page_405(client, login_as, session, make):
    s = session
    foreign = make.agenda_item(make.meeting(s["group"], starts_at=utc(2024, 9, 1, 15)))
    _db.session.commit()
    login_as(s["office"])
    assert client.get(moderate_url(s["meeting"], foreign)).status_code == 404
    assert client.get("/meetings/999999/moderate").status_code == 404
    assert client.post(moderate_url(s["meeting"], action="explode")).status_code == 404
    assert client.post(minutes_url(s["meeting"], "explode")).status_code == 404
    # the pages themselves take no posts: every action has its own URL
    assert client.post(moderate_url(s["meeting"]), data={"do": "next"}).status_code == 405
    assert client.post(minutes_url(s["meeting"]), data={"do": "submit"}).status_code == 405


# revisions and the concurrent edit ---------------------------------------------------------------

def test_every_save_appends_a_revision_with_author_and_bumps_the_version(client, login_as, session):
    s = session
    meeting, item = s["meeting"], s["first"]
    login_as(s["moderator"])
    save_text(client, meeting, item, "Erste Fassung", 0)
    login_as(s["office"])
    save_text(client, meeting, item, "Zweite Fassung", 1)
    assert meeting.minutes_version == 2 and item.minutes_text == "Zweite Fassung"
    revisions = _db.session.scalars(select(MinutesRevision).order_by(MinutesRevision.version)).all()
    assert [(r.version, r.author_id) for r in revisions] == [(1, s["moderator"].id), (2, s["office"].id)]
    assert revisions[0].content["items"][0]["text"] == "Erste Fassung"
    page = client.get(minutes_url(meeting) + "?version=1")
    assert page.status_code == 200 and "Erste Fassung" in page.text and "Max Moderator" in page.text
    assert client.get(minutes_url(meeting) + "?version=9").status_code == 404
    set_status(meeting, "draft")
    editor = client.get(minutes_url(meeting) + f"?edit={item.id}").text
    assert 'name="text-version" type="hidden" value="2"' in editor and "Zweite Fassung</textarea>" in editor


def test_second_of_two_concurrent_edits_gets_a_conflict_page_and_nothing_is_lost(
        app, client, session):
    s = session
    meeting, item = s["meeting"], s["first"]
    item.minutes_text = "Ausgangstext"
    moderator, office = client, app.test_client()
    # both open the editor at version 0
    for browser, person in ((moderator, s["moderator"]), (office, s["office"])):
        page = as_client(browser, person).get(moderate_url(meeting, item))
        assert 'name="text-version" type="hidden" value="0"' in page.text

    saved = save_text(as_client(moderator, s["moderator"]), meeting, item, "Fassung der Moderation", 0)
    assert saved.status_code == 302
    response = save_text(as_client(office, s["office"]), meeting, item, "Fassung der Geschäftsstelle", 0)
    assert response.status_code == 409
    assert "Fassung der Moderation" in response.text and "Fassung der Geschäftsstelle" in response.text
    assert "Jemand anderes hat diesen Protokolltext inzwischen geändert" in response.text
    assert "Version 1 von Max Moderator" in response.text
    assert 'name="text-version" type="hidden" value="1"' in response.text
    _db.session.expire_all()
    assert item.minutes_text == "Fassung der Moderation" and meeting.minutes_version == 1

    merged = "Fassung der Moderation\n\nErgänzung der Geschäftsstelle"
    assert save_text(as_client(office, s["office"]), meeting, item, merged, 1).status_code == 302
    _db.session.expire_all()
    assert item.minutes_text == merged and meeting.minutes_version == 2
    texts = [r.content["items"][0]["text"] for r in _db.session.scalars(
        select(MinutesRevision).order_by(MinutesRevision.version))]
    assert texts == ["Fassung der Moderation", merged]


def test_conflict_from_the_minutes_page_editor_too(client, login_as, session):
    s = session
    meeting, item = s["meeting"], s["first"]
    login_as(s["office"])
    save_text(client, meeting, item, "Zuerst", 0)
    set_status(meeting, "draft")
    response = client.post(minutes_url(meeting, "text"), data={
        "item": str(item.id), "text-text": "Später, aber veraltet", "text-version": "0"})
    assert response.status_code == 409 and "Zuerst" in response.text
    assert item.minutes_text == "Zuerst"


def test_edits_of_different_agenda_items_at_once_are_no_conflict(client, login_as, session):
    s = session
    meeting = s["meeting"]
    login_as(s["office"])
    assert save_text(client, meeting, s["first"], "Zu TOP 1", 0).status_code == 302
    assert save_text(client, meeting, s["second"], "Zu TOP 2", 0).status_code == 302
    assert (s["first"].minutes_text, s["second"].minutes_text) == ("Zu TOP 1", "Zu TOP 2")
    assert meeting.minutes_version == 2


def test_a_save_reads_what_other_saves_committed_before_it(session):
    """The meeting row is locked and read again before the version check: a text another
    process saved after this request loaded the meeting is a conflict, not overwritten."""
    s = session
    meeting, item = s["meeting"], s["first"]
    moderation.save_minutes_text(s["office"], item, "A", 0)
    # another process saves this item after this one read it (the session still holds "A", 1)
    _db.session.execute(_db.text("UPDATE meetings SET minutes_version = 5 WHERE id = :id"), {"id": meeting.id})
    _db.session.execute(_db.text("UPDATE agenda_items SET minutes_text = 'C' WHERE id = :id"), {"id": item.id})
    with pytest.raises(moderation.MinutesConflict) as conflict:
        moderation.save_minutes_text(s["office"], item, "B", 1)
    assert (conflict.value.theirs, conflict.value.yours, conflict.value.version) == ("C", "B", 5)


def test_a_save_after_another_items_save_goes_on_from_its_version(session):
    s = session
    meeting, item = s["meeting"], s["first"]
    moderation.save_minutes_text(s["office"], item, "A", 0)
    _db.session.execute(_db.text("UPDATE meetings SET minutes_version = 5 WHERE id = :id"), {"id": meeting.id})
    revision = moderation.save_minutes_text(s["office"], item, "B", 1)
    assert revision.version == 6 and item.minutes_text == "B"


# review comments ----------------------------------------------------------------------------

def test_attendees_comment_in_review_and_the_minute_taker_answers_or_adopts(client, login_as, session):
    s = session
    meeting, item = s["meeting"], s["second"]
    set_status(meeting, "in_review")
    login_as(s["anna"])
    page = client.get(minutes_url(meeting))
    assert 'id="comment-form"' in page.text
    client.post(minutes_url(meeting, "comment"), data={"comment-agenda_item_id": str(item.id),
                                                       "comment-text": "Die Zahl war 41."})
    client.post(minutes_url(meeting, "comment"), data={"comment-agenda_item_id": "0",
                                                       "comment-text": "Allgemein gut."})
    empty = client.post(minutes_url(meeting, "comment"), data={"comment-agenda_item_id": "0",
                                                               "comment-text": ""})
    assert empty.status_code == 422 and "Bitte eine Anmerkung eingeben." in empty.text
    comments = _db.session.scalars(select(MinutesComment).order_by(MinutesComment.id)).all()
    assert [(c.agenda_item_id, c.author_id, c.status) for c in comments] == [
        (item.id, s["anna"].id, "open"), (None, s["anna"].id, "open")]
    assert client.post(minutes_url(meeting, "answer"), data={"answer-comment_id": str(comments[0].id),
                                                             "answer-reply": "x"}).status_code == 403

    login_as(s["erik"])  # excused: no comments
    assert client.post(minutes_url(meeting, "comment"), data={"comment-agenda_item_id": "0",
                                                              "comment-text": "Ich auch"}).status_code == 403

    login_as(s["moderator"])
    page = client.get(minutes_url(meeting) + f"?answer={comments[0].id}")
    assert 'name="answer-reply"' in page.text
    neither = client.post(minutes_url(meeting, "answer"), data={"answer-comment_id": str(comments[0].id),
                                                                "answer-reply": "  "})
    assert neither.status_code == 422 and re.search(
        r'id="answer-reply-error">Bitte eine Antwort eingeben oder die Anmerkung übernehmen.<', neither.text)
    client.post(minutes_url(meeting, "answer"), data={
        "answer-comment_id": str(comments[0].id), "answer-reply": "Stimmt, korrigiert.", "answer-adopt": "y"})
    client.post(minutes_url(meeting, "answer"), data={"answer-comment_id": str(comments[1].id),
                                                      "answer-reply": "Danke!"})
    _db.session.expire_all()
    assert [(c.status, c.reply, c.replied_by_id) for c in comments] == [
        ("adopted", "Stimmt, korrigiert.", s["moderator"].id), ("answered", "Danke!", s["moderator"].id)]
    page = client.get(minutes_url(meeting))
    assert "Antwort von Max Moderator:" in page.text and "übernommen" in page.text

    # to work the adopted comment in, the minutes go back to the draft
    client.post(minutes_url(meeting, "return"))
    assert meeting.minutes_status == "draft"
    assert save_text(client, meeting, item, "Es waren 41 Händler.", 0).status_code == 302


def test_comments_are_refused_outside_review(session):
    s = session
    set_status(s["meeting"], "draft")
    with pytest.raises(workflow.MinutesError, match="solange das Protokoll in Abstimmung ist"):
        workflow.add_comment(s["anna"], s["meeting"], None, "Zu früh")


# mails ------------------------------------------------------------------------------------------

def test_review_mail_goes_to_every_attendee_with_the_link(session, outbox, client, login_as, make):
    s = session
    inactive = make.person("member", name="Ina Inaktiv", active=False)
    make.participation(s["meeting"], inactive, attendance="present")
    set_status(s["meeting"], "draft")
    login_as(s["moderator"])
    client.post(minutes_url(s["meeting"], "submit"))
    recipients = sorted(m["To"] for m in outbox.messages)
    assert recipients == sorted([s["moderator"].email, "anna@example.org", "bert@example.org"])
    message = outbox.to("anna@example.org")[0]
    assert message["Subject"] == "Protokoll zur Durchsicht: 7. Sitzung des Reallabors „Handel der Zukunft“ – Sitzung Handel"
    body = outbox.text(message)
    assert "Guten Tag, Anna Anwesend," in body
    assert f"https://portal.example.org/meetings/{s['meeting'].id}/minutes" in body


def test_publication_mail_has_the_decisions_and_the_recipients_own_action_items(session, outbox, make):
    s = session
    meeting = s["meeting"]
    set_status(meeting, "draft")
    decision = moderation.add_decision(s["office"], s["second"], "Budget beschlossen.", 9, 0, 1)
    moderation.add_action_item(s["office"], s["second"], title="Angebot Anna", owner=s["anna"],
                               due_on=SOON, decision=decision)
    moderation.add_action_item(s["office"], s["first"], title="Aufgabe Bert", owner=s["bert"],
                               due_on=SOON + timedelta(days=15))
    moderation.add_action_item(s["office"], s["first"], title="Aufgabe Erik", owner=s["erik"],
                               due_on=SOON + timedelta(days=20))
    _db.session.commit()
    outbox.clear()  # the owners were told when the items were assigned
    set_status(meeting, "approved")
    workflow.publish(s["office"], meeting)
    _db.session.commit()

    anna = outbox.text(outbox.to("anna@example.org")[0])
    assert outbox.to("anna@example.org")[0]["Subject"] == "Protokoll veröffentlicht: 7. Sitzung des Reallabors „Handel der Zukunft“ – Sitzung Handel"
    assert "Beschluss 7/1: Budget beschlossen." in anna and "Ja: 9 · Nein: 0 · Enthaltungen: 1" in anna
    assert f"- Angebot Anna (Frist: {SOON:%d.%m.%Y})" in anna
    assert "Aufgabe Bert" not in anna
    bert = outbox.text(outbox.to("bert@example.org")[0])
    assert "Aufgabe Bert" in bert and "Angebot Anna" not in bert
    moderator = outbox.text(outbox.to(s["moderator"].email)[0])
    assert "Aus diesem Treffen haben Sie keine Aufgaben." in moderator
    # the excused owner learns of the action item too
    assert "Aufgabe Erik" in outbox.text(outbox.to("erik@example.org")[0])


def test_publication_is_archived_in_the_same_transaction(session):
    s = session
    set_status(s["meeting"], "approved")
    workflow.publish(s["office"], s["meeting"])
    document = _db.session.scalar(select(MinutesDocument))
    assert document.meeting_id == s["meeting"].id and document.pdf.startswith(b"%PDF")


# the minutes page ------------------------------------------------------------------------------

def test_minutes_page_shows_attendance_and_carried_open_items(client, login_as, session, make):
    s = session
    older = make.meeting(s["group"], starts_at=utc(2024, 3, 1, 15), title="März")
    carried = make.action_item(s["bert"], s["group"], meeting=older, title="Altlast klären")
    _db.session.add(CarriedActionItem(meeting_id=s["meeting"].id, action_item=carried,
                                      status="in_progress", note="halb fertig"))
    set_status(s["meeting"], "draft")
    login_as(s["office"])
    page = client.get(minutes_url(s["meeting"]))
    assert "Anwesend (3) und 1 Gast:" in page.text  # the guest counts apart, as in the PDF
    assert "Entschuldigt (1): Erik Entschuldigt" in page.text
    assert "Offene Aufgaben aus früheren Treffen" in page.text
    assert "Altlast klären" in page.text and "halb fertig" in page.text and "in Arbeit" in page.text


def test_no_minutes_yet_page_offers_the_start_to_writers_only(client, login_as, session):
    s = session
    login_as(s["moderator"])
    page = client.get(minutes_url(s["meeting"]))
    assert "Protokoll beginnen" in page.text
    client.post(minutes_url(s["meeting"], "start"))
    assert s["meeting"].minutes_status == "draft"
    login_as(s["anna"])
    set_status(s["meeting"], "none")
    assert client.get(minutes_url(s["meeting"])).status_code == 403


def test_published_minutes_show_no_workflow_or_edit_controls_to_members(client, login_as, session):
    s = session
    set_status(s["meeting"], "published")
    login_as(s["anna"])
    page = client.get(minutes_url(s["meeting"]))
    for control in ("Zur Abstimmung geben", "Genehmigen", "Veröffentlichen", "Nachtrag freigeben",
                    "Text bearbeiten", "Moderation"):
        assert control not in page.text
    assert client.get(minutes_url(s["meeting"]) + f"?edit={s['first'].id}").status_code == 403


def _fill(make, meeting, items: int, people: int) -> None:
    for n in range(items):
        item = make.agenda_item(meeting, title=f"TOP {n}", minutes_text="Text *kursiv*")
        decision = make.decision(meeting, agenda_item=item)
        owner = make.person("member")
        make.participation(meeting, owner, attendance="present")
        make.action_item(owner, meeting.group, meeting=meeting, agenda_item=item, decision=decision)
        _db.session.add(MinutesComment(meeting_id=meeting.id, agenda_item_id=item.id, author=owner,
                                       text="Anmerkung"))
    for _ in range(people):
        make.participation(meeting, make.person("member"), attendance="excused")
    _db.session.flush()


@pytest.mark.parametrize("url", ["minutes", "moderate"])
def test_pages_run_the_same_number_of_queries_whatever_the_size(client, login_as, session, make,
                                                                 count_queries, url):
    s = session
    small, large = s["meeting"], make.meeting(s["group"], starts_at=utc(2024, 10, 1, 15), number=9)
    for meeting in (small, large):
        meeting.minutes_status = "in_review"
    _fill(make, small, 1, 1)
    _fill(make, large, 15, 20)
    login_as(s["office"])
    counts = []
    for meeting in (small, large):
        path = minutes_url(meeting) if url == "minutes" else moderate_url(meeting)
        _db.session.expire_all()
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 20, counts


# open action items from earlier meetings ------------------------------------------------------

def test_status_of_open_items_from_earlier_meetings_is_reported_in_moderation(client, login_as, session, make):
    s = session
    older = make.meeting(s["group"], starts_at=utc(2024, 3, 1, 15), title="März")
    item = make.agenda_item(s["meeting"], title="Offene Aufgaben", kind="open_actions")
    action = make.action_item(s["bert"], s["group"], meeting=older, title="Flyer entwerfen")
    _db.session.commit()
    login_as(s["moderator"])
    page = client.get(moderate_url(s["meeting"], item))
    assert "Aus früheren Treffen ist keine Aufgabe offen." in page.text
    client.post(moderate_url(s["meeting"], item, action="refresh-carried"))
    carried = _db.session.scalar(select(CarriedActionItem))
    assert carried.action_item_id == action.id and carried.meeting_id == s["meeting"].id

    response = client.post(moderate_url(s["meeting"], item, action="carried"), data={
        "carried": str(carried.id), f"carried-{carried.id}-status": "done",
        f"carried-{carried.id}-note": "Liegt gedruckt vor."})
    assert response.status_code == 302
    _db.session.expire_all()
    assert action.status == "done" and (carried.status, carried.note) == ("done", "Liegt gedruckt vor.")
    assert action.events[-1].meeting_id == s["meeting"].id

    # reopening needs a reason: refused with the actions area's message, input kept
    response = client.post(moderate_url(s["meeting"], item, action="carried"), data={
        "carried": str(carried.id), f"carried-{carried.id}-status": "open",
        f"carried-{carried.id}-note": ""})
    assert response.status_code == 422
    assert "Bitte begründen, warum die Aufgabe wieder geöffnet wird." in response.text
    _db.session.expire_all()
    assert action.status == "done"
    page = client.get(minutes_url(s["meeting"]))
    assert "Flyer entwerfen" in page.text and "Liegt gedruckt vor." in page.text


def test_submitting_without_recorded_attendance_says_no_mail_went_out(client, login_as, session, outbox):
    s = session
    for participation in s["meeting"].participations:
        participation.attendance = "unknown"
    set_status(s["meeting"], "draft")
    login_as(s["office"])
    page = client.get(minutes_url(s["meeting"]))
    assert "Noch niemand ist als anwesend erfasst." in page.text
    response = client.post(minutes_url(s["meeting"], "submit"), data={"submit-unrecorded": "absent"},
                           follow_redirects=True)
    assert "daher wurde keine E-Mail verschickt" in response.text and outbox.messages == []


# minutes only of meetings that took place -----------------------------------------------------

def test_minutes_of_a_planned_meeting_cannot_go_to_review(client, login_as, session, outbox):
    s = session
    meeting = s["meeting"]
    meeting.status, meeting.starts_at, meeting.ends_at = "planned", utc(2030, 5, 4, 15), utc(2030, 5, 4, 17)
    set_status(meeting, "draft")
    login_as(s["office"])
    page = client.get(minutes_url(meeting)).text
    assert "Zur Abstimmung geben</button>" not in page
    assert "erst, wenn das Treffen stattgefunden hat" in page
    assert "Als stattgefunden markieren" not in page  # it has not begun
    response = client.post(minutes_url(meeting, "submit"), follow_redirects=True)
    assert "noch nicht als stattgefunden vermerkt" in response.text
    _db.session.expire_all()
    assert meeting.minutes_status == "draft" and outbox.messages == []


@pytest.mark.parametrize("state,change", [("in_review", workflow.approve), ("approved", workflow.publish)])
def test_minutes_of_a_planned_meeting_are_neither_approved_nor_published(session, state, change):
    meeting = session["meeting"]
    meeting.status = "planned"
    set_status(meeting, state)
    with pytest.raises(workflow.MinutesError, match="noch nicht als stattgefunden vermerkt"):
        change(session["office"], meeting)
    assert meeting.minutes_status == state and meeting.published_at is None


def test_minutes_page_offers_to_mark_a_begun_meeting_held(client, login_as, session):
    s = session
    meeting = s["meeting"]
    meeting.status = "planned"  # began in 2024, nobody marked it held
    set_status(meeting, "draft")
    login_as(s["moderator"])
    page = client.get(minutes_url(meeting)).text
    assert "Als stattgefunden markieren" in page and "Zur Abstimmung geben</button>" not in page
    client.post(f"/meetings/{meeting.id}/held")
    assert meeting.status == "held"
    response = client.post(minutes_url(meeting, "submit"), follow_redirects=True)
    assert "Das Protokoll ist in Abstimmung" in response.text and meeting.minutes_status == "in_review"


# due dates of new action items ------------------------------------------------------------------

def test_action_item_with_a_past_due_date_is_refused_at_the_field(client, login_as, session):
    s = session
    login_as(s["office"])
    response = add_action(client, s["meeting"], s["first"], s["anna"], title="Flyer drucken", due="2020-01-31")
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="action-due_on-error">([^<]*)</p>', response.text).group(1)
    assert error.startswith("Die Frist darf nicht in der Vergangenheit liegen")
    assert 'value="Flyer drucken"' in response.text
    assert _db.session.query(ActionItem).count() == 0
    assert add_action(client, s["meeting"], s["first"], s["anna"], due=local_today().isoformat()).status_code == 302
