"""Bounded lists on the meeting pages (issue 21 point 2): the meeting page, the attendance
register and the minutes page of a plenary with thousands of invitees show counts, a page of
rows and a search; their rows, their size and their queries do not grow with the meeting."""
from __future__ import annotations

import re
from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import event, func, insert, select

from portal.extensions import db as _db
from portal.meetings.models import Participation
from portal.meetings.queries import INVITEES_PER_PAGE
from portal.members.models import Organization, Person
from portal.minutes.pages import ATTENDEES_SHOWN
from portal.types import utcnow

ANSWERS = ("accepted", "declined", "tentative", "pending")
_batch = count()


@pytest.fixture
def office(make):
    return make.person("office", name="Olga Office", email="olga@example.org")


@pytest.fixture
def plenary(make, office):
    """A plenary that began an hour ago (its register can be kept), no invitees yet."""
    meeting = make.meeting(None, title="Plenum", organizer=office,
                           starts_at=utcnow().replace(microsecond=0) - timedelta(hours=1))
    make.agenda_item(meeting, title="Begrüßung")
    return meeting


@pytest.fixture
def plenary_id(plenary) -> int:
    return plenary.id


def _invite_many(meeting_id: int, n: int, attendance: str = "unknown") -> None:
    """n more invited members with organizations, inserted in bulk; answers in turn accepted,
    declined, tentative, pending."""
    session, batch, now = _db.session, next(_batch), utcnow()
    org_ids = list(session.scalars(insert(Organization).returning(Organization.id), [
        {"name": f"Betrieb {batch}-{i}", "sector": "Handel"} for i in range(n)]))
    person_ids = list(session.scalars(insert(Person).returning(Person.id), [
        {"name": f"Mitglied {batch}-{i:04d}", "email": f"m{batch}-{i}@example.org", "role": "member",
         "organization_id": org_ids[i], "calendar_token": f"b{batch}-{i}", "phone": ""}
        for i in range(n)]))
    session.execute(insert(Participation), [
        {"meeting_id": meeting_id, "person_id": pid, "rsvp": ANSWERS[i % 4], "attendance": attendance,
         "invited_at": now, "guest_name": "", "guest_organization": "", "guest_email": ""}
        for i, pid in enumerate(person_ids)])


def _guests(make, meeting) -> None:
    """Two guests invited by mail (one accepted) and one who just came (not an invitee)."""
    make.participation(meeting, guest_name="Gerda Gast", guest_organization="Hochschule",
                       guest_email="gerda@example.org", invited_at=utcnow(), rsvp="accepted")
    make.participation(meeting, guest_name="Gustav Gast", guest_email="gustav@example.org", invited_at=utcnow())
    make.participation(meeting, guest_name="Walter Walk-in", attendance="present")


def _fresh() -> None:
    """As in production: nothing loaded by an earlier request."""
    _db.session.commit()
    _db.session.expunge_all()


def _invitee_rows(html: str) -> int:
    section = html.split('id="invitees"', 1)[1].split("</section>", 1)[0]
    return section.count('<th scope="row">')


def _register_rows(html: str) -> int:
    return len(re.findall(r'<select name="attendance-\d+"', html))


def _get(client, count_queries, url: str):
    """The page (after _fresh), with its statements and (counter.participations) how many
    participations it built from rows."""
    _fresh()
    built = []

    def count(target, context):
        built.append(target)

    event.listen(Participation, "load", count)
    try:
        with count_queries() as counter:
            response = client.get(url)
    finally:
        event.remove(Participation, "load", count)
    assert response.status_code == 200, url
    counter.participations = len(built)
    return response, counter


def _at_two_sizes(client, make, meeting, count_queries, url: str) -> tuple:
    """The page (response, query counter) with 10 invited members and the guests, then with 200
    members more."""
    meeting_id = meeting.id
    _invite_many(meeting_id, 10)
    _guests(make, meeting)
    small = _get(client, count_queries, url)
    _invite_many(meeting_id, 200)
    return small, _get(client, count_queries, url)


# the meeting page --------------------------------------------------------------------------------

def test_meeting_page_shows_one_page_of_invitees_with_flat_queries_at_two_sizes(
        client, login_as, make, office, plenary, count_queries, plenary_id):
    login_as(office)
    url = f"/meetings/{plenary_id}"
    (small, small_queries), (big, big_queries) = _at_two_sizes(client, make, plenary, count_queries, url)
    assert _invitee_rows(small.text) == 12  # ten members and the two invited guests, not the walk-in
    assert "Walter Walk-in" not in small.text
    assert _invitee_rows(big.text) == INVITEES_PER_PAGE
    assert big_queries.count == small_queries.count, big_queries.statements
    assert big_queries.participations == INVITEES_PER_PAGE  # not the 212 to show 50
    assert len(big.data) < 60_000
    assert "Seite 1 von 5" in big.text  # 210 members and 2 guests, 50 a page
    # the last page ends with the guests, after the members
    last = client.get(url + "?page=5")
    assert _invitee_rows(last.text) == 12 and last.text.index("Mitglied") < last.text.index("Gustav Gast")


