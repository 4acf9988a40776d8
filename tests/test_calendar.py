"""Calendar: .ics per meeting, invitations, personal and group feeds.

Every calendar is read back twice: with icalendar and with the independent `ical` parser
(not vobject, which misreads VTIMEZONE). Times are checked as Berlin wall-clock times,
once through the TZID name and once through our own VTIMEZONE alone (TZID renamed, so
that no parser can fall back to its tz database).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from email import message_from_bytes

import icalendar
import pytest
from flask import render_template
from ical.calendar_stream import IcsCalendarStream
from ical.timezone import IcsTimezoneInfo
from sqlalchemy import insert, select

from portal.audit.models import AuditEvent
from portal.calendar.ics import berlin_timezone, invitation_attachment, meeting_calendar
from portal.mail import build
from portal.meetings.models import AgendaItem, Meeting
from portal.types import BERLIN, local_today, utcnow
from tests.factories import utc

HOST = "portal.example.org"  # PORTAL_BASE_URL of the test config


# --- reading calendars -----------------------------------------------------------------

def lines_of(body: bytes) -> list[bytes]:
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    return body.split(b"\r\n")[:-1]


def own_zone_name() -> str:
    """A fresh TZID each time: icalendar caches the zones it built by TZID."""
    return f"Allianz-Zeit-{uuid.uuid4().hex[:8]}"


def parse(body: bytes, *, own_zone: bool = False):
    """(icalendar, ical) readings of body; own_zone renames the TZID so that both parsers
    must use the VTIMEZONE we wrote instead of their tz database."""
    for line in lines_of(body):  # RFC 5545 3.1: at most 75 octets, folded on characters
        assert len(line) <= 75, line
        line.decode("utf-8")
    text = body.decode("utf-8")
    if own_zone:
        text = text.replace("Europe/Berlin", own_zone_name())
    return icalendar.Calendar.from_ical(text), IcsCalendarStream.calendar_from_ics(text)


def only_event(body: bytes, **kw):
    first, second = parse(body, **kw)
    assert len(first.events) == 1 and len(second.events) == 1
    return first, first.events[0], second, second.events[0]


def local(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN).replace(tzinfo=None)


@pytest.fixture
def office(make):
    return make.person("office", name="Olga Office", email="olga@example.org")


@pytest.fixture
def member(make):
    return make.person(name="Mia Mitglied", email="mia@example.org")


# --- one meeting -----------------------------------------------------------------------

def test_meeting_ics_describes_the_meeting_for_calendar_programs(client, login_as, make, office, member):
    meeting = make.meeting(None, title="8. Plenum", starts_at=utc(2030, 7, 4, 15), location="Rathaus",
                           room="Saal 2", online_url="https://meet.example.org/plenum",
                           organizer=office, ical_sequence=3)
    make.agenda_item(meeting, title="Begrüßung")
    make.agenda_item(meeting, title="Projekt Louise", description="Stand **der** Dinge & Ausblick")
    login_as(member)

    response = client.get(f"/meetings/{meeting.id}.ics")

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"].startswith("attachment")
    cal, event, cal2, event2 = only_event(response.data)
    assert cal["METHOD"] == "PUBLISH" and cal2.method == "PUBLISH"
    assert str(event["UID"]) == event2.uid == f"meeting-{meeting.id}@{HOST}"
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert local(event.start) == local(event2.dtstart) == datetime(2030, 7, 4, 17, 0)
    assert local(event.end) == datetime(2030, 7, 4, 19, 0)
    assert event["SUMMARY"] == event2.summary == "Treffen der Wirtschaftsallianz Bottrop – 8. Plenum"
    assert event["LOCATION"] == event2.location == "Rathaus, Saal 2"
    description = event2.description
    assert "TOP 1: Begrüßung\nTOP 2: Projekt Louise\n  Stand der Dinge & Ausblick" in description
    assert "https://meet.example.org/plenum" in description
    assert event["URL"] == event2.url == f"https://{HOST}/meetings/{meeting.id}"
    # Olga has not consented to showing her address: the office's stands in (portal.permissions.shows_contact)
    assert event["ORGANIZER"] == "mailto:geschaeftsstelle@example.org"
    assert event["ORGANIZER"].params["CN"] == "Olga Office"
    assert event["STATUS"] == "CONFIRMED" and event2.status == "CONFIRMED"
    assert event["SEQUENCE"] == event2.sequence == 3
    assert event2.last_modified == meeting.updated_at.replace(microsecond=0)
    assert event2.dtstamp is not None


def test_meeting_ics_of_unknown_meeting_is_404(client, login_as, member):
    login_as(member)
    assert client.get("/meetings/999999.ics").status_code == 404


@pytest.mark.parametrize("starts_utc, wall_clock", [
    (utc(2030, 7, 4, 16), datetime(2030, 7, 4, 18, 0)),      # summer: UTC+2
    (utc(2030, 1, 14, 17), datetime(2030, 1, 14, 18, 0)),    # winter: UTC+1
    (utc(2030, 3, 31, 0, 30), datetime(2030, 3, 31, 1, 30)),  # DST day, before the change
    (utc(2030, 3, 31, 8), datetime(2030, 3, 31, 10, 0)),      # DST day, after the change
    (utc(2030, 10, 27, 8), datetime(2030, 10, 27, 9, 0)),     # back to winter time
])
def test_local_times_in_summer_winter_and_on_the_day_of_the_change(make, app, starts_utc, wall_clock):
    meeting = make.meeting(None, starts_at=starts_utc)
    body = meeting_calendar(meeting).to_ical()
    assert f"DTSTART;TZID=Europe/Berlin:{wall_clock:%Y%m%dT%H%M%S}".encode() in body
    for own_zone in (False, True):
        _, event, _, event2 = only_event(body, own_zone=own_zone)
        assert event.start.astimezone(timezone.utc) == starts_utc
        assert event2.dtstart.astimezone(timezone.utc) == starts_utc
        assert local(event2.dtstart) == wall_clock


def test_repeated_autumn_hour_is_written_in_utc(make, app):
    meeting = make.meeting(None, starts_at=utc(2030, 10, 27, 1, 30))  # the second 02:30
    body = meeting_calendar(meeting).to_ical()
    assert b"DTSTART:20301027T013000Z" in body
    _, event, _, event2 = only_event(body)
    assert event.start == event2.dtstart == utc(2030, 10, 27, 1, 30)


def test_vtimezone_is_present_and_bounded_to_the_years_needed(make, app):
    meeting = make.meeting(None, starts_at=utc(2031, 6, 1, 8))
    cal, _, cal2, _ = only_event(meeting_calendar(meeting).to_ical())
    (zone,) = cal.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    onsets = {part.name: part for part in zone.subcomponents}
    # the STANDARD observance in force since October 2030, the DAYLIGHT of 2031, nothing else
    assert sorted(onsets) == ["DAYLIGHT", "STANDARD"]
    assert onsets["DAYLIGHT"]["DTSTART"].dt == datetime(2031, 3, 30, 2, 0)
    assert onsets["DAYLIGHT"]["TZOFFSETFROM"].td == timedelta(hours=1)
    assert onsets["STANDARD"]["DTSTART"].dt == datetime(2030, 10, 27, 3, 0)
    # the rules in force are open-ended: one VTIMEZONE serves every file (issue 19)
    assert "COUNT" not in onsets["STANDARD"]["RRULE"] and "UNTIL" not in onsets["STANDARD"]["RRULE"]
    assert "COUNT" not in onsets["DAYLIGHT"]["RRULE"] and "UNTIL" not in onsets["DAYLIGHT"]["RRULE"]
    assert b"1970" not in zone.to_ical() and b"2038" not in zone.to_ical()
    assert [tz.tz_id for tz in cal2.timezones] == ["Europe/Berlin"]


@pytest.mark.parametrize("year", [2205, 9999])
def test_a_meeting_dated_far_ahead_by_mistake_breaks_no_calendar(client, login_as, make, member, year):
    """Such a date is refused when planning; one already stored must not stop any feed."""
    make.meeting(None, title="Plenum heute", starts_at=utcnow() + timedelta(days=3))
    far = make.meeting(None, title="Tippfehler", starts_at=datetime(year, 12, 31, 15, tzinfo=timezone.utc))
    response = client.get(f"/calendar/{member.calendar_token}.ics")
    assert response.status_code == 200
    assert summaries(response.data) == {"Plenum heute"}  # the feed ends two years ahead
    login_as(member)
    assert client.get(f"/meetings/{far.id}.ics").status_code == 200


def _unambiguous(wall: datetime) -> bool:
    """A Berlin wall-clock time that exists and happens once (not in the gap or the
    repeated hour of a change)."""
    first, second = wall.replace(tzinfo=BERLIN), wall.replace(tzinfo=BERLIN, fold=1)
    back = first.astimezone(timezone.utc).astimezone(BERLIN).replace(tzinfo=None)
    return back == wall and first.utcoffset() == second.utcoffset()


def test_vtimezone_agrees_with_the_tz_database_hour_by_hour(app):
    """Both parsers, reading only our VTIMEZONE, give every Berlin wall-clock time of
    three years the offset of the tz database."""
    text = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n" + berlin_timezone(2027, 2029).to_ical()
            + b"END:VCALENDAR\r\n").decode().replace("Europe/Berlin", own_zone_name())
    zones = [icalendar.Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz(),
             IcsTimezoneInfo.from_timezone(IcsCalendarStream.calendar_from_ics(text).timezones[0])]
    wall = datetime(2027, 1, 1, 0, 30)
    while wall < datetime(2030, 1, 1):
        if _unambiguous(wall):
            expected = wall.replace(tzinfo=BERLIN).utcoffset()
            for zone in zones:
                assert wall.replace(tzinfo=zone).utcoffset() == expected, (wall, zone)
        wall += timedelta(hours=1)


# --- invitations, changes, cancellations -----------------------------------------------

def test_update_keeps_the_uid_and_raises_the_sequence(make, app, member):
    meeting = make.meeting(None, starts_at=utc(2030, 7, 4, 16))
    make.participation(meeting, member)
    _, first, _, first2 = only_event(invitation_attachment(meeting, member, "REQUEST"))

    meeting.starts_at, meeting.ends_at = utc(2030, 7, 5, 16), utc(2030, 7, 5, 18)
    meeting.ical_sequence += 1  # what the meetings area does on a change of time or place
    cal, second, cal2, second2 = only_event(invitation_attachment(meeting, member, "REQUEST"))

    assert cal["METHOD"] == "REQUEST" and cal2.method == "REQUEST"
    assert second["UID"] == first["UID"] and second2.uid == first2.uid
    assert second2.sequence == first2.sequence + 1
    assert local(second2.dtstart) == datetime(2030, 7, 5, 18, 0)


def test_cancellation_has_method_cancel_status_cancelled_and_a_higher_sequence(make, app, member):
    meeting = make.meeting(None, starts_at=utc(2030, 7, 4, 16))
    make.participation(meeting, member, rsvp="accepted")
    _, invited, _, _ = only_event(invitation_attachment(meeting, member, "REQUEST"))

    meeting.status, meeting.cancel_reason = "cancelled", "Referent erkrankt"
    meeting.ical_sequence += 1
    cal, event, cal2, event2 = only_event(invitation_attachment(meeting, member, "CANCEL"))

    assert cal["METHOD"] == "CANCEL" and cal2.method == "CANCEL"
    assert event["STATUS"] == "CANCELLED" and event2.status == "CANCELLED"
    assert event["UID"] == invited["UID"]
    assert event["SEQUENCE"] > invited["SEQUENCE"]
    assert "Referent erkrankt" in event2.description
    assert event2.attendees[0].uri == "mailto:mia@example.org"


@pytest.mark.parametrize("rsvp, partstat", [
    ("pending", "NEEDS-ACTION"), ("accepted", "ACCEPTED"),
    ("declined", "DECLINED"), ("tentative", "TENTATIVE"),
])
def test_attendee_line_carries_the_rsvp_as_partstat(make, app, member, rsvp, partstat):
    meeting = make.meeting(None)
    make.participation(meeting, make.person())
    make.participation(meeting, member, rsvp=rsvp)
    _, event, _, event2 = only_event(invitation_attachment(meeting, member, "REQUEST"))
    (attendee,) = event2.attendees
    assert attendee.uri == "mailto:mia@example.org" and attendee.common_name == "Mia Mitglied"
    assert attendee.status == partstat
    assert event["ATTENDEE"].params["PARTSTAT"] == partstat


def test_invitation_mail_carries_a_text_calendar_request_part(make, app, member):
    meeting = make.meeting(None)
    make.participation(meeting, member)
    msg = build(member.email, "Einladung", "Hallo",
                calendar=invitation_attachment(meeting, member, "REQUEST"), calendar_method="REQUEST")
    part = next(p for p in message_from_bytes(bytes(msg)).walk()
                if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    only_event(part.get_payload(decode=True))


def test_unknown_method_is_refused(make, app):
    with pytest.raises(ValueError):
        meeting_calendar(make.meeting(None), method="PUBLISHED")


HOSTILE = "Treffen, Teil 1; Bericht \\ Übersicht\nzweite Zeile: Größe äöüß " + "Ä" * 200
HOSTILE_PLACE = "Bürgerhaus; Saal \"Nord\", Ebene 2 \\ Rückgebäude " + "x" * 150


def test_hostile_texts_are_escaped_and_folded(make, app, office, member):
    meeting = make.meeting(None, title=HOSTILE[:300], location=HOSTILE_PLACE, room="R; 2,1",
                           organizer=office, online_url="https://meet.example.org/a?b=1;c=2,3")
    make.agenda_item(meeting, title="TOP; mit, Zeichen \\ " + "ü" * 200,
                     description="Zeile eins, mit Komma\nZeile zwei; mit Semikolon \\ Ende")
    make.participation(meeting, member)
    for body in (meeting_calendar(meeting).to_ical(),
                 invitation_attachment(meeting, member, "REQUEST")):
        _, event, _, event2 = only_event(body)  # also checks: every line ≤ 75 octets
        assert event["SUMMARY"] == event2.summary == f"Treffen der Wirtschaftsallianz Bottrop – {HOSTILE[:300]}"
        assert event2.location == event["LOCATION"] == f"{HOSTILE_PLACE}, R; 2,1"
        assert "TOP 1: TOP; mit, Zeichen \\ " + "ü" * 200 in event2.description
        assert "Zeile zwei; mit Semikolon \\ Ende" in event2.description
        assert "https://meet.example.org/a?b=1;c=2,3" in event2.description
        unfolded = body.replace(b"\r\n ", b"")
        assert b"Treffen\\, Teil 1\\; Bericht \\\\ \xc3\x9cbersicht\\nzweite" in unfolded
        assert any(line.startswith(b" ") for line in lines_of(body))  # long lines folded


# --- feeds -----------------------------------------------------------------------------

def _feed_world(make, member, office):
    mine = make.group(members=[member], name="Handel der Zukunft")
    other = make.group(name="Handwerk digital")
    now = utcnow().replace(microsecond=0)
    soon = now + timedelta(days=10)
    return {
        "mine": mine, "other": other,
        "own": make.meeting(mine, title="Eigene Gruppe", starts_at=soon),
        "recent": make.meeting(mine, title="Vor einem Monat", starts_at=now - timedelta(days=30)),
        "old": make.meeting(mine, title="Vor einem halben Jahr", starts_at=now - timedelta(days=200)),
        "plenary": make.meeting(None, title="Plenum", starts_at=soon),
        "cancelled": make.meeting(None, title="Abgesagtes Plenum", starts_at=soon,
                                  status="cancelled", ical_sequence=1),
        "foreign": make.meeting(other, title="Fremde Gruppe", starts_at=soon),
        "invited": make.meeting(other, title="Eingeladen als Gast", starts_at=soon + timedelta(days=1)),
    }


def summaries(body: bytes) -> set[str]:
    """The titles in a feed: a meeting's SUMMARY is its full name, "<series> – <title>"."""
    cal, cal2 = parse(body)
    found = {str(e["SUMMARY"]) for e in cal.events}
    assert found == {e.summary for e in cal2.events}
    return {summary.partition(" – ")[2] or summary for summary in found}


