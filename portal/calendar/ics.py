"""iCalendar documents of meetings: the single .ics, invitation attachments and feeds.

Pure builders: they take meetings (and action items) and return icalendar objects or
bytes; the views decide who may see what. Times are written as local Europe/Berlin
times with TZID (UTC for the repeated autumn hour) and a VTIMEZONE that starts with the years
the calendar needs and keeps the current rules open-ended.

Why not `Calendar.add_missing_timezones()`: icalendar 7 writes the DAYLIGHT onset as the
local time *after* the switch (DTSTART:…T030000 with TZOFFSETFROM:+0100), which RFC 5545
reads as one hour late. We write the zone ourselves, from the tz database, in the
RRULE form that Outlook, Apple and Google emit themselves.
"""
from __future__ import annotations

import html
from collections import defaultdict
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from flask import current_app
from flask_babel import gettext
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vRecur,
)

from portal.links import external_url
from portal.meetings.naming import full_title
from portal.permissions import shows_contact
from portal.site_settings.values import mail_domain
from portal.text import plain_text
from portal.types import BERLIN, utcnow

# The texts of a calendar follow the reader's language (the request's, or the recipient's under
# notify's force_locale), so that it reads as in the mail and on the page; outside requests
# (CLI) no locale is set and they are German.
PRODID = "-//Wirtschaftsallianz//Allianzportal//DE"
METHODS = ("PUBLISH", "REQUEST", "CANCEL")
PARTSTATS = {
    "accepted": "ACCEPTED",
    "declined": "DECLINED",
    "tentative": "TENTATIVE",
    "pending": "NEEDS-ACTION",
}
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A VTIMEZONE spans at most this many years, and only years datetime can scan (its year before
# and after included): a meeting dated 2205 or 9999 by mistake costs no 180-year scan and no error.
MAX_ZONE_YEARS = 30
ZONE_YEARS = (1901, 9998)


# --- addresses -------------------------------------------------------------------------

def meeting_uid(meeting) -> str:
    """The UID of a meeting's event: the same for its whole life, so that updates replace it.
    Stored per meeting (fix_uid; the migration stored today's for existing ones), derived from the
    stored mail domain, so neither PORTAL_BASE_URL nor PORTAL_MAIL_DOMAIN changes it later."""
    return meeting.ical_uid or f"meeting-{meeting.id}@{mail_domain()}"


def fix_uid(meeting) -> str:
    """Store the meeting's UID (called where it first leaves the portal in a mail, and on creation)."""
    if not meeting.ical_uid:
        meeting.ical_uid = meeting_uid(meeting)
    return meeting.ical_uid


def action_uid(item) -> str:
    return f"action-{item.id}@{mail_domain()}"


def meeting_url(meeting) -> str:
    return external_url("meetings.show", meeting_id=meeting.id)


def _plain(markdown: str | None) -> str:
    """User Markdown as plain text (plain_text answers with HTML entities; undo them)."""
    return html.unescape(plain_text(markdown)).strip()


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


# --- events ----------------------------------------------------------------------------

def meeting_location(meeting) -> str:
    return ", ".join(part.strip() for part in (meeting.location, meeting.room) if part and part.strip())


def meeting_description(meeting) -> str:
    """The agenda as plain text ("TOP 1: …"), the online link and the way back to the portal."""
    lines: list[str] = []
    if meeting.is_cancelled:
        lines.append(gettext("ABGESAGT") + (f": {meeting.cancel_reason.strip()}" if meeting.cancel_reason.strip() else ""))
        lines.append("")
    if meeting.agenda_items:
        lines.append(gettext("Tagesordnung:"))
        for number, item in enumerate(meeting.agenda_items, start=1):
            lines.append(gettext("TOP %(n)s: %(title)s", n=number, title=item.display_title))
            description = _plain(item.description)
            if description:
                lines.extend(f"  {line}" for line in description.splitlines() if line.strip())
        lines.append("")
    if meeting.online_url:
        lines.append(gettext("Online-Teilnahme: %(url)s", url=meeting.online_url))
    lines.append(gettext("Im Portal: %(url)s", url=meeting_url(meeting)))
    return "\n".join(lines)


def organizer_contact(meeting):
    """The organizer when her address may go out (portal.permissions.shows_contact: her consent),
    else None. The one rule for who stands where: the mail is From the office (with the portal's
    name); its Reply-To and the event's ORGANIZER are the organizer's address when she consented,
    else the office's (ORGANIZER then keeps her name as CN)."""
    person = meeting.organizer
    return person if person is not None and shows_contact(None, person, "email") else None


def _organizer(meeting) -> vCalAddress:
    person = meeting.organizer
    office = current_app.config["MAIL_DEFAULT_SENDER"]
    if person is None:
        return _address(office, current_app.config["PORTAL_NAME"])
    contact = organizer_contact(meeting)
    return _address(contact.email if contact is not None else office, person.name)


def participation_status(meeting, person) -> str:
    for participation in meeting.participations:
        if participation.person_id == person.id:
            return PARTSTATS.get(participation.rsvp, "NEEDS-ACTION")
    return "NEEDS-ACTION"


def is_ambiguous(local: datetime) -> bool:
    """The wall-clock time occurs twice (the repeated hour of the autumn change)."""
    return local.replace(fold=0).utcoffset() != local.replace(fold=1).utcoffset()


def _wall_clock(moment: datetime) -> datetime:
    """Berlin local time (written with TZID); UTC for a time of the repeated hour of the autumn
    change, in either occurrence: a local time cannot name it so that every client reads the same
    instant (libical and icalendar pick different ones)."""
    local = moment.astimezone(BERLIN)
    return moment.astimezone(timezone.utc) if is_ambiguous(local) else local


def meeting_event(meeting, *, cancelled: bool = False, attendee=None,
                  stamp: datetime | None = None) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", (stamp or meeting.updated_at or utcnow()).astimezone(timezone.utc))
    event.add("dtstart", _wall_clock(meeting.starts_at))
    event.add("dtend", _wall_clock(meeting.ends_at))
    event.add("summary", full_title(meeting))
    location = meeting_location(meeting)
    if location:
        event.add("location", location)
    event.add("description", meeting_description(meeting))
    event.add("url", meeting_url(meeting))
    event.add("organizer", _organizer(meeting))
    event.add("status", "CANCELLED" if cancelled or meeting.is_cancelled else "CONFIRMED")
    event.add("sequence", meeting.ical_sequence or 0)
    if meeting.created_at is not None:
        event.add("created", meeting.created_at.astimezone(timezone.utc))
    if meeting.updated_at is not None:
        event.add("last-modified", meeting.updated_at.astimezone(timezone.utc))
    event.add("transp", "OPAQUE")
    if attendee is not None:
        address = _address(attendee.email, attendee.name)
        address.params["CUTYPE"] = "INDIVIDUAL"
        address.params["ROLE"] = "REQ-PARTICIPANT"
        address.params["PARTSTAT"] = participation_status(meeting, attendee)
        # Answers are given in the portal; mail replies to the organizer would go unread.
        address.params["RSVP"] = "FALSE"
        event.add("attendee", address)
    return event


def action_event(item) -> Event:
    """An open action item's due date as an all-day event."""
    event = Event()
    event.add("uid", action_uid(item))
    event.add("dtstamp", (item.updated_at or utcnow()).astimezone(timezone.utc))
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + timedelta(days=1))
    event.add("summary", gettext("Frist: %(title)s", title=item.title))
    url = external_url("actions.show", action_id=item.id)
    description = _plain(item.description)
    in_portal = gettext("Im Portal: %(url)s", url=url)
    event.add("description", f"{description}\n\n{in_portal}" if description else in_portal)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    if item.updated_at is not None:
        event.add("last-modified", item.updated_at.astimezone(timezone.utc))
    return event


