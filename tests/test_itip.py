"""Invitation mails as meeting requests (RFC 6047) and times every client reads alike (issue 19).

Every mail of invite → reschedule → agenda change → cancel is parsed as a mail client would:
MIME structure, METHOD in the part and in the VCALENDAR, one UID, a rising SEQUENCE, no request
to the organizer; the meeting form at the daylight-saving edges; the files read with the `ical`
package (as libical-style readers do) give the instants icalendar gives.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone
from email.utils import parseaddr

import pytest
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar
from sqlalchemy import select

from portal.calendar.ics import berlin_timezone, invitation_attachment, meeting_calendar, meeting_uid
from portal.mail import build
from portal.meetings import invitations
from portal.meetings.models import Meeting
from portal.site_settings.models import SiteSetting
from tests.factories import utc
from tests.test_calendar import member, office  # noqa: F401 (the same people as there)

OFFICE = "geschaeftsstelle@example.org"


@pytest.fixture
def organizer(make):
    return make.person(name="Ora Organisatorin", email="ora@example.org", show_email=True)


@pytest.fixture
def group(make, member, organizer):
    return make.group(moderator=organizer, members=[member], name="Handel der Zukunft")


def _form(**overrides) -> dict:
    data = {"title": "Stadtlogistik", "day": "2031-03-04", "start_time": "16:00", "end_time": "18:00",
            "location": "Rathaus", "room": "Saal 2", "organizer_id": "0", "moderator_id": "0",
            "minute_taker_id": "0"}
    data.update(overrides)
    return data


def _latest(db) -> Meeting:
    return db.session.scalars(select(Meeting).order_by(Meeting.id.desc())).first()


def _calendar_parts(message) -> list:
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def _request(message, method: str):
    """The meeting request's structure; returns its parsed VEVENT."""
    assert message.get_content_type() == "multipart/mixed"
    alternative, attachment = message.get_payload()
    assert alternative.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain", "text/html", "text/calendar"]
    inline = alternative.get_payload()[2]
    assert inline.get_param("method") == method and inline.get_param("charset") == "utf-8"
    assert inline.get_content_disposition() is None  # inline, not an attachment
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename().endswith(".ics")
    body = inline.get_payload(decode=True)
    assert attachment.get_payload(decode=True) == body
    calendar = Calendar.from_ical(body)
    assert calendar["METHOD"] == method
    (event,) = calendar.walk("VEVENT")
    # the same file read by a second parser
    (other,) = IcsCalendarStream.calendar_from_ics(body.decode()).events
    assert other.uid == str(event["UID"]) and other.sequence == event["SEQUENCE"]
    assert other.dtstart == event.decoded("DTSTART")
    return event


def _check_common(message, meeting_id: int) -> None:
    name, address = parseaddr(message["From"])
    assert address == OFFICE and name  # the office, with the portal's name
    assert message["Message-ID"].endswith("@portal.example.org>")
    # the organizer consented to show her address: replies and ORGANIZER are hers
    assert parseaddr(message["Reply-To"])[1] == "ora@example.org"
    html = message.get_body(preferencelist=("html",)).get_content()
    link = f"https://portal.example.org/meetings/{meeting_id}"
    assert f'<a href="{link}">{link}</a>' in html
    assert "Datenschutzhinweise" in html  # the privacy footer stays, in both parts
    assert "Datenschutzhinweise" in message.get_body(preferencelist=("plain",)).get_content()


def _sequence(client, login_as, db, office, organizer, group, outbox) -> tuple[int, list]:
    """A meeting planned by the office for the organizer's group, and the steps invite →
    reschedule → agenda change → cancel as (METHOD, send) pairs; the outbox is empty."""
    login_as(office)
    response = client.post("/meetings/new", data=_form(series=str(group.id), organizer_id=str(organizer.id)))
    assert response.status_code == 302
    meeting_id = _latest(db).id
    outbox.clear()
    return meeting_id, [
        ("REQUEST", lambda: client.post(f"/meetings/{meeting_id}/invite", data={"series_members": "y"})),
        ("REQUEST", lambda: client.post(f"/meetings/{meeting_id}/edit", data=_form(
            start_time="17:00", end_time="19:00", organizer_id=str(organizer.id)))),
        ("REQUEST", lambda: (
            client.post(f"/meetings/{meeting_id}/agenda", data={
                "title": "Lieferzonen", "kind": "information", "planned_minutes": "15", "presenter_id": "0"}),
            client.post(f"/meetings/{meeting_id}/agenda/send"))[-1]),
        ("CANCEL", lambda: client.post(f"/meetings/{meeting_id}/cancel", data={"reason": "Krankheit"})),
    ]