def test_meeting_page_counts_answers_of_members_and_guests_apart(client, login_as, make, office, plenary, plenary_id):
    _invite_many(plenary_id, 41)  # 11 accepted, 10 declined, 10 tentative, 10 pending
    _guests(make, plenary)
    login_as(office)
    html = client.get(f"/meetings/{plenary_id}").text
    counts, guests = re.findall(r'<ul class="rsvp-counts[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    figures = dict(re.findall(r"<li>([^<:]+): <strong>(\d+)</strong></li>", counts))
    assert figures == {"Zusage": "11", "Absage": "10", "vielleicht": "10", "keine Antwort": "10"}
    guest_figures = dict(re.findall(r"<li>([^<:]+): <strong>(\d+)</strong></li>", guests))
    assert guest_figures == {"Zusage": "1", "Absage": "0", "vielleicht": "0", "keine Antwort": "1"}


def test_search_finds_an_invitee_who_is_on_a_later_page(client, login_as, make, office, plenary, plenary_id):
    _invite_many(plenary_id, 120)
    zora = make.person(name="Zora Zander", organization=make.organization(name="Zinkhütte Nord"))
    make.participation(plenary, zora, invited_at=utcnow(), rsvp="tentative")
    login_as(office)
    url = f"/meetings/{plenary_id}"
    assert "Zora Zander" not in client.get(url).text
    assert "Zora Zander" in client.get(url + "?page=3").text
    for query in ("zander", "Zinkhütte"):  # by name or organization, case aside
        html = client.get(url, query_string={"q": query}).text
        assert "Zora Zander" in html and _invitee_rows(html) == 1
        assert 'value="' + query + '"' in html  # the search field keeps what was typed
    html = client.get(url, query_string={"q": "zander", "answer": "declined"}).text
    assert _invitee_rows(html) == 0 and "Niemand passt zur Suche." in html
    assert _invitee_rows(client.get(url, query_string={"answer": "tentative"}).text) == 31
    assert _invitee_rows(client.get(url, query_string={"q": "100%_"}).text) == 0  # no wildcard


def test_meeting_page_takes_any_page_and_filter_without_error(client, login_as, office, plenary_id):
    _invite_many(plenary_id, 60)
    login_as(office)
    url = f"/meetings/{plenary_id}"
    for args in ({"page": "abc"}, {"page": "-3"}, {"page": "99999999999999999999"}, {"answer": "ja"},
                 {"q": "x" * 500}, {"page": "7"}):
        assert client.get(url, query_string=args).status_code == 200, args
    assert "Seite 2 von 2" in client.get(url, query_string={"page": "7"}).text  # past the end: the last


def test_the_own_answer_stays_on_top_whatever_page_of_invitees(client, login_as, make, plenary, plenary_id):
    _invite_many(plenary_id, 80)
    mia = make.person(name="Mia Mitglied")
    make.participation(plenary, mia, invited_at=utcnow(), rsvp="accepted")
    login_as(mia)
    html = client.get(f"/meetings/{plenary_id}?page=2").text
    assert "Ihre Antwort" in html and 'id="invitees"' not in html  # members see no invitee list


# the attendance register ---------------------------------------------------------------------------

def test_register_shows_one_page_with_flat_queries_and_a_bounded_size(
        client, login_as, make, office, plenary, count_queries, plenary_id):
    login_as(office)
    url = f"/meetings/{plenary_id}/attendance"
    (small, small_queries), (big, big_queries) = _at_two_sizes(client, make, plenary, count_queries, url)
    assert _register_rows(small.text) == 13  # the walk-in too: the register lists everyone
    assert _register_rows(big.text) == INVITEES_PER_PAGE
    assert big_queries.count == small_queries.count, big_queries.statements
    assert big_queries.participations == INVITEES_PER_PAGE
    assert len(big.data) < 120_000
    html = client.get(url, query_string={"q": "Walk-in"}).text
    assert _register_rows(html) == 1 and "Walter Walk-in" in html
    html = client.get(url, query_string={"answer": "declined"}).text
    assert _register_rows(html) == INVITEES_PER_PAGE and "Seite 1 von 2" in html  # 52 declined


def test_saving_a_page_of_the_register_changes_its_rows_and_returns_to_it(client, db, login_as, office, plenary_id):
    _invite_many(plenary_id, 120)
    login_as(office)
    url = f"/meetings/{plenary_id}/attendance?page=2"
    html = client.get(url).text
    ids = [int(i) for i in re.findall(r'<select name="attendance-(\d+)"', html)]
    assert len(ids) == INVITEES_PER_PAGE
    assert f'action="/meetings/{plenary_id}/attendance?page=2"' in html
    response = client.post(url, data={f"attendance-{i}": "absent" for i in ids})
    assert response.status_code == 302 and response.headers["Location"].endswith("/attendance?page=2")
    absent = set(db.session.scalars(select(Participation.id).where(Participation.attendance == "absent")))
    assert absent == set(ids)


def test_all_present_marks_every_row_not_only_the_page_shown(client, db, login_as, office, plenary_id):
    _invite_many(plenary_id, 130)
    login_as(office)
    html = client.get(f"/meetings/{plenary_id}/attendance").text
    assert "Gilt für alle 130 in der Liste" in html
    assert client.post(f"/meetings/{plenary_id}/attendance/all-present").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Participation).where(
        Participation.meeting_id == plenary_id, Participation.attendance != "present")) == 0


