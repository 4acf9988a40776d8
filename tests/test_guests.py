"""Guests without accounts (issue 15 point 3): invited by mail, they answer through a personal
signed link without signing in; they appear as guests in the invitee list, the register and the
minutes, and never count as members."""
from __future__ import annotations

import re
import time
from dataclasses import asdict
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.meetings import invitations, planning
from portal.meetings.models import Participation
from portal.members import tokens
from portal.members.models import Person
from portal.reports.periods import Period
from portal.reports.progress import build_progress_report
from portal.types import utcnow

GUEST = {"guest_name": "Rita Referentin", "guest_organization": "Hochschule Ruhr West",
         "guest_email": "rita@example.org"}


@pytest.fixture
def office(make):
    return make.person("office", name="Olga Office", email="olga@example.org")


@pytest.fixture
def meeting(make, office):
    meeting = make.meeting(None, title="Plenum", organizer=office,
                           starts_at=utcnow().replace(microsecond=0) + timedelta(days=7), location="Rathaus")
    make.agenda_item(meeting, title="Vortrag Wasserstoff")
    return meeting


def _invite(client, login_as, office, meeting, outbox, **data):
    login_as(office)
    response = client.post(f"/meetings/{meeting.id}/invite/guest", data={**GUEST, **data})
    client.post("/logout")
    return response


def _link(outbox) -> str:
    (mail,) = outbox.to(GUEST["guest_email"])
    return re.search(r"https://portal\.example\.org(/meetings/guest/[^\s/]+)\n", outbox.text(mail)).group(1)


def _payload(link: str) -> str:
    """The token's signed content, without the time it was signed at."""
    return link.rsplit("/", 1)[1].split(".")[0]


def _member_figures():
    return asdict(build_progress_report(Period(date(2020, 1, 1), date(2035, 12, 31)), today=date(2035, 12, 31)).figures)


def test_guest_answers_through_her_link_without_an_account_and_counts_as_no_member(
        client, db, login_as, make, office, meeting, outbox):
    make.person(name="Mia Mitglied")
    people_before = db.session.scalar(select(func.count()).select_from(Person))
    figures_before = _member_figures()

    assert _invite(client, login_as, office, meeting, outbox).status_code == 302
    (mail,) = outbox.to(GUEST["guest_email"])
    text = outbox.text(mail)
    assert "Vortrag Wasserstoff" in text and outbox.calendar(mail) is not None
    link = _link(outbox)

    page = client.get(link)  # nobody signed in
    assert page.status_code == 200 and "Rita Referentin" in page.text and "Zusagen" in page.text
    assert client.post(link, data={"answer": "accepted"}).status_code == 302
    guest = db.session.scalars(select(Participation).where(Participation.guest_email == "rita@example.org")).one()
    assert guest.rsvp == "accepted" and guest.person_id is None
    client.post(link, data={"answer": "declined"})  # answering again changes her answer
    db.session.refresh(guest)
    assert guest.rsvp == "declined"
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "meeting.guest_rsvp")) == 2

    # not a member: no person, not in the directory, the report's member figures unchanged
    assert db.session.scalar(select(func.count()).select_from(Person)) == people_before
    assert _member_figures() == figures_before
    login_as(office)
    assert "Rita Referentin" not in client.get("/members").text
    show = client.get(f"/meetings/{meeting.id}").text
    assert re.search(r"Rita Referentin\s*<span class=\"badge\">Gast</span>", show)
    register = client.get(f"/meetings/{meeting.id}/attendance").text
    assert "Rita Referentin" in register and "Gast" in register


def test_guest_appears_in_the_minutes_as_guest(client, db, login_as, make, office, meeting, outbox):
    _invite(client, login_as, office, meeting, outbox)
    guest = db.session.scalars(select(Participation).where(Participation.guest_email == "rita@example.org")).one()
    guest.attendance = "present"
    meeting.starts_at, meeting.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
    meeting.status = "held"
    db.session.commit()
    login_as(office)
    minutes = client.get(f"/meetings/{meeting.id}/minutes")
    assert minutes.status_code == 200
    assert re.search(r"Rita Referentin \(Hochschule Ruhr West\) – Gast", minutes.text)


def test_forged_or_expired_link_gives_a_german_page(client, db, login_as, office, meeting, outbox, monkeypatch):
    _invite(client, login_as, office, meeting, outbox)
    link = _link(outbox)
    forged = client.get(link[:-3] + "abc")
    assert forged.status_code == 404 and "Dieser Link gilt nicht mehr" in forged.text
    assert client.post(link[:-3] + "abc", data={"answer": "accepted"}).status_code == 404
    after_the_end = int((meeting.ends_at + timedelta(minutes=1)).timestamp())
    monkeypatch.setattr(tokens, "_timestamp", lambda: after_the_end)
    expired = client.get(link)
    assert expired.status_code == 404 and "Dieser Link gilt nicht mehr" in expired.text
    monkeypatch.setattr(tokens, "_timestamp", lambda: int(time.time()))
    assert client.get(link).status_code == 200