def test_personal_feed_shows_own_groups_plenary_and_invitations_only(client, make, member, office):
    w = _feed_world(make, member, office)
    make.participation(w["invited"], member)

    response = client.get(f"/calendar/{member.calendar_token}.ics")

    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert summaries(response.data) == {
        "Eigene Gruppe", "Vor einem Monat", "Plenum", "Abgesagtes Plenum", "Eingeladen als Gast",
    }
    cal, cal2 = parse(response.data)
    assert cal["X-WR-CALNAME"].endswith("Mia Mitglied")
    cancelled = next(e for e in cal2.events if e.summary.endswith(" – Abgesagtes Plenum"))
    assert cancelled.status == "CANCELLED" and cancelled.sequence == 1
    assert len(cal.walk("VTIMEZONE")) == 1
    assert b"ATTENDEE" not in response.data and b"Frist:" not in response.data


def test_feed_leaves_out_meetings_of_groups_the_owner_left(client, make, member, office):
    w = _feed_world(make, member, office)
    membership = member.memberships[0]
    membership.status = "left"
    assert "Eigene Gruppe" not in summaries(client.get(f"/calendar/{member.calendar_token}.ics").data)
    assert w["own"].id  # the meeting is still there, only not the member's any more


def test_feed_with_actions_adds_due_dates_of_own_open_action_items(client, make, member, office):
    _feed_world(make, member, office)
    today = local_today()
    make.action_item(member, title="Angebot einholen", due_on=today + timedelta(days=5))
    make.action_item(member, title="In Arbeit", due_on=today + timedelta(days=6), status="in_progress")
    make.action_item(member, title="Erledigt", due_on=today + timedelta(days=5), status="done")
    make.action_item(office, title="Fremde Aufgabe", due_on=today + timedelta(days=5))

    body = client.get(f"/calendar/{member.calendar_token}.ics?actions=1").data

    titles = summaries(body)
    assert {"Frist: Angebot einholen", "Frist: In Arbeit"} <= titles
    assert not {"Frist: Erledigt", "Frist: Fremde Aufgabe"} & titles
    cal, cal2 = parse(body)
    item = next(e for e in cal2.events if e.summary == "Frist: Angebot einholen")
    assert item.dtstart == today + timedelta(days=5)  # an all-day date, no time
    assert item.dtend == today + timedelta(days=6)
    assert b"DTSTART;VALUE=DATE:" in body