def test_invite_reschedule_agenda_cancel_are_meeting_requests(client, login_as, db, office, member,
                                                              organizer, group, outbox):
    meeting_id, steps = _sequence(client, login_as, db, office, organizer, group, outbox)
    uids, sequences = set(), []
    for method, step in steps:
        assert step().status_code == 302
        messages = outbox.messages
        to_member = [m for m in messages if m["To"] == member.email]
        to_organizer = [m for m in messages if m["To"] == organizer.email]
        assert len(to_member) == 1 and len(to_organizer) == 1, [m["To"] for m in messages]
        event = _request(to_member[0], method)
        _check_common(to_member[0], meeting_id)
        assert str(event["ORGANIZER"]) == "mailto:ora@example.org"
        assert str(event["ATTENDEE"]) == "mailto:mia@example.org"
        uids.add(str(event["UID"]))
        sequences.append(event["SEQUENCE"])
        # the organizer: a copy, no request for her own meeting
        copy = to_organizer[0]
        assert _calendar_parts(copy) == [] and not list(copy.iter_attachments())
        assert "Kopie" in outbox.text(copy)
        outbox.clear()
    assert len(uids) == 1
    assert sequences == [0, 1, 2, 3]  # rising with each change
    assert uids == {_latest(db).ical_uid}


# libical (Evolution, Thunderbird's calendar core) through GObject introspection of the system's
# Python: apt-get install gir1.2-ical-3.0 python3-gi (.ci/run does); skipped where it is missing.
SYSTEM_PYTHON = "/usr/bin/python3"
LIBICAL_CHECK = """
import json, sys
import gi
gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib

def errors(component):
    found, prop = [], component.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        found.append(component.kind_to_string(component.isa()) + ": " + prop.as_ical_string().strip())
        prop = component.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
    child = component.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    while child is not None:
        found += errors(child)
        child = component.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)
    return found

report = {}
for path in sys.argv[1:]:
    component = ICalGLib.Component.new_from_string(open(path, encoding="utf-8").read())
    if component is None:
        report[path] = ["not parsed"]
        continue
    component.check_restrictions()  # the iTIP (RFC 5546) rules of the METHOD
    report[path] = errors(component)
print(json.dumps(report))
"""