def test_a_member_s_token_of_another_purpose_is_no_guest_link(client, db, make, meeting):
    member = make.person(name="Mia Mitglied")
    db.session.commit()
    assert client.get(f"/meetings/guest/{tokens.unsubscribe_token(member)}").status_code == 404


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"guest_email": "keine-adresse"}, "guest_email", "gültige E-Mail-Adresse"),
    ({"guest_name": ""}, "guest_name", "Namen des Gastes"),
])
def test_unhappy_guest_invitation_is_refused_at_the_field_keeping_the_input(
        client, db, login_as, office, meeting, outbox, data, field, message):
    response = _invite(client, login_as, office, meeting, outbox, **data)
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"[^>]*>[^<]*{message}', response.text)
    assert "Hochschule Ruhr West" in response.text  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 0
    assert outbox.to(GUEST["guest_email"]) == []


def test_the_same_guest_twice_is_refused_at_the_field(client, db, login_as, office, meeting, outbox):
    _invite(client, login_as, office, meeting, outbox)
    again = _invite(client, login_as, office, meeting, outbox)
    assert again.status_code == 422 and "schon eingeladen" in again.text and "Rita Referentin" in again.text
    assert db.session.scalar(select(func.count()).select_from(Participation)) == 1


# self check-in (issue 15 point 5) -----------------------------------------------------------

@pytest.fixture
def running(make, office):
    """A meeting that began ten minutes ago, with Mia invited."""
    meeting = make.meeting(None, title="Plenum", organizer=office,
                           starts_at=utcnow().replace(microsecond=0) - timedelta(minutes=10))
    mia = make.person(name="Mia Mitglied", email="mia@example.org")
    make.participation(meeting, person=mia, invited_at=utcnow())
    return meeting


def _check_in_path(client, login_as, office, meeting) -> str:
    login_as(office)
    moderation = client.get(f"/meetings/{meeting.id}/moderate")
    assert f"/meetings/{meeting.id}/check-in.svg" in moderation.text
    svg = client.get(f"/meetings/{meeting.id}/check-in.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    client.post("/logout")
    return f"/meetings/{meeting.id}/check-in/{tokens.check_in_token(meeting)}"


def test_check_in_link_marks_the_invitee_present_and_the_register_shows_it(
        client, db, login_as, office, running):
    path = _check_in_path(client, login_as, office, running)
    mia = db.session.scalars(select(Person).where(Person.email == "mia@example.org")).one()
    login_as(mia)
    page = client.get(path)
    assert page.status_code == 200 and "Sie sind eingecheckt" in page.text
    participation = db.session.scalars(select(Participation).where(Participation.person_id == mia.id)).one()
    db.session.refresh(participation)
    assert participation.attendance == "present" and participation.checked_in_at is not None
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "meeting.check_in", AuditEvent.actor_id == mia.id)) == 1
    login_as(office)
    assert "selbst eingecheckt" in client.get(f"/meetings/{running.id}/attendance").text
    # the minute-taker corrects it as before
    assert client.post(f"/meetings/{running.id}/attendance",
                       data={f"attendance-{participation.id}": "absent"}).status_code == 302
    db.session.refresh(participation)
    assert participation.attendance == "absent"
    assert "selbst eingecheckt" not in client.get(f"/meetings/{running.id}/attendance").text


def test_expired_or_forged_check_in_link_is_refused(client, db, login_as, make, office, running, monkeypatch):
    path = _check_in_path(client, login_as, office, running)
    mia = db.session.scalars(select(Person).where(Person.email == "mia@example.org")).one()
    login_as(mia)
    monkeypatch.setattr(tokens, "_timestamp", lambda: int(time.time()) + 31 * 60)
    late = client.get(path)
    assert late.status_code == 404 and "gilt nicht mehr" in late.text
    monkeypatch.setattr(tokens, "_timestamp", lambda: int(time.time()))
    assert client.get(path[:-2] + "xx").status_code == 404
    participation = db.session.scalars(select(Participation).where(Participation.person_id == mia.id)).one()
    assert participation.attendance == "unknown" and participation.checked_in_at is None


def test_no_check_in_code_before_the_meeting_begins(client, db, login_as, office, meeting):
    login_as(office)
    assert client.get(f"/meetings/{meeting.id}/check-in.svg").status_code == 404
    assert "check-in.svg" not in client.get(f"/meetings/{meeting.id}/moderate").text


def test_guest_checks_in_with_her_personal_link(client, db, login_as, office, meeting, outbox):
    _invite(client, login_as, office, meeting, outbox)
    link = _link(outbox)
    assert "Ich bin da" not in client.get(link).text  # not before the meeting runs
    meeting.starts_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    assert "Ich bin da" in client.get(link).text
    assert client.post(link, data={"answer": "here"}).status_code == 302
    guest = db.session.scalars(select(Participation).where(Participation.guest_email == "rita@example.org")).one()
    db.session.refresh(guest)
    assert guest.attendance == "present" and guest.checked_in_at is not None