def test_unknown_token_and_inactive_person_answer_404(client, make, member):
    assert client.get("/calendar/nicht-vorhanden.ics").status_code == 404
    member.active = False
    assert client.get(f"/calendar/{member.calendar_token}.ics").status_code == 404


def test_regenerated_token_makes_the_old_url_404_at_once(client, login_as, make, member, db):
    old = member.calendar_token
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    login_as(member)

    response = client.post("/profile/calendar-token")

    assert response.status_code == 302 and response.headers["Location"].endswith("#kalender-abonnieren")
    db.session.refresh(member)
    assert member.calendar_token != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{member.calendar_token}.ics").status_code == 200
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "calendar.token_regenerated")).one()
    assert event.entity_id == member.id and old not in str(event.changes)


def test_group_feed_shows_that_groups_meetings_only(client, make, member, office):
    w = _feed_world(make, member, office)
    other = w["other"]
    response = client.get(f"/groups/{other.id}/calendar/{member.calendar_token}.ics")
    assert response.status_code == 200
    assert summaries(response.data) == {"Fremde Gruppe", "Eingeladen als Gast"}
    assert client.get(f"/groups/999999/calendar/{member.calendar_token}.ics").status_code == 404
    assert client.get(f"/groups/{other.id}/calendar/falsch.ics").status_code == 404