# --- calendars -------------------------------------------------------------------------

def _calendar(method: str, name: str | None = None) -> Calendar:
    if method not in METHODS:
        raise ValueError(f"unknown iTIP method {method!r}")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", BERLIN.key)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    return calendar


def _add_timezone(calendar: Calendar, meetings) -> None:
    years = [y for m in meetings for y in (m.starts_at.astimezone(BERLIN).year,
                                           m.ends_at.astimezone(BERLIN).year)]
    if years:
        calendar.add_component(berlin_timezone(min(years), max(years)))


def meeting_calendar(meeting, method: str = "PUBLISH", attendee=None) -> Calendar:
    """One meeting as a calendar: PUBLISH for downloads, REQUEST for invitations and
    changes, CANCEL for the cancellation (STATUS:CANCELLED, same UID)."""
    calendar = _calendar(method)
    _add_timezone(calendar, [meeting])
    stamp = None if method == "PUBLISH" else utcnow()
    calendar.add_component(
        meeting_event(meeting, cancelled=method == "CANCEL", attendee=attendee, stamp=stamp)
    )
    return calendar


def invitation_attachment(meeting, person, method: str = "REQUEST") -> bytes:
    """The text/calendar part of an invitation, change or cancellation mail to person."""
    return meeting_calendar(meeting, method=method, attendee=person).to_ical()


def feed_calendar(name: str, meetings, action_items=()) -> Calendar:
    """A subscribable calendar: meetings (cancelled ones stay, marked CANCELLED, so that
    subscribers see the cancellation) and optionally action-item due dates."""
    calendar = _calendar("PUBLISH", name=name)
    meetings = list(meetings)
    _add_timezone(calendar, meetings)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    for item in action_items:
        calendar.add_component(action_event(item))
    return calendar


# --- the time zone ---------------------------------------------------------------------

