"""Action items: lists and filters, the item page and its forms, permissions per role, history,
carry-forward into the next meeting, CSV export, and the number of queries of the lists."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, insert, select

from portal.actions import items
from portal.actions.models import ActionItem, CarriedActionItem
from portal.audit.models import AuditEvent
from portal.extensions import db as _db
from portal.types import local_today, utcnow
from tests.factories import utc

TODAY = local_today()
LATER = TODAY + timedelta(days=60)  # due dates of new items lie ahead


@pytest.fixture
def w(make):
    """A small alliance: two groups with moderators, a member who owns items, office, observer."""
    office = make.person("office", name="Olga Office")
    observer = make.person("observer", name="Otto Observer")
    owner = make.person("member", name="Mia Mitglied")
    colleague = make.person("member", name="Carl Kollege")
    moderator = make.person("member", name="Max Moderator")
    other_moderator = make.person("member", name="Ola Andere")
    org = make.organization(name="Tischlerei Beispiel")
    owner.organization = org
    group_a = make.group(moderator=moderator, members=[owner, colleague], name="Handel der Zukunft")
    group_b = make.group(moderator=other_moderator, name="Handwerk digital")
    past = make.meeting(group_a, title="Sitzung Januar", starts_at=utc(2024, 1, 10, 15), status="held")
    top = make.agenda_item(past, title="Lieferdienst")
    decision = make.decision(past, agenda_item_id=top.id, text="Wir bauen einen Lieferdienst.")
    _db.session.commit()  # kept when a refused request rolls back (the test's transaction still ends it)
    return dict(office=office, observer=observer, owner=owner, colleague=colleague,
                moderator=moderator, other_moderator=other_moderator, org=org, group_a=group_a,
                group_b=group_b, past=past, top=top, decision=decision)


def new_item(w, actor="moderator", owner="owner", **kw):
    kw.setdefault("title", "Flyer drucken")
    kw.setdefault("due_on", TODAY + timedelta(days=14))
    kw.setdefault("group", w["group_a"])
    item = items.create_action_item(w[actor], owner=w[owner], **kw)
    _db.session.commit()
    return item


def titles(html: str) -> list[str]:
    """The item titles of a list page, in page order."""
    return re.findall(r'<th scope="row"><a href="/actions/\d+">([^<]*)</a>', html)


def reload(item: ActionItem) -> ActionItem:
    _db.session.expire_all()
    return _db.session.get(ActionItem, item.id)


# ---------------------------------------------------------------- /actions: filters

@pytest.fixture
def listed(w, make):
    """Items that differ in one property each, for the filters."""
    def add(title, owner="owner", group="group_a", status="open", days=10, meeting=None):
        return make.action_item(w[owner], w[group] if group else None, title=title, status=status,
                                due_on=TODAY + timedelta(days=days), meeting=meeting)
    return {
        "open": add("A offen"),
        "progress": add("B in Arbeit", status="in_progress", days=20),
        "done": add("C erledigt", status="done", days=-30),
        "cancelled": add("D abgebrochen", status="cancelled", days=-20),
        "overdue": add("E überfällig", days=-3),
        "colleague": add("F Kollege", owner="colleague", days=5),
        "group_b": add("G anderes Reallabor", owner="other_moderator", group="group_b", days=30),
        "plenary": add("H Plenum", group=None, days=40),
        "meeting": add("I aus Sitzung", meeting=w["past"], days=50),
    }


def test_action_list_is_sorted_by_due_date(client, login_as, w, listed):
    login_as(w["owner"])
    assert titles(client.get("/actions?status=all").text) == [
        "C erledigt", "D abgebrochen", "E überfällig", "F Kollege", "A offen", "B in Arbeit",
        "G anderes Reallabor", "H Plenum", "I aus Sitzung"]


@pytest.mark.parametrize("query,expected", [
    ("", {"A offen", "B in Arbeit", "E überfällig", "F Kollege", "G anderes Reallabor", "H Plenum",
          "I aus Sitzung"}),
    ("status=all", {"A offen", "B in Arbeit", "C erledigt", "D abgebrochen", "E überfällig",
                    "F Kollege", "G anderes Reallabor", "H Plenum", "I aus Sitzung"}),
    ("status=open", {"A offen", "E überfällig", "F Kollege", "G anderes Reallabor", "H Plenum",
                     "I aus Sitzung"}),
    ("status=in_progress", {"B in Arbeit"}),
    ("status=done", {"C erledigt"}),
    ("status=cancelled", {"D abgebrochen"}),
    ("overdue=y", {"E überfällig"}),
    ("group=plenum", {"H Plenum"}),
])
def test_action_list_filters(client, login_as, w, listed, query, expected):
    login_as(w["owner"])
    assert set(titles(client.get(f"/actions?{query}").text)) == expected


def test_action_list_filters_by_owner_group_and_meeting(client, login_as, w, listed):
    login_as(w["observer"])
    assert titles(client.get(f"/actions?owner={w['colleague'].id}").text) == ["F Kollege"]
    assert titles(client.get(f"/actions?group={w['group_b'].id}").text) == ["G anderes Reallabor"]
    assert titles(client.get(f"/actions?meeting={w['past'].id}").text) == ["I aus Sitzung"]
    both = client.get(f"/actions?owner={w['owner'].id}&status=open&group={w['group_a'].id}").text
    assert titles(both) == ["E überfällig", "A offen", "I aus Sitzung"]


def test_action_list_filters_by_due_date_range(client, login_as, w, listed):
    login_as(w["owner"])
    start, end = TODAY + timedelta(days=5), TODAY + timedelta(days=20)
    response = client.get(f"/actions?due_from={start.isoformat()}&due_to={end.isoformat()}")
    assert titles(response.text) == ["F Kollege", "A offen", "B in Arbeit"]


def test_action_list_counts_items_per_status_within_the_other_filters(client, login_as, w, listed):
    login_as(w["owner"])
    html = client.get(f"/actions?group={w['group_a'].id}&status=done").text
    counts = dict(re.findall(r'>(offen|in Arbeit|erledigt|abgebrochen): <strong>(\d+)</strong>', html))
    assert counts == {"offen": "4", "in Arbeit": "1", "erledigt": "1", "abgebrochen": "1"}


def test_bad_filter_values_show_a_message_instead_of_failing(client, login_as, w, listed):
    login_as(w["owner"])
    response = client.get("/actions?owner=abc&due_from=gestern&due_to=2099-01-01&status=x")
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben." in response.text
    assert len(titles(response.text)) == 7  # the broken parts are ignored: unfinished items


def test_due_range_that_ends_before_it_starts_is_explained(client, login_as, w, listed):
    login_as(w["owner"])
    response = client.get("/actions?due_from=2030-02-01&due_to=2030-01-01")
    assert "Das Ende des Zeitraums liegt vor seinem Anfang." in response.text


def test_action_list_is_paginated_and_keeps_the_filter(app, client, login_as, w, make, monkeypatch):
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for n in range(5):
        make.action_item(w["owner"], w["group_a"], title=f"Aufgabe {n}", due_on=TODAY + timedelta(days=n))
    make.action_item(w["owner"], w["group_b"], title="anderswo", due_on=TODAY)
    login_as(w["owner"])
    first = client.get(f"/actions?group={w['group_a'].id}")
    assert titles(first.text) == ["Aufgabe 0", "Aufgabe 1"]
    assert f"/actions?page=2&amp;group={w['group_a'].id}" in first.text
    third = client.get(f"/actions?page=3&group={w['group_a'].id}")
    assert titles(third.text) == ["Aufgabe 4"]


def test_empty_action_list_says_so(client, login_as, w, make):
    login_as(w["owner"])
    assert "Es gibt noch keine Aufgaben." in client.get("/actions").text
    assert "Keine Aufgaben passen zu diesem Filter." in client.get("/actions?status=done").text
    make.action_item(w["owner"], title="Alt", status="done")
    assert "Keine Aufgaben passen zu diesem Filter." in client.get("/actions").text


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/actions")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# ---------------------------------------------------------------- /actions/mine

def test_my_actions_separate_own_items_from_those_created_for_others(client, login_as, w, make):
    mine = new_item(w, actor="owner", owner="owner", title="Eigene Aufgabe")
    for_colleague = new_item(w, actor="owner", owner="colleague", title="Für den Kollegen")
    from_moderator = new_item(w, actor="moderator", owner="owner", title="Vom Moderator")
    new_item(w, actor="moderator", owner="colleague", title="Fremd")
    items.change_status(w["owner"], mine, "done")
    login_as(w["owner"])
    html = client.get("/actions/mine").text
    own_part, created_part = html.split('id="h-created"')
    assert titles(own_part) == [from_moderator.title, mine.title]  # open first, then closed
    assert titles(created_part) == [for_colleague.title]


def test_my_actions_empty_for_observer(client, login_as, w):
    login_as(w["observer"])
    html = client.get("/actions/mine").text
    assert "Ihnen ist keine Aufgabe zugewiesen." in html
    assert "Sie haben keine Aufgaben für andere angelegt." in html


# ---------------------------------------------------------------- /actions/<id>

def test_item_page_shows_facts_origin_and_timeline(app, client, login_as, w):
    item = new_item(w, meeting=w["past"], decision=w["decision"], description="Mit **Karte**.")
    items.change_status(w["owner"], item, "in_progress", "Angefangen")
    items.add_comment(w["moderator"], item, "Danke!")
    login_as(w["observer"])
    html = client.get(f"/actions/{item.id}").text
    assert "<h1>Flyer drucken</h1>" in html
    assert "<strong>Karte</strong>" in html
    assert "Mia Mitglied" in html and "Tischlerei Beispiel" in html
    assert "Handel der Zukunft" in html
    assert "Sitzung Januar" in html and "Lieferdienst" in html and f"Beschluss {w['past'].id}/1" in html
    if "meetings.show" in app.view_functions:
        assert f'href="/meetings/{w["past"].id}"' in html
    history = html.split('id="h-history"')[1]
    assert history.index("Kommentar") < history.index("Status geändert") < history.index("angelegt")
    assert "Angefangen" in history and "Danke!" in history and "Max Moderator" in history


def test_decision_text_is_shown_only_to_who_may_read_its_minutes(client, login_as, w):
    w["past"].minutes_status = "draft"
    w["past"].number = 8
    item = new_item(w, meeting=w["past"], decision=w["decision"])
    login_as(w["owner"])  # a member while the minutes are a draft
    html = client.get(f"/actions/{item.id}").text
    assert "Beschluss 8/1" in html and "Wir bauen einen Lieferdienst." not in html
    login_as(w["moderator"])
    html = client.get(f"/actions/{item.id}").text
    assert "Beschluss 8/1:" in html and "Wir bauen einen Lieferdienst." in html


def test_observer_sees_no_forms_on_item_page(client, login_as, w):
    item = new_item(w)
    login_as(w["observer"])
    html = client.get(f"/actions/{item.id}").text
    assert f"/actions/{item.id}/update" not in html and "/edit" not in html


def test_unknown_item_is_404(client, login_as, w):
    login_as(w["owner"])
    assert client.get("/actions/999999").status_code == 404
    assert client.get("/actions/999999/edit").status_code == 404


def test_the_item_page_takes_no_posts_of_its_own(client, login_as, w):
    """Each of its forms posts to its own URL (update, cancel, reopen)."""
    item = new_item(w)
    login_as(w["owner"])
    assert client.post(f"/actions/{item.id}", data={"update-status": "done"}).status_code == 405
    assert f'action="/actions/{item.id}/update"' in client.get(f"/actions/{item.id}").text


# ---------------------------------------------------------------- permissions and changes

def post(client, item, do, **fields):
    """Post one of the item page's forms; its fields carry the form's name as prefix."""
    data = {f"{do}-{name}": value for name, value in fields.items()}
    return client.post(f"/actions/{item.id}/{do}", data=data)


def test_owner_sets_status_with_comment(client, login_as, w):
    item = new_item(w)
    login_as(w["owner"])
    response = post(client, item, do="update", status="in_progress", comment="Druckerei angefragt")
    assert response.status_code == 302
    item = reload(item)
    assert item.status == "in_progress"
    event = item.events[-1]
    assert (event.kind, event.old_value, event.new_value, event.comment, event.actor_id) == (
        "status", "open", "in_progress", "Druckerei angefragt", w["owner"].id)
    assert post(client, item, do="update", status="done").status_code == 302
    assert reload(item).status == "done" and reload(item).completed_at is not None


def test_owner_may_comment_without_changing_status(client, login_as, w):
    item = new_item(w)
    login_as(w["owner"])
    post(client, item, do="update", status="open", comment="Kommt nächste Woche")
    event = reload(item).events[-1]
    assert (event.kind, event.comment) == ("comment", "Kommt nächste Woche")


def test_update_without_change_or_comment_is_explained(client, login_as, w):
    item = new_item(w)
    login_as(w["owner"])
    response = post(client, item, do="update", status="open", comment="")
    assert response.status_code == 422
    assert "Bitte den Status ändern oder einen Kommentar schreiben." in response.text


def test_owner_cannot_cancel_reopen_or_edit(client, login_as, w):
    item = new_item(w)
    login_as(w["owner"])
    assert post(client, item, do="cancel", reason="keine Lust").status_code == 403
    assert post(client, item, do="update", status="cancelled", comment="x").status_code == 422
    assert client.get(f"/actions/{item.id}/edit").status_code == 403
    items.change_status(w["owner"], item, "done")
    _db.session.commit()
    assert post(client, item, do="reopen", status="open", comment="doch nicht").status_code == 403
    assert reload(item).status == "done"


def test_group_member_who_is_not_owner_cannot_change_item(client, login_as, w):
    item = new_item(w)
    login_as(w["colleague"])
    assert post(client, item, do="update", status="done").status_code == 403
    assert reload(item).status == "open"


def test_moderator_of_other_group_cannot_change_item(client, login_as, w):
    item = new_item(w)
    login_as(w["other_moderator"])
    assert post(client, item, do="update", status="done").status_code == 403
    assert post(client, item, do="cancel", reason="x").status_code == 403
    assert client.post(f"/actions/{item.id}/edit", data={"title": "x"}).status_code == 403


def test_observer_cannot_change_anything(client, login_as, w):
    item = new_item(w, owner="owner")
    login_as(w["observer"])
    assert post(client, item, do="update", status="done").status_code == 403
    assert post(client, item, do="cancel", reason="x").status_code == 403
    assert client.get("/actions/new").status_code == 403


def test_moderator_cancels_with_reason(client, login_as, w):
    item = new_item(w)
    login_as(w["moderator"])
    response = post(client, item, do="cancel", reason="")
    assert response.status_code == 422 and "Bitte einen Grund angeben." in response.text
    assert reload(item).status == "open"
    assert post(client, item, do="cancel", reason="Projekt eingestellt").status_code == 302
    item = reload(item)
    assert (item.status, item.cancel_reason) == ("cancelled", "Projekt eingestellt")


def test_office_reopens_with_comment(client, login_as, w):
    item = new_item(w)
    items.change_status(w["owner"], item, "done")
    login_as(w["office"])
    response = post(client, item, do="reopen", status="in_progress", comment="")
    assert response.status_code == 422
    assert "Bitte begründen, warum die Aufgabe wieder geöffnet wird." in response.text
    assert post(client, item, do="reopen", status="in_progress", comment="Fehler gefunden").status_code == 302
    item = reload(item)
    assert (item.status, item.completed_at) == ("in_progress", None)


def test_plenary_item_is_managed_by_office_only(client, login_as, w):
    item = new_item(w, actor="office", group=None)
    login_as(w["moderator"])
    assert post(client, item, do="cancel", reason="x").status_code == 403
    login_as(w["office"])
    assert post(client, item, do="cancel", reason="erledigt sich").status_code == 302


def test_moderator_reassigns_and_moves_due_date_with_history(client, login_as, w):
    item = new_item(w)
    due = TODAY + timedelta(days=30)
    login_as(w["moderator"])
    response = client.post(f"/actions/{item.id}/edit", data={
        "title": "Flyer drucken lassen", "description": "Auflage 500", "owner": w["colleague"].id,
        "due_on": due.isoformat(), "comment": "Urlaub"})
    assert response.status_code == 302
    item = reload(item)
    assert (item.owner_id, item.due_on, item.title, item.description) == (
        w["colleague"].id, due, "Flyer drucken lassen", "Auflage 500")
    kinds = {e.kind: e for e in item.events}
    assert set(kinds) == {"created", "owner", "due_date", "title", "description"}
    assert (kinds["owner"].old_value, kinds["owner"].new_value) == ("Mia Mitglied", "Carl Kollege")
    assert kinds["due_date"].comment == "Urlaub"


def test_edit_with_bad_input_keeps_what_was_typed(client, login_as, w):
    item = new_item(w)
    login_as(w["office"])
    response = client.post(f"/actions/{item.id}/edit", data={
        "title": "Neuer Titel", "owner": w["owner"].id, "due_on": "31.02.2030"})
    assert response.status_code == 422
    assert 'value="Neuer Titel"' in response.text
    assert reload(item).title == "Flyer drucken"


def test_edit_without_changes_records_nothing(client, login_as, w):
    item = new_item(w)
    login_as(w["office"])
    client.post(f"/actions/{item.id}/edit", data={
        "title": item.title, "owner": item.owner_id, "due_on": item.due_on.isoformat()})
    assert [e.kind for e in reload(item).events] == ["created"]


def test_moderator_creates_item_for_own_group_only(client, login_as, w):
    login_as(w["moderator"])
    form = {"title": "Webseite", "owner": w["owner"].id, "due_on": LATER.isoformat()}
    assert client.get("/actions/new").status_code == 200
    response = client.post("/actions/new", data={"group": w["group_a"].id, **form})
    assert response.status_code == 302
    item = _db.session.scalar(select(ActionItem).where(ActionItem.title == "Webseite"))
    assert (item.group_id, item.created_by_id, item.meeting_id) == (w["group_a"].id, w["moderator"].id, None)
    assert client.post("/actions/new", data={"group": w["group_b"].id, **form}).status_code == 403
    assert client.post("/actions/new", data={"group": "plenum", **form}).status_code == 403
    assert client.post("/actions/new", data={"group": "999999", **form}).status_code == 404
    # no group chosen: said at the field, not a 404
    response = client.post("/actions/new", data=form)
    assert response.status_code == 422 and 'id="group-error"' in response.text


def test_office_creates_plenary_item_and_member_cannot_create(client, login_as, w):
    login_as(w["office"])
    response = client.post("/actions/new", data={
        "group": "plenum", "title": "Förderantrag", "owner": w["office"].id, "due_on": LATER.isoformat()})
    assert response.status_code == 302
    assert _db.session.scalar(select(ActionItem.group_id).where(ActionItem.title == "Förderantrag")) is None
    login_as(w["owner"])
    assert client.get("/actions/new").status_code == 403


def test_new_item_with_missing_fields_is_explained(client, login_as, w):
    login_as(w["office"])
    response = client.post("/actions/new", data={"group": w["group_a"].id, "title": "Nur Titel"})
    assert response.status_code == 422
    assert "Bitte eine verantwortliche Person wählen." in response.text
    assert 'value="Nur Titel"' in response.text


def test_new_item_with_a_past_due_date_is_refused_at_the_field(client, login_as, w):
    login_as(w["office"])
    response = client.post("/actions/new", data={
        "group": w["group_a"].id, "title": "Flyer drucken", "owner": w["owner"].id, "due_on": "2020-01-31"})
    assert response.status_code == 422
    error = re.search(r'<p class="error" id="due_on-error">([^<]*)</p>', response.text).group(1)
    assert error.startswith("Die Frist darf nicht in der Vergangenheit liegen")
    assert 'value="Flyer drucken"' in response.text
    assert _db.session.scalar(select(ActionItem.id)) is None
    with pytest.raises(items.ActionError, match="Vergangenheit"):
        new_item(w, due_on=TODAY - timedelta(days=1))
    assert new_item(w, due_on=TODAY).due_on == TODAY


def test_due_date_cannot_be_moved_into_the_past_but_an_overdue_item_stays_editable(client, login_as, w, make):
    item = new_item(w)
    _db.session.commit()  # the refusal rolls back the request's changes, not the test's data
    login_as(w["office"])
    response = client.post(f"/actions/{item.id}/edit", data={
        "title": item.title, "owner": item.owner_id, "due_on": "2020-01-31"})
    assert response.status_code == 422 and 'id="due_on-error"' in response.text
    assert reload(item).due_on == TODAY + timedelta(days=14)
    overdue = make.action_item(w["owner"], w["group_a"], title="Alt", due_on=TODAY - timedelta(days=5))
    response = client.post(f"/actions/{overdue.id}/edit", data={
        "title": "Alt, aber wichtig", "owner": overdue.owner_id, "due_on": overdue.due_on.isoformat()})
    assert response.status_code == 302 and reload(overdue).title == "Alt, aber wichtig"


def test_observer_cannot_be_made_owner(w):
    with pytest.raises(items.ActionError):
        new_item(w, owner="observer")


# ---------------------------------------------------------------- history and audit per kind of change

def test_every_kind_of_change_writes_an_event_and_an_audit_entry(w):
    item = new_item(w, actor="moderator")
    items.change_status(w["owner"], item, "in_progress")
    items.add_comment(w["owner"], item, "Zwischenstand")
    items.reassign(w["moderator"], item, w["colleague"], "Vertretung")
    items.change_due_date(w["moderator"], item, item.due_on + timedelta(days=7))
    items.edit_description(w["moderator"], item, "Neu", title="Neuer Titel")
    items.change_status(w["moderator"], item, "cancelled", "Überholt")
    items.change_status(w["office"], item, "open", "Doch gebraucht")
    _db.session.flush()
    kinds = [e.kind for e in item.events]
    assert kinds == ["created", "status", "comment", "owner", "due_date", "title", "description",
                     "status", "status"]
    audit = _db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.entity_type == "action_items", AuditEvent.entity_id == item.id
    ).order_by(AuditEvent.id)).all()
    assert audit == ["action.create", "action.status", "action.comment", "action.reassign",
                     "action.due_date", "action.title", "action.description", "action.status",
                     "action.status"]
    assert all(e.actor_id for e in item.events)


@pytest.mark.parametrize("start,target", [("open", "open"), ("done", "cancelled"), ("cancelled", "done")])
def test_transitions_that_are_not_allowed_are_refused(w, start, target):
    item = new_item(w)
    item.status = start
    with pytest.raises(items.ActionError):
        items.change_status(w["office"], item, target, "Kommentar")


def test_cancel_and_reopen_need_a_text(w):
    item = new_item(w)
    with pytest.raises(items.ActionError):
        items.change_status(w["office"], item, "cancelled")
    items.change_status(w["office"], item, "done")
    with pytest.raises(items.ActionError):
        items.change_status(w["office"], item, "open")


def test_item_from_decision_takes_meeting_agenda_item_and_group(w):
    item = items.create_action_item(w["moderator"], title="Angebote einholen", owner=w["owner"],
                                    due_on=TODAY, decision=w["decision"])
    assert (item.meeting_id, item.agenda_item_id, item.group_id) == (
        w["past"].id, w["top"].id, w["group_a"].id)


# ---------------------------------------------------------------- carry-forward

def test_open_items_are_carried_into_the_next_meeting_of_their_group(w, make):
    nxt = make.meeting(w["group_a"], title="Sitzung Februar", starts_at=utc(2024, 2, 10, 15))
    carried = new_item(w, title="offen", meeting=w["past"])
    started = new_item(w, title="in Arbeit", meeting=w["past"])
    items.change_status(w["owner"], started, "in_progress")
    done = new_item(w, title="erledigt", meeting=w["past"])
    items.change_status(w["owner"], done, "done")
    new_item(w, title="andere Gruppe", group=w["group_b"], owner="other_moderator")
    new_item(w, title="aus der Sitzung selbst", meeting=nxt)
    direct = new_item(w, actor="office", title="direkt")
    direct.created_at = utc(2024, 1, 20)
    later = new_item(w, actor="office", title="nach der Sitzung")
    later.created_at = utc(2024, 3, 1)

    rows = items.carry_forward(nxt)
    assert {r.action_item.title: r.status for r in rows} == {
        "offen": "open", "in Arbeit": "in_progress", "direkt": "open"}
    assert carried.id in {r.action_item_id for r in rows}
    assert len(items.carry_forward(nxt)) == 3  # idempotent
    assert _db.session.scalar(select(func.count(CarriedActionItem.id))) == 3


def test_plenary_carries_items_without_group(w, make):
    first = make.meeting(None, title="7. Plenum", starts_at=utc(2024, 1, 5, 15))
    second = make.meeting(None, title="8. Plenum", starts_at=utc(2024, 6, 5, 15))
    new_item(w, actor="office", title="Plenum-Aufgabe", meeting=first, group=None)
    new_item(w, title="Gruppen-Aufgabe", meeting=w["past"])
    assert [r.action_item.title for r in items.carry_forward(second)] == ["Plenum-Aufgabe"]


def test_updating_a_carried_item_changes_item_and_snapshot(w, make):
    nxt = make.meeting(w["group_a"], title="Sitzung Februar", starts_at=utc(2024, 2, 10, 15))
    item = new_item(w, meeting=w["past"])
    [row] = items.carry_forward(nxt)
    items.update_carried(w["moderator"], row, "done", "Flyer liegen aus")
    assert (item.status, row.status, row.note) == ("done", "done", "Flyer liegen aus")
    event = item.events[-1]
    assert (event.kind, event.meeting_id, event.comment) == ("status", nxt.id, "Flyer liegen aus")
    items.update_carried(w["moderator"], row, "done", "Nachtrag")
    assert (item.events[-1].kind, item.events[-1].comment, row.note) == ("comment", "Nachtrag", "Nachtrag")


def test_snapshot_keeps_the_status_at_the_meeting_for_its_minutes(w, make):
    nxt = make.meeting(w["group_a"], title="Sitzung Februar", starts_at=utc(2024, 2, 10, 15))
    item = new_item(w, meeting=w["past"])
    items.carry_forward(nxt)
    items.change_status(w["owner"], item, "done")
    [row] = items.carry_forward(nxt)  # the meeting is over: what was reported stays
    assert (row.status, item.status) == ("open", "done")
    assert items.carried_items(nxt)[0].status == "open"


def test_snapshot_of_a_coming_meeting_follows_the_item(w, make):
    coming = make.meeting(w["group_a"], title="Sitzung 2030", starts_at=utc(2030, 2, 10, 15))
    item = new_item(w, meeting=w["past"])
    items.carry_forward(coming)
    items.change_status(w["owner"], item, "in_progress")
    [row] = items.carry_forward(coming)
    assert row.status == "in_progress"


def test_open_items_for_uses_meetings_before_the_given_time(w):
    item = new_item(w, meeting=w["past"])
    assert items.open_items_for(w["group_a"].id, w["past"].starts_at) == []
    assert items.open_items_for(w["group_a"].id, w["past"].starts_at + timedelta(days=1)) == [item]
    assert items.open_items_for(None, utcnow()) == []


# ---------------------------------------------------------------- CSV

def test_csv_export_is_excel_friendly_and_filtered(client, login_as, w, make):
    make.action_item(w["owner"], w["group_a"], title="=HYPERLINK(\"x\")", due_on=date(2030, 3, 1))
    make.action_item(w["owner"], w["group_a"], title="Zweite; mit Semikolon", due_on=date(2030, 2, 1),
                     status="done")
    make.action_item(w["other_moderator"], w["group_b"], title="Fremd", due_on=date(2030, 1, 1))
    login_as(w["observer"])
    response = client.get(f"/actions/export.csv?group={w['group_a'].id}&status=all")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Nr.", "Titel", "Status", "überfällig", "Frist"]
    assert [r[1] for r in rows[1:]] == ["Zweite; mit Semikolon", "'=HYPERLINK(\"x\")"]
    assert rows[1][2] == "erledigt" and rows[1][4] == "01.02.2030"
    assert rows[2][5:8] == ["Mia Mitglied", "Tischlerei Beispiel", "Handel der Zukunft"]
    assert rows[2][-1].startswith("https://portal.example.org/actions/")


# ---------------------------------------------------------------- query counts

def _bulk_items(ids: dict, n: int) -> None:
    owners = [ids["owner"], ids["colleague"], ids["moderator"]]
    groups = [ids["group_a"], ids["group_b"], None]
    statuses = ["open", "in_progress", "done", "cancelled"]
    now = utcnow()
    _db.session.execute(insert(ActionItem), [
        {"title": f"Massenaufgabe {i}", "description": "", "owner_id": owners[i % 3],
         "created_by_id": owners[(i + 1) % 3], "group_id": groups[i % 3],
         "meeting_id": ids["past"] if i % 2 else None, "due_on": TODAY + timedelta(days=i % 90 - 45),
         "status": statuses[i % 4], "cancel_reason": "", "created_at": now, "updated_at": now}
        for i in range(n)
    ])


@pytest.mark.parametrize("path", ["/actions", "/actions/mine", "/actions?status=open&overdue=y"])
def test_list_queries_do_not_grow_with_the_number_of_items(client, login_as, w, count_queries, path):
    def fresh_request():
        """As in production: nothing loaded or cached by an earlier request."""
        _db.session.commit()
        _db.session.expunge_all()

    ids = {key: w[key].id for key in ("owner", "colleague", "moderator", "group_a", "group_b", "past")}
    _bulk_items(ids, 10)
    login_as(w["owner"])
    fresh_request()
    with count_queries() as small:
        assert client.get(path).status_code == 200
    _bulk_items(ids, 4990)
    fresh_request()
    with count_queries() as big:
        response = client.get(path)
    assert response.status_code == 200 and "Massenaufgabe" in response.text
    assert big.count == small.count, big.statements
    assert big.count <= 9
