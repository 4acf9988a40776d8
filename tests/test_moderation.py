"""Live moderation as a meeting runs: nothing typed is lost when the agenda item changes, the
meeting begins once and ends after its last item, preparation before the meeting's day is said as
such, and whoever is given the moderation or the minutes of a meeting may run it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.extensions import db as _db
from portal.minutes import moderation
from portal.minutes.models import MinutesRevision
from portal.types import utcnow
from tests.factories import utc


@pytest.fixture
def plenary(make):
    """A plenary that began an hour ago, with three agenda items; the office plans it, a member
    without any group rights is given its moderation, another one its minutes."""
    office = make.person("office", name="Olga Office")
    lead = make.person("member", name="Paula Plenum")
    writer = make.person("member", name="Sven Schreiber")
    bystander = make.person("member", name="Mia Mitglied")
    starts = utcnow() - timedelta(hours=1)
    meeting = make.meeting(None, title="8. Treffen der Wirtschaftsallianz", starts_at=starts,
                           moderator=lead, minute_taker=writer)
    items = [make.agenda_item(meeting, title=title, planned_minutes=15)
             for title in ("Begrüßung", "Umwelt- und Gesundheitsmanagement", "Verschiedenes")]
    _db.session.commit()  # a view's rollback (refused change) must not undo the test's data
    return dict(office=office, lead=lead, writer=writer, bystander=bystander, meeting=meeting,
                items=items)


def url(meeting, action=None, item=None):
    path = f"/meetings/{meeting.id}/moderate" + (f"/{action}" if action else "")
    return path + (f"?item={item.id}" if item else "")


# who may moderate ----------------------------------------------------------------------------

@pytest.mark.parametrize("part", ["lead", "writer"])
def test_the_plenarys_moderator_and_minute_taker_get_the_button_and_moderate(
        client, login_as, plenary, part):
    meeting, first = plenary["meeting"], plenary["items"][0]
    login_as(plenary[part])
    assert "Sitzung moderieren" in client.get(f"/meetings/{meeting.id}").text
    assert client.get(url(meeting)).status_code == 200
    response = client.post(url(meeting, "text", first), data={"text-text": "Begrüßung durch OB.",
                                                              "text-version": "0"})
    assert response.status_code == 302 and first.minutes_text == "Begrüßung durch OB."
    # the part is the moderation and the minutes, not the planning of the meeting
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 403


def test_a_member_without_a_part_in_the_plenary_may_not_moderate_it(client, login_as, plenary):
    meeting = plenary["meeting"]
    login_as(plenary["bystander"])
    assert "Sitzung moderieren" not in client.get(f"/meetings/{meeting.id}").text
    assert client.get(url(meeting)).status_code == 403


def test_an_observer_given_the_moderation_still_changes_nothing(client, login_as, plenary, make):
    observer = make.person("observer", name="Otto Observer")
    meeting = plenary["meeting"]
    meeting.moderator = observer
    _db.session.commit()
    login_as(observer)
    assert client.get(url(meeting)).status_code == 403