def _libical_errors(files: list) -> dict:
    """libical's parse and iTIP restriction errors (X-LIC-ERROR) per file."""
    import json
    import subprocess

    if not os.access(SYSTEM_PYTHON, os.X_OK) or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0'); "
                                  "from gi.repository import ICalGLib"], capture_output=True).returncode:
        pytest.skip(f"libical not reachable: {SYSTEM_PYTHON} cannot import ICalGLib "
                    "(apt-get install gir1.2-ical-3.0 python3-gi)")
    done = subprocess.run([SYSTEM_PYTHON, "-c", LIBICAL_CHECK, *map(str, files)], capture_output=True,
                          text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def test_libical_finds_nothing_wrong_with_the_sequence(client, login_as, db, office, member, organizer,
                                                        group, outbox, tmp_path):
    """libical parses each meeting request and cancellation of the sequence and its iTIP checks
    (icalcomponent_check_restrictions for the METHOD) add no X-LIC-ERROR."""
    _, steps = _sequence(client, login_as, db, office, organizer, group, outbox)
    files = []
    for number, (method, step) in enumerate(steps):
        assert step().status_code == 302
        for message in outbox.messages:
            for part in _calendar_parts(message):
                files.append(tmp_path / f"{number}-{method}-{len(files)}.ics")
                files[-1].write_bytes(part.get_payload(decode=True))
        outbox.clear()
    assert len(files) == 4  # the member's, one per step (the attached file is the same bytes)
    # a broken file must be caught: the check itself is checked
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//x//DE\r\nMETHOD:REQUEST\r\n"
                      "BEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    report = _libical_errors([*files, broken])
    assert report.pop(str(broken)), "libical found nothing wrong with a request without UID and DTSTART"
    assert report and not any(report.values()), {k: v for k, v in report.items() if v}


def test_invitation_says_how_to_answer(client, login_as, db, office, member, organizer, group, outbox, make):
    meeting = make.meeting(group, organizer=organizer)
    login_as(office)
    client.post(f"/meetings/{meeting.id}/invite", data={"series_members": "y"})
    (mail,) = outbox.to(member.email)
    assert "nicht ausgewertet" in outbox.text(mail)  # answers go through the portal's link
    event = _request(mail, "REQUEST")
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"


def test_without_consent_the_office_is_organizer_and_there_is_no_reply_to(db, make, office, member, outbox):
    ora = make.person(name="Ora Organisatorin", email="ora@example.org", show_email=False)
    meeting = make.meeting(None, organizer=ora)
    invitations.invite(office, meeting, [member, ora])
    db.session.commit()
    (mail,) = outbox.to(member.email)
    assert mail["Reply-To"] is None
    event = _request(mail, "REQUEST")
    assert str(event["ORGANIZER"]) == f"mailto:{OFFICE}"
    assert event["ORGANIZER"].params["CN"] == "Ora Organisatorin"
    (copy,) = outbox.to(ora.email)
    assert _calendar_parts(copy) == []


def test_the_domain_and_the_uids_stay_when_the_base_url_changes(app, db, make, monkeypatch):
    meeting = make.meeting(None)
    uid = meeting_uid(meeting)
    assert uid == f"meeting-{meeting.id}@portal.example.org"
    assert db.session.get(SiteSetting, "mail_domain").value == "portal.example.org"
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://neu.example.com")
    db.session.info.pop("site_settings", None)
    assert meeting_uid(meeting) == uid
    assert build("a@example.org", "x", "y")["Message-ID"].endswith("@portal.example.org>")
    # a stored UID wins over the domain, even a configured one
    meeting.ical_uid = "meeting-7@alt.example.net"
    monkeypatch.setitem(app.config, "PORTAL_MAIL_DOMAIN", "mail.example.com")
    assert meeting_uid(meeting) == "meeting-7@alt.example.net"
    assert build("a@example.org", "x", "y")["Message-ID"].endswith("@mail.example.com>")


# times ---------------------------------------------------------------------------------------

def test_a_time_skipped_in_spring_is_refused_at_the_field(client, login_as, db, office, group):
    login_as(office)
    before = db.session.scalar(select(Meeting.id).order_by(Meeting.id.desc()))
    response = client.post("/meetings/new", data=_form(series=str(group.id), day="2031-03-30",
                                                       start_time="02:15", end_time="04:00"))
    assert response.status_code == 422
    assert 'id="start_time-error"' in response.text and "gibt es am" in response.text
    assert 'value="02:15"' in response.text  # kept as typed
    assert db.session.scalar(select(Meeting.id).order_by(Meeting.id.desc())) == before


@pytest.mark.parametrize("choice, instant", [("summer", utc(2031, 10, 26, 0, 30)),
                                             ("winter", utc(2031, 10, 26, 1, 30))])
def test_a_time_that_occurs_twice_is_asked_and_stored_as_chosen(client, login_as, db, office, group,
                                                                choice, instant):
    login_as(office)
    data = _form(series=str(group.id), day="2031-10-26", start_time="02:30", end_time="04:00")
    response = client.post("/meetings/new", data=data)
    assert response.status_code == 422
    assert 'id="start_time-error"' in response.text and "zweimal" in response.text
    assert "Sommerzeit (MESZ) oder Winterzeit (MEZ)?" in response.text
    assert '<select' in response.text and 'name="dst"' in response.text
    assert 'value="02:30"' in response.text
    response = client.post("/meetings/new", data={**data, "dst": choice})
    assert response.status_code == 302
    meeting = _latest(db)
    assert meeting.starts_at == instant
    # written in UTC, so that libical and icalendar read the same instant
    ics = client.get(f"/meetings/{meeting.id}.ics").data
    assert f"DTSTART:{instant:%Y%m%dT%H%M%S}Z".encode() in ics
    edit = client.get(f"/meetings/{meeting.id}/edit").text
    assert f'<option selected value="{choice}">' in edit or f'value="{choice}" selected' in edit


def test_an_ordinary_time_asks_nothing(client, login_as, db, office, group):
    login_as(office)
    response = client.get("/meetings/new")
    assert 'name="dst"' not in response.text
    assert client.post("/meetings/new", data=_form(series=str(group.id), day="2031-10-26",
                                                   start_time="10:00", end_time="12:00")).status_code == 302


def test_vtimezone_rules_are_open_ended_and_identical_across_files(app):
    later, earlier = berlin_timezone(2031, 2031), berlin_timezone(2030, 2034)
    for zone in (later, earlier):
        rules = [part["RRULE"] for part in zone.subcomponents]
        assert rules and all("COUNT" not in r and "UNTIL" not in r for r in rules)
    # a zone written for 2030 tells a summer date of 2040 the same offset as a zone for 2040
    probe = datetime(2040, 7, 1, 12)
    assert earlier.to_tz().utcoffset(probe) == berlin_timezone(2040, 2040).to_tz().utcoffset(probe)


EDGES = [utc(2031, 3, 30, 0, 30), utc(2031, 3, 30, 1, 15), utc(2031, 10, 26, 0, 30),
         utc(2031, 10, 26, 1, 30), utc(2031, 7, 1, 8), utc(2031, 12, 1, 9)]


def test_every_meeting_file_reads_the_same_in_ical_and_icalendar(app, make, member):
    """One process reads all files in turn, as a client that keeps the first VTIMEZONE does."""
    meetings = [make.meeting(None, starts_at=moment) for moment in EDGES]
    for meeting in meetings:
        for body in (meeting_calendar(meeting).to_ical(),
                     invitation_attachment(meeting, member, "REQUEST")):
            (event,) = Calendar.from_ical(body).walk("VEVENT")
            (other,) = IcsCalendarStream.calendar_from_ics(body.decode()).events
            assert event.decoded("DTSTART").astimezone(timezone.utc) == meeting.starts_at
            assert other.dtstart.astimezone(timezone.utc) == meeting.starts_at
            assert other.dtend.astimezone(timezone.utc) == meeting.ends_at