def test_feed_answers_304_to_a_repeated_conditional_request(client, make, member, office):
    w = _feed_world(make, member, office)
    url = f"/calendar/{member.calendar_token}.ics"
    first = client.get(url)
    assert first.headers["ETag"] and "no-cache" in first.headers["Cache-Control"]

    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""

    w["plenary"].title = "Plenum (verschoben)"
    changed = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]


def test_meeting_ics_answers_304_too(client, login_as, make, member):
    meeting = make.meeting(None)
    login_as(member)
    first = client.get(f"/meetings/{meeting.id}.ics")
    again = client.get(f"/meetings/{meeting.id}.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def _many_meetings(db, group, count: int) -> None:
    start = utcnow() + timedelta(days=1)
    rows = [{"kind": "group", "group_id": group.id, "title": f"Treffen {n}",
             "starts_at": start + timedelta(days=n), "ends_at": start + timedelta(days=n, hours=2)}
            for n in range(count)]
    db.session.execute(insert(Meeting), rows)
    ids = db.session.scalars(select(Meeting.id).where(Meeting.group_id == group.id)).all()
    db.session.execute(insert(AgendaItem), [
        {"meeting_id": meeting_id, "position": p, "title": f"TOP {p}"} for meeting_id in ids for p in (1, 2)
    ])


def test_feed_queries_do_not_grow_with_the_number_of_meetings(client, make, member, office, db,
                                                               count_queries):
    group = make.group(members=[member])
    make.action_item(member, due_on=local_today() + timedelta(days=3))
    counts = []
    for size in (2, 40):
        _many_meetings(db, group, size)
        token, group_id = member.calendar_token, group.id
        db.session.expire_all()
        db.session.info.pop("site_settings", None)  # the stored mail domain is read once per session
        with count_queries() as counter:
            response = client.get(f"/calendar/{token}.ics?actions=1")
            group_response = client.get(f"/groups/{group_id}/calendar/{token}.ics")
        assert response.status_code == group_response.status_code == 200
        counts.append(counter.count)
    assert len(parse(response.data)[1].events) == 42 + 1
    assert counts[0] == counts[1] == 9, counts  # 4 per feed, and the mail domain of the UIDs once


def test_feed_covers_90_days_back_to_two_years_ahead(client, make, member):
    group = make.group(members=[member])
    today = local_today()

    def at_four(days: int) -> datetime:
        day = today + timedelta(days=days)
        return datetime(day.year, day.month, day.day, 16, tzinfo=BERLIN).astimezone(timezone.utc)

    for days, title in ((-91, "zu alt"), (-89, "vor drei Monaten"), (729, "in zwei Jahren"), (731, "zu weit")):
        make.meeting(group, title=title, starts_at=at_four(days))
    for days, title in ((-91, "alte Frist"), (-89, "Frist vorbei"), (730, "ferne Frist"), (731, "zu ferne Frist")):
        make.action_item(member, title=title, due_on=today + timedelta(days=days))
    events = parse(client.get(f"/calendar/{member.calendar_token}.ics?actions=1").data)[1].events
    shown = " | ".join(str(event.summary) for event in events)
    for title in ("vor drei Monaten", "in zwei Jahren", "Frist vorbei", "ferne Frist"):
        assert title in shown, title
    for title in ("zu alt", "zu weit", "alte Frist", "zu ferne Frist"):
        assert title not in shown, title


# --- the includes for other pages ------------------------------------------------------

def test_profile_section_offers_copyable_webcal_and_renewal(app, member):
    with app.test_request_context("/profile"):
        html = render_template("calendar/_subscribe.html", person=member)
    url = f"https://{HOST}/calendar/{member.calendar_token}.ics"
    assert "Kalender abonnieren" in html
    assert f'value="{url}"' in html and f'value="{url}?actions=1"' in html
    assert f'href="webcal://{HOST}/calendar/{member.calendar_token}.ics"' in html
    assert 'action="/profile/calendar-token"' in html and 'method="post"' in html
    assert '<label for="calendar-feed-url">' in html


def test_group_and_meeting_includes_link_to_their_calendars(app, make, member, login_as, client):
    group = make.group()
    meeting = make.meeting(group)
    with app.test_request_context("/"):
        from flask_login import login_user
        login_user(member)
        group_html = render_template("calendar/_group_subscribe.html", group=group)
        meeting_html = render_template("calendar/_meeting_link.html", meeting=meeting)
    assert f"/groups/{group.id}/calendar/{member.calendar_token}.ics" in group_html
    assert "webcal://" in group_html
    assert f'href="/meetings/{meeting.id}.ics"' in meeting_html and "In Kalender übernehmen" in meeting_html