def _transitions(zone, first_year: int, last_year: int) -> list[tuple]:
    """(instant UTC, offset before, offset after, is_dst, name) of every change in the years."""
    return [t for year in range(first_year, last_year + 1) for t in _changes_in(zone, year)]


@lru_cache(maxsize=256)
def _changes_in(zone, year: int) -> tuple[tuple, ...]:
    return tuple(_scan(zone, year, year))


def _scan(zone, first_year: int, last_year: int) -> list[tuple]:
    found = []
    day = datetime(first_year, 1, 1, tzinfo=timezone.utc)
    end = datetime(last_year + 1, 1, 1, tzinfo=timezone.utc)
    before = day.astimezone(zone).utcoffset()
    while day < end:
        nxt = day + timedelta(days=1)
        after = nxt.astimezone(zone).utcoffset()
        if after != before:
            moment = day
            while moment.astimezone(zone).utcoffset() == before:
                moment += timedelta(minutes=15)
            local = moment.astimezone(zone)
            found.append((moment, before, after, bool(local.dst()), local.tzname()))
            before = after
        day = nxt
    return found


def _byday(local: datetime) -> str:
    """BYDAY of a date within its month: "-1SU" for the last Sunday, "2SU" for the second …"""
    next_month = (local.replace(day=28) + timedelta(days=4)).replace(day=1)
    last_day = (next_month - timedelta(days=1)).day
    weekday = WEEKDAYS[local.weekday()]
    if local.day + 7 > last_day:
        return f"-1{weekday}"
    return f"{(local.day - 1) // 7 + 1}{weekday}"


def berlin_timezone(first_year: int, last_year: int, zone=BERLIN) -> Timezone:
    """VTIMEZONE of `zone` (Europe/Berlin) valid from 1 January of first_year on: historic
    changes as far back as first_year, the rules in force at the end of last_year open-ended.

    Observance onsets are local times in the offset *before* the change (RFC 5545 3.6.5).
    Changes that follow a yearly rule become one DAYLIGHT and one STANDARD with an RRULE:
    without end when the rule still holds the year after last_year (the current rule), else
    with COUNT (even COUNT=1: some readers skip an onset named by DTSTART alone);
    irregular changes get one sub-component each, with an RDATE for the same reason.
    The years are capped to MAX_ZONE_YEARS from first_year, within ZONE_YEARS."""
    lowest, highest = ZONE_YEARS
    first_year = min(max(first_year, lowest), highest)
    last_year = min(max(last_year, first_year), first_year + MAX_ZONE_YEARS - 1, highest)
    tz = Timezone()
    tz.add("tzid", zone.key)
    tz.add("x-lic-location", zone.key)
    # the change that put in force the observance of 1 January, then those within the years
    earlier = _transitions(zone, first_year - 1, first_year - 1)[-1:]
    if not earlier:  # no change the year before: a fixed observance from 1 January on
        moment = datetime(first_year, 1, 1, tzinfo=timezone.utc)
        local = moment.astimezone(zone)
        offset = local.utcoffset()
        earlier = [(moment - offset, offset, offset, bool(local.dst()), local.tzname())]
    changes = earlier + _transitions(zone, first_year, last_year)
    # the changes of the following year at the same local moment continue a rule of last_year
    current = {(is_dst, name, before, after) for _m, before, after, is_dst, name
               in _transitions(zone, min(last_year + 1, highest), min(last_year + 1, highest))}
    rules: dict[tuple, list[datetime]] = defaultdict(list)
    for moment, before, after, is_dst, name in changes:
        local = (moment + before).replace(tzinfo=None)
        rules[(is_dst, name, before, after, local.month, _byday(local), local.time())].append(local)
    for (is_dst, name, before, after, month, byday, _), onsets in sorted(
        rules.items(), key=lambda rule: rule[1][0]
    ):
        years = [onset.year for onset in onsets]
        yearly = before != after and years == list(range(years[0], years[-1] + 1))
        for onset in onsets[:1] if yearly else onsets:
            part = TimezoneDaylight() if is_dst else TimezoneStandard()
            part.add("tzname", name)
            part.add("tzoffsetfrom", before)
            part.add("tzoffsetto", after)
            part.add("dtstart", onset)
            if yearly and years[-1] == last_year and (is_dst, name, before, after) in current:
                # the rule in force now: open-ended, so that this VTIMEZONE serves every later
                # year too and is right for a server that keeps the first one it saw per TZID
                part.add("rrule", vRecur(freq="YEARLY", bymonth=month, byday=byday))
            elif yearly:
                # COUNT, not UNTIL: the RFC-mandated UTC UNTIL next to a local DTSTART makes
                # dateutil-based readers fail (dateutil#1006, used by icalendar, ics, ical)
                part.add("rrule", vRecur(freq="YEARLY", bymonth=month, byday=byday,
                                         count=len(onsets)))
            else:
                part.add("rdate", onset)
            tz.add_component(part)
    return tz
