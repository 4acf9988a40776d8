"""Live moderation as a meeting runs: nothing typed is lost when the agenda item changes, the
meeting begins once and ends after its last item, preparation before the meeting's day is said as
such, and whoever is given the moderation or the minutes of a meeting may run it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from portal.audit.models import AuditEvent
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


# nothing typed is lost when the agenda item changes ------------------------------------------

def typed(text, version=0, **more):
    """The text form as the browser sends it with any of its buttons (CRLF line ends)."""
    return {"text-text": text.replace("\n", "\r\n"), "text-version": str(version), **more}


def revisions(meeting) -> int:
    return _db.session.query(MinutesRevision).filter_by(meeting_id=meeting.id).count()


@pytest.fixture
def running(client, login_as, plenary):
    """The plenary under way: its minute-taker signed in, the first item running."""
    login_as(plenary["writer"])
    assert client.post(url(plenary["meeting"], "next")).status_code == 302
    assert moderation.current_item(plenary["meeting"]) is plenary["items"][0]
    return plenary


def test_next_item_saves_the_text_typed_into_the_shown_item_before_it_switches(client, running):
    meeting, (first, second, _) = running["meeting"], running["items"]
    response = client.post(url(meeting, "next", first), data=typed("OB begrüßt 50 Unternehmen.\nDank an die IHK."),
                           follow_redirects=True)
    assert first.minutes_text == "OB begrüßt 50 Unternehmen.\nDank an die IHK."
    assert revisions(meeting) == 1 and meeting.minutes_version == 1
    assert moderation.current_item(meeting) is second and first.ended_at is not None
    assert "Protokolltext gespeichert (Version 1). TOP 2 läuft." in response.text


@pytest.mark.parametrize("action,extra", [("end", {}), ("open", {"to": "third"}), ("start", {})])
def test_every_switch_saves_the_typed_text_first(client, running, action, extra):
    meeting, (first, _, third) = running["meeting"], running["items"]
    data = typed("Begrüßung durch den Oberbürgermeister.", **{k: str(third.id) for k in extra})
    response = client.post(url(meeting, action, first), data=data)
    assert response.status_code == 302
    assert first.minutes_text == "Begrüßung durch den Oberbürgermeister." and revisions(meeting) == 1
    if action == "open":
        assert response.headers["Location"].endswith(f"item={third.id}#minutes-text")


def test_a_switch_with_the_text_unchanged_writes_no_revision(client, running):
    meeting, (first, second, _) = running["meeting"], running["items"]
    first.minutes_text, meeting.minutes_version = "Schon gespeichert.", 4
    _db.session.commit()
    client.post(url(meeting, "next", first), data=typed("Schon gespeichert.", version=4))
    assert revisions(meeting) == 0 and meeting.minutes_version == 4
    assert moderation.current_item(meeting) is second


def test_a_switch_against_a_text_saved_meanwhile_shows_both_texts_and_switches_nothing(
        client, running, login_as):
    meeting, (first, _, _) = running["meeting"], running["items"]
    moderation.save_minutes_text(running["lead"], first, "Die Moderation schrieb dies.", 0)
    _db.session.commit()
    response = client.post(url(meeting, "next", first), data=typed("Die Protokollantin schrieb das.", version=0))
    assert response.status_code == 409
    assert "Die Moderation schrieb dies." in response.text and "Die Protokollantin schrieb das." in response.text
    assert f'action="/meetings/{meeting.id}/moderate/text?item={first.id}"' in response.text
    _db.session.expire_all()
    assert first.minutes_text == "Die Moderation schrieb dies." and moderation.current_item(meeting) is first


def test_a_switch_with_too_long_a_text_keeps_it_at_the_field_and_switches_nothing(client, running):
    meeting, (first, _, _) = running["meeting"], running["items"]
    text = "x" * (moderation.MAX_TEXT + 1)
    response = client.post(url(meeting, "next", first), data=typed(text))
    assert response.status_code == 422 and text in response.text
    _db.session.expire_all()
    assert first.minutes_text in (None, "") and moderation.current_item(meeting) is first


def test_a_switch_posted_without_the_text_form_leaves_the_stored_text(client, running):
    meeting, (first, second, _) = running["meeting"], running["items"]
    first.minutes_text = "Gespeicherter Text."
    _db.session.commit()
    assert client.post(url(meeting, "next", first)).status_code == 302
    assert first.minutes_text == "Gespeicherter Text." and moderation.current_item(meeting) is second


def test_the_switches_are_buttons_of_the_text_form_and_the_page_warns_before_leaving(client, running):
    meeting, (first, second, third) = running["meeting"], running["items"]
    page = client.get(url(meeting, item=first)).text
    assert 'id="minutes-text-form"' in page
    base = f"/meetings/{meeting.id}/moderate"
    for action, label in (("next", "Nächster TOP"), ("end", "TOP beenden")):
        assert (f'<button type="submit" form="minutes-text-form" formaction="{base}/{action}?item={first.id}"'
                in page), action
        assert f">{label}</button>" in page
    for other in (second, third):  # another item: a button of the form too, no plain link
        assert f'formaction="{base}/open?item={first.id}" name="to" value="{other.id}"' in page
        assert f'href="{base}?item={other.id}"' not in page
    assert "moderation.js" in page
    script = client.get("/static/moderation.js").text
    assert "beforeunload" in script and "minutes-text-form" in script


def test_without_the_text_form_the_agenda_items_stay_links(client, running):
    meeting, (first, second, _) = running["meeting"], running["items"]
    meeting.minutes_status = "in_review"
    _db.session.commit()
    page = client.get(url(meeting, item=first)).text
    assert 'id="minutes-text-form"' not in page and 'name="to"' not in page
    assert f'href="/meetings/{meeting.id}/moderate?item={second.id}"' in page


# the meeting begins once and ends after its last item -------------------------------------------

def test_the_meeting_begins_once_and_ends_only_after_its_last_item(client, running):
    meeting, (first, second, third) = running["meeting"], running["items"]
    page = client.get(url(meeting, item=first)).text
    assert "Sitzung beenden" not in page
    client.post(url(meeting, "end", first))
    page = client.get(url(meeting, item=first)).text
    assert "Sitzung beginnen" not in page and "Nächster TOP" in page and "Sitzung beenden" not in page

    response = client.post(url(meeting, "finish", first), follow_redirects=True)
    assert "erst nach dem letzten Tagesordnungspunkt" in response.text and meeting.is_planned

    client.post(url(meeting, "next", first))
    client.post(url(meeting, "next", second))
    assert moderation.current_item(meeting) is third
    page = client.get(url(meeting, item=third)).text
    assert "Sitzung beenden" in page and "Nächster TOP" not in page and "Sitzung beginnen" not in page
    assert meeting.is_planned  # starting items does not mark the meeting held

    response = client.post(url(meeting, "finish", third), data=typed("Termine 2027 folgen."))
    assert response.headers["Location"].endswith(f"/meetings/{meeting.id}/minutes")
    assert meeting.is_held and third.ended_at is not None and third.minutes_text == "Termine 2027 folgen."
    assert _db.session.query(AuditEvent).filter_by(action="meeting.held", entity_id=meeting.id).count() == 1
    page = client.get(url(meeting, item=third)).text
    assert "Die Sitzung ist beendet." in page
    assert "Sitzung beenden" not in page and "Sitzung beginnen" not in page


def test_before_the_meetings_day_moderation_is_preparation(client, login_as, plenary):
    meeting, first = plenary["meeting"], plenary["items"][0]
    meeting.starts_at = utcnow() + timedelta(days=3)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    _db.session.commit()
    login_as(plenary["office"])
    page = client.get(url(meeting, item=first)).text
    assert "Vorbereitung: Die Sitzung beginnt am" in page
    assert "Sitzung beginnen" not in page and "Diesen TOP jetzt beginnen" not in page
    response = client.post(url(meeting, "next", first), data=typed("Vorbereitete Notiz."))
    assert response.status_code == 422 and "Vorbereitung: Die Sitzung beginnt am" in response.text
    assert "Vorbereitete Notiz." in response.text  # kept as typed
    _db.session.expire_all()
    assert not moderation.begun(meeting)
    # texts can be prepared; opening another item keeps them too
    client.post(url(meeting, "open", first), data=typed("Vorbereitete Notiz.", to=str(plenary["items"][1].id)))
    assert first.minutes_text == "Vorbereitete Notiz."


def test_attendance_is_recorded_from_the_meetings_start(client, login_as, plenary, make):
    meeting = plenary["meeting"]
    row = make.participation(meeting, plenary["bystander"], rsvp="accepted")
    meeting.starts_at = utcnow() + timedelta(hours=2)
    meeting.ends_at = meeting.starts_at + timedelta(hours=2)
    _db.session.commit()
    login_as(plenary["office"])
    page = client.get(f"/meetings/{meeting.id}/attendance").text
    assert "ab dem Beginn der Sitzung erfasst" in page and f'name="attendance-{row.id}"' not in page
    client.post(f"/meetings/{meeting.id}/attendance", data={f"attendance-{row.id}": "present"})
    _db.session.expire_all()
    assert row.attendance == "unknown"
    meeting.starts_at = utc(2026, 1, 1, 15)  # begun
    _db.session.commit()
    client.post(f"/meetings/{meeting.id}/attendance", data={f"attendance-{row.id}": "present"})
    assert row.attendance == "present"