def test_the_office_turns_a_guest_into_a_member(client, db, login_as, make, office, meeting, outbox):
    organization = make.organization(name="Hochschule Ruhr West")
    _invite(client, login_as, office, meeting, outbox)
    guest = db.session.scalars(select(Participation).where(Participation.guest_email == "rita@example.org")).one()
    login_as(office)
    assert "Als Mitglied aufnehmen" in client.get(f"/meetings/{meeting.id}").text
    outbox.clear()
    assert client.post(f"/meetings/{meeting.id}/guests/{guest.id}/member").status_code == 302
    db.session.refresh(guest)
    person = db.session.scalars(select(Person).where(Person.email == "rita@example.org")).one()
    assert guest.person_id == person.id and person.role == "member" and person.organization_id == organization.id
    assert len(outbox.to("rita@example.org")) == 1  # the portal's account invitation
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "meeting.guest_to_member")) == 1
    assert "Rita Referentin" in client.get("/members").text
    # once more: she is no guest any longer
    assert client.post(f"/meetings/{meeting.id}/guests/{guest.id}/member").status_code == 404


def test_a_guest_whose_address_has_an_account_is_refused(client, db, login_as, make, office, meeting, outbox):
    make.person(name="Rita Alt", email="rita@example.org")
    _invite(client, login_as, office, meeting, outbox)
    guest = db.session.scalars(select(Participation).where(Participation.guest_email == "rita@example.org")).one()
    login_as(office)
    response = client.post(f"/meetings/{meeting.id}/guests/{guest.id}/member", follow_redirects=True)
    assert "bereits vergeben" in response.text
    db.session.refresh(guest)
    assert guest.person_id is None


# a guest hears of what changes, and reads the materials through her link ---------------------

def _guest(db) -> Participation:
    return db.session.scalars(select(Participation).where(Participation.guest_email == GUEST["guest_email"])).one()


def test_guest_is_told_of_a_new_time_a_new_agenda_and_the_cancellation(client, db, login_as, make, office,
                                                                       meeting, outbox):
    _invite(client, login_as, office, meeting, outbox)
    link = _link(outbox)
    outbox.clear()
    planning.update_meeting(office, meeting, {"starts_at": meeting.starts_at + timedelta(hours=1),
                                              "ends_at": meeting.ends_at + timedelta(hours=1)})
    db.session.commit()
    (change,) = outbox.to(GUEST["guest_email"])
    assert "hat sich geändert" in outbox.text(change)
    new_link = _link(outbox)  # valid until the new end, and it opens her page
    assert new_link != link and "Rita Referentin" in client.get(new_link).text
    assert b"METHOD:REQUEST" in outbox.calendar(change) and b"SEQUENCE:1" in outbox.calendar(change)
    assert f"/meetings/{meeting.id}\n" not in outbox.text(change)  # no page she could not open

    outbox.clear()
    make.agenda_item(meeting, title="Neuer Punkt")
    meeting.agenda_changed_at = utcnow()
    recipients = invitations.send_agenda(office, meeting)
    db.session.commit()
    assert GUEST["guest_email"] in [r.email for r in recipients]
    (agenda,) = outbox.to(GUEST["guest_email"])
    agenda_link = _link(outbox)  # signed anew, perhaps a second later: the same payload, and it opens her page
    assert "Neuer Punkt" in outbox.text(agenda) and _payload(agenda_link) == _payload(new_link)
    assert "Rita Referentin" in client.get(agenda_link).text

    outbox.clear()
    _guest(db).rsvp = "declined"  # a declined guest gets no agenda, but still hears of the cancellation
    planning.cancel_meeting(office, meeting, "Der Saal ist belegt.")
    db.session.commit()
    (cancellation,) = outbox.to(GUEST["guest_email"])
    assert "abgesagt" in outbox.text(cancellation) and b"METHOD:CANCEL" in outbox.calendar(cancellation)


def test_guest_reads_the_materials_through_her_link_but_not_the_internal_ones(client, db, login_as, make,
                                                                              office, meeting, outbox):
    slides = make.material(meeting, item=meeting.agenda_items[0], by=office, title="Folien Wasserstoff",
                           data=b"%PDF-1.4\n%slides\n" + bytes(range(256)) * 40)
    internal = make.material(meeting, by=office, title="Kalkulation", internal=True)
    db.session.commit()
    _invite(client, login_as, office, meeting, outbox)
    (mail,) = outbox.to(GUEST["guest_email"])
    link = _link(outbox)
    assert f"https://portal.example.org{link}/materials/{slides.id}" in outbox.text(mail)
    assert "Kalkulation" not in outbox.text(mail)

    page = client.get(link)  # nobody signed in
    assert "Folien Wasserstoff" in page.text and "Kalkulation" not in page.text
    download = client.get(f"{link}/materials/{slides.id}")
    assert download.status_code == 200 and download.data == b"%PDF-1.4\n%slides\n" + bytes(range(256)) * 40
    assert client.get(f"{link}/materials/{internal.id}").status_code == 404
    assert client.get(f"{link[:-3]}abc/materials/{slides.id}").status_code == 404
    other = make.material(make.meeting(None, title="Anderes"), by=office, title="Fremd")
    db.session.commit()
    assert client.get(f"{link}/materials/{other.id}").status_code == 404