# the minutes page ------------------------------------------------------------------------------------

def test_minutes_page_reads_the_participations_once_and_names_attendees_compactly(
        client, login_as, make, office, plenary, count_queries, plenary_id):
    login_as(office)
    url = f"/meetings/{plenary_id}/minutes"
    _invite_many(plenary_id, 10, attendance="present")
    small, small_queries = _get(client, count_queries, url)
    assert "Alle Namen anzeigen" not in small.text and small.text.count("Mitglied ") == 10
    _invite_many(plenary_id, 200, attendance="present")
    _invite_many(plenary_id, 40, attendance="excused")
    big, big_queries = _get(client, count_queries, url)
    assert big_queries.count == small_queries.count, big_queries.statements
    assert big_queries.participations == 2 * ATTENDEES_SHOWN  # the names shown, no more
    assert "Anwesend (210)" in big.text and "Entschuldigt (40)" in big.text
    assert big.text.count("Mitglied ") == 2 * ATTENDEES_SHOWN
    assert re.search(r"\(Betrieb [0-9-]+\)\s+und 180 weitere</p>", big.text) and "und 10 weitere" in big.text
    assert len(big.data) < len(small.data) + 15_000
    every, every_queries = _get(client, count_queries, url + "?attendees=all")
    assert every.text.count("Mitglied ") == 250 and "Weniger Namen anzeigen" in every.text
    assert sum("FROM participations" in s for s in every_queries.statements) == 1, every_queries.statements
    assert every_queries.participations == 250  # read once, not twice


def test_minutes_draft_editor_reads_a_bounded_number_of_participations(
        client, login_as, office, plenary, count_queries, plenary_id):
    item_id = plenary.agenda_items[0].id
    _invite_many(plenary_id, 80, attendance="present")
    login_as(office)
    assert client.post(f"/meetings/{plenary_id}/minutes/start").status_code == 302
    editor, counter = _get(client, count_queries, f"/meetings/{plenary_id}/minutes?edit={item_id}")
    assert 'name="text-text"' in editor.text and "Anwesend (80)" in editor.text
    assert counter.participations == ATTENDEES_SHOWN


# the invitation page -------------------------------------------------------------------------------

def _members_many(n: int) -> None:
    """n more active members, not invited to anything."""
    batch = next(_batch)
    _db.session.execute(insert(Person), [
        {"name": f"Neu {batch}-{i:04d}", "email": f"n{batch}-{i}@example.org", "role": "member",
         "calendar_token": f"n{batch}-{i}", "phone": ""} for i in range(n)])


def test_invitation_page_names_a_few_of_the_series_and_counts_the_rest_with_flat_queries(
        client, login_as, make, office, count_queries, outbox):
    meeting = make.meeting(None, title="Plenum", organizer=office, starts_at=utcnow() + timedelta(days=14))
    meeting_id, url = meeting.id, f"/meetings/{meeting.id}/invite"
    _invite_many(meeting_id, 5)
    _members_many(10)
    login_as(office)
    small, small_queries = _get(client, count_queries, url)
    _invite_many(meeting_id, 100)
    _members_many(200)
    big, big_queries = _get(client, count_queries, url)

    assert "11 Personen sind noch nicht eingeladen:" in small.text and "weitere" not in small.text
    assert "211 Personen sind noch nicht eingeladen:" in big.text and "und 181 weitere." in big.text
    assert "Bisher eingeladen: 105 (Zusagen: 27, Absagen: 26)." in big.text
    assert big.text.count('type="checkbox"') == small.text.count('type="checkbox"') == 1
    assert big_queries.count == small_queries.count, big_queries.statements
    assert small_queries.participations == big_queries.participations == 0
    assert len(big.data) < 40_000

    response = client.post(url, data={"series_members": "y"})  # invites all 211, not the 30 named
    assert response.status_code == 302
    assert _db.session.scalar(select(func.count()).select_from(Participation).where(
        Participation.meeting_id == meeting_id, Participation.invited_at.is_not(None))) == 316
    assert len(outbox.messages) == 211
