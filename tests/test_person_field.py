"""The person field (issue 21 point 2): pages that pick a person carry no <option> per person; the
suggestions (GET /people/suggest) are permission-checked, bounded and search name, organization and
visible addresses; without JavaScript the typed text is resolved on submit (one match taken, several
offered as a radio list, none explained), through the real moderation form and the /actions filter."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.actions.models import ActionItem
from portal.extensions import db as _db
from portal.members.models import Organization, Person
from portal.people import search
from portal.types import utcnow
from tests.test_minutes import SOON, moderate_url, session  # noqa: F401 — the held session fixture


def suggest(client, q, **args):
    query = "&".join(f"{key}={value}" for key, value in {"q": q, **args}.items())
    return client.get(f"/people/suggest?{query}")


def names(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [person["name"] for person in response.json]


def options(html: str) -> int:
    return len(re.findall(r"<option\b", html))


def post_action(client, meeting, item, **fields):
    return client.post(moderate_url(meeting, item, action="action"), data={
        "action-title": "Angebot einholen", "action-due_on": SOON.isoformat(),
        "action-decision_id": "0", **fields})


def actions_of(owner_id=None) -> list[ActionItem]:
    query = select(ActionItem)
    if owner_id is not None:
        query = query.where(ActionItem.owner_id == owner_id)
    return list(_db.session.scalars(query))


# the suggestions ----------------------------------------------------------------------------------

@pytest.fixture
def people(make):
    office = make.person("office", name="Olga Office")
    observer = make.person("observer", name="Otto Observer")
    moderator = make.person("member", name="Max Moderator")
    member = make.person("member", name="Mia Mitglied")
    nord = make.organization(name="Stadtwerke Nord")
    anna = make.person("member", name="Anna Albers", organization=nord, email="anna@nord.example")
    bernd = make.person("member", name="Bernd Berger", organization=nord, email="bb@nord.example",
                        show_email=True)
    gone = make.person("member", name="Anna Ausgetreten", active=False)
    group = make.group(moderator=moderator, members=[member], name="Handel")
    _db.session.commit()
    return dict(office=office, observer=observer, moderator=moderator, member=member, anna=anna,
                bernd=bernd, gone=gone, group=group, nord=nord)


@pytest.mark.parametrize("role,expected", [
    ("office", 200), ("moderator", 200), ("member", 200), ("observer", 403)])
def test_who_may_ask_for_assignable_people(client, login_as, people, role, expected):
    login_as(people[role])
    assert suggest(client, "anna").status_code == expected


def test_anonymous_gets_the_login_page(client, people):
    response = suggest(client, "anna")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["office", "moderator", "member", "observer"])
def test_every_reader_of_action_items_may_ask_for_owners(client, login_as, people, make, role):
    make.action_item(people["anna"])
    _db.session.commit()
    login_as(people[role])
    assert names(suggest(client, "a", pool="owners")) == ["Anna Albers"]  # only who owns an item


@pytest.mark.parametrize("role,expected", [
    ("office", 200), ("moderator", 200), ("member", 403), ("observer", 403)])
def test_a_groups_candidates_are_for_who_manages_the_group(client, login_as, people, role, expected):
    login_as(people[role])
    response = suggest(client, "m", pool="group_candidates", group=people["group"].id)
    assert response.status_code == expected
    if expected == 200:  # its members are no candidates
        assert "Mia Mitglied" not in names(response) and "Max Moderator" not in names(response)


def test_a_meetings_pools_are_for_who_runs_it(client, login_as, people, make):
    meeting = make.meeting(people["group"], minute_taker=people["member"])
    make.participation(meeting, people["bernd"], attendance="present")
    _db.session.commit()
    for person, expected in ((people["member"], 200), (people["moderator"], 200), (people["anna"], 403),
                             (people["observer"], 403)):
        login_as(person)
        for pool in ("meeting_owners", "meeting_uninvited"):
            assert suggest(client, "b", pool=pool, meeting=meeting.id).status_code == expected, (person, pool)
    login_as(people["member"])
    assert "Bernd Berger" not in names(suggest(client, "b", pool="meeting_uninvited", meeting=meeting.id))
    assert suggest(client, "b", pool="meeting_owners", meeting=99999).status_code == 404
    assert suggest(client, "b", pool="meeting_owners", meeting="x").status_code == 404
    assert suggest(client, "b", pool="nobody").status_code == 404


def test_the_invitation_pool_is_for_who_may_invite(client, login_as, people, make):
    """Whoever may edit the meeting picks further invitees; the minute-taker alone may not."""
    meeting = make.meeting(people["group"], minute_taker=people["member"])
    make.participation(meeting, people["bernd"], invited_at=utcnow())
    _db.session.commit()
    for role, expected in (("office", 200), ("moderator", 200), ("member", 403), ("anna", 403), ("observer", 403)):
        login_as(people[role])
        assert suggest(client, "b", pool="meeting_not_invited", meeting=meeting.id).status_code == expected, role
    login_as(people["office"])
    assert "Bernd Berger" not in names(suggest(client, "b", pool="meeting_not_invited", meeting=meeting.id))


def test_suggestions_are_few_by_name_and_only_who_may_be_picked(client, login_as, people, make):
    for n in range(15):
        make.person("member", name=f"Muster {n:02d}", password=None)
    _db.session.commit()
    login_as(people["member"])
    found = names(suggest(client, "muster"))
    assert len(found) == search.LIMIT == 10 and found == sorted(found)
    assert names(suggest(client, "anna")) == ["Anna Albers"]  # not the inactive one
    assert names(suggest(client, "otto")) == []  # observers own nothing
    assert names(suggest(client, "")) == [] and names(suggest(client, "%25")) == []  # no wildcard
    assert suggest(client, "a" * 5000).status_code == 200


def test_suggestions_search_the_organization_and_visible_addresses(client, login_as, people):
    login_as(people["member"])
    assert names(suggest(client, "stadtwerke")) == ["Anna Albers", "Bernd Berger"]
    assert names(suggest(client, "nord anna")) == ["Anna Albers"]  # every word somewhere
    response = suggest(client, "stadtwerke")
    assert response.json[0]["label"] == "Anna Albers (Stadtwerke Nord)"
    assert "anna@nord.example" not in response.text  # addresses are never part of a suggestion
    # by address: only where the member may see it (Bernd shows his, Anna does not)
    assert names(suggest(client, "bb@nord")) == ["Bernd Berger"]
    assert names(suggest(client, "anna@nord")) == []
    login_as(people["office"])
    assert names(suggest(client, "anna@nord")) == ["Anna Albers"]


# resolution without JavaScript: the moderation form --------------------------------------------

def test_moderation_takes_the_one_person_the_text_names(client, login_as, session):  # noqa: F811
    s = session
    login_as(s["moderator"])
    response = post_action(client, s["meeting"], s["first"], **{"action-owner_id-text": "bert beteiligt"})
    assert response.status_code == 302
    assert [a.owner_id for a in actions_of()] == [s["bert"].id]


def test_moderation_offers_the_people_a_text_names_and_takes_the_one_chosen(
        client, login_as, session, make):  # noqa: F811
    s = session
    twin = make.person("member", name="Anna Anwesend", email="anna2@example.org")
    _db.session.commit()
    login_as(s["moderator"])
    response = post_action(client, s["meeting"], s["first"], **{"action-owner_id-text": "Anna Anwesend"})
    assert response.status_code == 422 and actions_of() == []
    html = response.get_data(as_text=True)
    assert "Mehrere Personen passen zu „Anna Anwesend“. Bitte unten eine wählen." in html
    assert 'class="error" id="action-owner_id-error"' in html  # at the field
    radios = re.findall(r'name="action-owner_id-pick" type="radio" value="(\d+)"', html)
    assert sorted(map(int, radios)) == sorted([s["anna"].id, twin.id])
    assert 'value="Anna Anwesend"' in html  # the typed text kept
    assert "Angebot einholen" in html
    response = post_action(client, s["meeting"], s["first"], **{
        "action-owner_id-text": "Anna Anwesend", "action-owner_id-pick": str(twin.id)})
    assert response.status_code == 302
    assert [a.owner_id for a in actions_of()] == [twin.id]


def test_moderation_explains_a_text_that_names_nobody(client, login_as, session):  # noqa: F811
    s = session
    login_as(s["moderator"])
    response = post_action(client, s["meeting"], s["first"], **{"action-owner_id-text": "Zacharias"})
    assert response.status_code == 422 and actions_of() == []
    html = response.get_data(as_text=True)
    assert "Keine Person gefunden, die zu „Zacharias“ passt." in html
    assert 'value="Zacharias"' in html and 'type="radio"' not in html


def test_the_id_of_a_suggestion_is_taken_unless_the_text_was_changed(client, login_as, session):  # noqa: F811
    s = session
    login_as(s["moderator"])
    # the script filled the id and left the name as suggested
    assert post_action(client, s["meeting"], s["first"], **{
        "action-owner_id": str(s["bert"].id), "action-owner_id-text": "Bert Beteiligt"}).status_code == 302
    # typed over afterwards (without the script clearing the id): the text decides
    assert post_action(client, s["meeting"], s["first"], **{
        "action-owner_id": str(s["bert"].id), "action-owner_id-text": "Erik"}).status_code == 302
    assert sorted(a.owner_id for a in actions_of()) == sorted([s["bert"].id, s["erik"].id])


def test_an_id_outside_the_pool_is_refused_at_the_field(client, login_as, session, make):  # noqa: F811
    s = session
    observer = make.person("observer", name="Otto Observer")
    _db.session.commit()
    login_as(s["moderator"])
    for value in (str(observer.id), "99999999", "abc"):
        response = post_action(client, s["meeting"], s["first"], **{"action-owner_id": value})
        assert response.status_code == 422, value
        assert "Diese Person steht hier nicht zur Wahl." in response.get_data(as_text=True)
    pick = post_action(client, s["meeting"], s["first"], **{
        "action-owner_id-text": "Otto", "action-owner_id-pick": str(observer.id)})
    assert pick.status_code == 422 and actions_of() == []


# resolution without JavaScript: the /actions filter -------------------------------------------

def test_the_actions_filter_resolves_the_typed_owner(client, login_as, people, make):
    make.action_item(people["anna"], title="Annas Aufgabe")
    make.action_item(people["bernd"], title="Bernds Aufgabe")
    twin = make.person("member", name="Anna Albers")
    make.action_item(twin, title="Die andere Anna")
    _db.session.commit()
    login_as(people["observer"])
    one = client.get("/actions?owner=&owner-text=Bernd").get_data(as_text=True)
    assert "Bernds Aufgabe" in one and "Annas Aufgabe" not in one
    assert f'name="owner" type="hidden" value="{people["bernd"].id}"' in one
    assert "owner=" + str(people["bernd"].id) in one  # links keep the filter by id
    several = client.get("/actions?owner-text=Anna+Albers").get_data(as_text=True)
    assert "Mehrere Personen passen zu „Anna Albers“." in several
    assert len(re.findall(r'name="owner-pick"', several)) == 2
    chosen = client.get(f"/actions?owner-text=Anna+Albers&owner-pick={twin.id}").get_data(as_text=True)
    assert "Die andere Anna" in chosen and "Annas Aufgabe" not in chosen
    nobody = client.get("/actions?owner-text=Zacharias").get_data(as_text=True)
    assert "Keine Person gefunden, die zu „Zacharias“ passt." in nobody and 'value="Zacharias"' in nobody
    # an old link with the id alone still filters
    old = client.get(f"/actions?owner={people['anna'].id}").get_data(as_text=True)
    assert "Annas Aufgabe" in old and "Bernds Aufgabe" not in old and 'value="Anna Albers"' in old


# pages stay the same size as the alliance grows ---------------------------------------------------

def _grow(make, total: int) -> None:
    """Active members (each owning an action item) until there are `total` people."""
    have = _db.session.scalar(select(func.count()).select_from(Person))
    for n in range(have, total):
        person = make.person("member", name=f"Mitglied {n:04d}", password=None)
        make.action_item(person, title=f"Aufgabe {n}")
    _db.session.commit()


def test_person_pages_carry_no_option_per_person(client, login_as, session, make, count_queries):  # noqa: F811
    s = session
    pages = [moderate_url(s["meeting"], s["first"]), "/actions", "/actions/new",
             f"/actions/new?group={s['group'].id}", "/meetings/new",
             f"/meetings/{s['meeting'].id}/edit", f"/meetings/{s['meeting'].id}/agenda",
             f"/meetings/{s['meeting'].id}/attendance", f"/groups/{s['group'].id}/members", "/groups/new"]
    measured = {}
    for size in (20, 400):
        _grow(make, size)
        login_as(s["office"])
        for path in pages:
            client.get(path)  # warm: the first request of a login does its own work
            with count_queries() as counter:
                response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
            assert "data-person-field" in response.get_data(as_text=True), path
            measured.setdefault(path, []).append((options(response.get_data(as_text=True)), counter.count))
    for path, ((options_small, queries_small), (options_big, queries_big)) in measured.items():
        assert options_small == options_big < 40, (path, measured[path])
        assert queries_small == queries_big, (path, measured[path])


# organizations: the same field in the office's forms of a person -----------------------------------

def test_organization_suggestions_are_for_the_office(client, login_as, people, make):
    make.organization(name="Stadtwerke Süd")
    _db.session.commit()
    login_as(people["office"])
    response = client.get("/organizations/suggest?q=stadtwerke")
    assert [o["name"] for o in response.json] == ["Stadtwerke Nord", "Stadtwerke Süd"]
    for role in ("member", "moderator", "observer"):
        login_as(people[role])
        assert client.get("/organizations/suggest?q=stadtwerke").status_code == 403


def _invite(client, **fields):
    return client.post("/members/new", data={"name": "Nora Neu", "email": "nora@example.org", "role": "member",
                                             "new_sector": "Handel", **fields})


def _invited() -> Person | None:
    return _db.session.scalar(select(Person).where(Person.email == "nora@example.org"))


def test_the_office_names_an_organization_by_typing(client, login_as, people, make):
    make.organization(name="Stadtwerke Süd")
    _db.session.commit()
    login_as(people["office"])
    several = _invite(client, **{"organization_id-text": "Stadtwerke"})
    assert several.status_code == 422 and _invited() is None
    html = several.get_data(as_text=True)
    assert "Mehrere Organisationen passen zu „Stadtwerke“. Bitte unten eine wählen." in html
    assert len(re.findall(r'name="organization_id-pick" type="radio"', html)) == 2
    nobody = _invite(client, **{"organization_id-text": "Bäckerei"})
    assert nobody.status_code == 422 and _invited() is None
    assert "Keine Organisation gefunden, die zu „Bäckerei“ passt." in nobody.get_data(as_text=True)
    assert 'value="Bäckerei"' in nobody.get_data(as_text=True)
    assert _invite(client, **{"organization_id-text": "stadtwerke nord"}).status_code == 302
    assert _invited().organization_id == people["nord"].id


def test_the_members_form_carries_no_option_per_organization(client, login_as, people, make, count_queries):
    login_as(people["office"])
    measured = []
    for size in (20, 400):
        while _db.session.scalar(select(func.count()).select_from(Organization)) < size:
            make.organization()
        _db.session.commit()
        for path in ("/members/new", f"/members/{people['anna'].id}/edit", "/profile"):
            client.get(path)
            with count_queries() as counter:
                html = client.get(path).get_data(as_text=True)
            assert "data-person-field" in html, path
            measured.append((path, options(html), counter.count))
    assert measured[:3] == measured[3:], measured
    assert all(count < 40 for _path, count, _queries in measured), measured


# the meeting filter of /actions: the same field, meetings by title --------------------------------

def test_the_actions_filter_finds_the_meeting_by_its_title(client, login_as, people, make):
    spring = make.meeting(people["group"], title="Frühjahrstreffen")
    autumn = make.meeting(people["group"], title="Herbsttreffen")
    make.meeting(people["group"], title="Treffen ohne Aufgaben")
    make.action_item(people["anna"], title="Aus dem Frühjahr", meeting=spring)
    make.action_item(people["anna"], title="Aus dem Herbst", meeting=autumn)
    _db.session.commit()
    login_as(people["observer"])
    found = client.get("/actions/meetings/suggest?q=treffen").json
    assert sorted(m["name"] for m in found) == ["Frühjahrstreffen", "Herbsttreffen"]  # only with items
    one = client.get("/actions?meeting-text=herbst").get_data(as_text=True)
    assert "Aus dem Herbst" in one and "Aus dem Frühjahr" not in one and f"meeting={autumn.id}" in one
    several = client.get("/actions?meeting-text=treffen").get_data(as_text=True)
    assert "Mehrere Treffen passen zu „treffen“." in several
    assert len(re.findall(r'name="meeting-pick" type="radio"', several)) == 2
    old = client.get(f"/actions?meeting={spring.id}").get_data(as_text=True)
    assert "Aus dem Frühjahr" in old and "Aus dem Herbst" not in old


def test_the_actions_page_carries_no_option_per_meeting(client, login_as, people, make, count_queries):
    login_as(people["observer"])
    measured = []
    for size in (5, 60):
        while _db.session.scalar(select(func.count()).select_from(ActionItem)) < size:
            make.action_item(people["anna"], meeting=make.meeting(people["group"]))
        _db.session.commit()
        client.get("/actions")
        with count_queries() as counter:
            html = client.get("/actions").get_data(as_text=True)
        measured.append((options(html), counter.count))
    assert measured[0] == measured[1], measured


def test_umlauts_fold_in_every_name_search_on_both_databases(client, login_as, people, make):
    """SQLite's own lower() leaves Ä, Ö, Ü as they are: "öko" must still find "Ökoprofit"."""
    oeko = make.organization(name="Ökoprofit Bottrop")
    make.person("member", name="Ülkü Özdemir", organization=oeko)
    meeting = make.meeting(people["group"])
    make.participation(meeting, make.person("member", name="Änne Ärmel"), invited_at=utcnow())
    _db.session.commit()
    login_as(people["office"])
    assert names(suggest(client, "öko")) == ["Ülkü Özdemir"]
    assert names(suggest(client, "ÜLKÜ")) == ["Ülkü Özdemir"]
    assert "Ülkü Özdemir" in client.get("/members", query_string={"q": "özdemir"}).text
    assert "Ökoprofit Bottrop" in client.get("/organizations", query_string={"q": "ökoprofit"}).text
    assert "Änne Ärmel" in client.get(f"/meetings/{meeting.id}", query_string={"q": "änne"}).text
    assert "Änne Ärmel" not in client.get(f"/meetings/{meeting.id}", query_string={"q": "özdemir"}).text
