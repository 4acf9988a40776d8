"""Putting planning mistakes right (issue 14, points 8–10): deleting a meeting nobody was invited
to, cancelled meetings apart in the report, a confirmation before a guest or an agenda item is
removed, no duplicate guest, and a date in the past only when confirmed, without mails."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pypdf
import pytest
from sqlalchemy import func, select

from portal.actions.models import CarriedActionItem
from portal.audit.models import AuditEvent
from portal.meetings.models import AgendaItem, Meeting, Participation
from portal.reports.periods import Period
from portal.reports.progress import build_progress_report
from portal.types import utcnow
from tests import test_meetings
from tests.factories import utc
from tests.test_meetings import _created, _form

# the people and the group of the meetings tests
office, moderator, member, group = (test_meetings.office, test_meetings.moderator, test_meetings.member,
                                    test_meetings.group)

Q1_2025 = "start=2025-01-01&end=2025-03-31"


def _audit(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _error(response, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', response.text)
    assert match, f"no message at {field}"
    return match.group(1)


# 8: delete a meeting nobody was invited to; cancelled meetings apart in the report --------------

def test_planned_meeting_without_invitations_is_deleted_after_a_confirmation(client, db, login_as, office,
                                                                             make, group, member):
    make.action_item(member, group, title="Lastenrad testen")  # open: carried into the new meeting
    login_as(office)
    client.post("/meetings/new", data=_form(series=str(group.id), title="Versuch"))
    meeting = _created(db)
    assert db.session.scalar(select(func.count()).select_from(CarriedActionItem)) == 1
    assert f'href="/meetings/{meeting.id}/delete"' in client.get(f"/meetings/{meeting.id}").text

    page = client.get(f"/meetings/{meeting.id}/delete")
    assert page.status_code == 200
    assert "„Versuch“ wird mit seiner Tagesordnung gelöscht" in page.text and "Offene Aufgaben" in page.text
    assert db.session.get(Meeting, meeting.id) is not None  # asking changes nothing

    meeting_id = meeting.id
    response = client.post(f"/meetings/{meeting_id}/delete", data={"confirm": "yes"})
    assert response.status_code == 302 and response.location.endswith("/meetings")
    db.session.expire_all()
    assert db.session.get(Meeting, meeting_id) is None
    assert db.session.scalar(select(func.count()).select_from(AgendaItem)) == 0
    assert db.session.scalar(select(func.count()).select_from(CarriedActionItem)) == 0
    [event] = _audit(db, "meeting.delete")
    assert event.entity_id == meeting_id and event.changes["title"] == ["Versuch", None]
    assert event.changes["agenda"] == [["Offene Aufgaben"], None]


def test_meeting_with_invitations_can_only_be_cancelled(client, db, login_as, office, make, group, member):
    meeting = make.meeting(group, title="Echte Sitzung", number=1)
    make.participation(meeting, member, invited_at=utcnow())
    db.session.commit()
    login_as(office)
    assert f"/meetings/{meeting.id}/delete" not in client.get(f"/meetings/{meeting.id}").text
    assert f"/meetings/{meeting.id}/delete" not in client.get(f"/meetings/{meeting.id}/cancel").text
    assert client.get(f"/meetings/{meeting.id}/delete").status_code == 302
    response = client.post(f"/meetings/{meeting.id}/delete", data={"confirm": "yes"}, follow_redirects=True)
    assert "kann nur abgesagt werden" in response.text
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id) is not None and not _audit(db, "meeting.delete")


@pytest.fixture
def quarter(make, group):
    """A held plenary and a cancelled group session (invited, a guest marked present) in Q1 2025."""
    held = make.meeting(title="Plenum im Februar", starts_at=utc(2025, 2, 3, 16), status="held", number=1)
    make.participation(held, guest_name="Gabi Gast", attendance="present")
    cancelled = make.meeting(group, title="Ausgefallene Sitzung", starts_at=utc(2025, 3, 3, 16), number=1,
                             status="cancelled", cancel_reason="Raum nicht verfügbar")
    make.participation(cancelled, make.person(), invited_at=utc(2025, 2, 1), attendance="present")
    make.participation(cancelled, guest_name="Gerd Gast", attendance="present")
    return held, cancelled


def test_cancelled_meetings_are_listed_apart_never_counted_or_tabled(client, db, login_as, make, quarter):
    report = build_progress_report(Period(date(2025, 1, 1), date(2025, 3, 31)), today=date(2025, 6, 1))
    assert [row.meeting.title for row in report.meetings] == ["Plenum im Februar"]
    assert [m.title for m in report.cancelled] == ["Ausgefallene Sitzung"]
    assert report.meetings_by_chapter[1:] == [(quarter[1].group.name, 0)]
    assert all(row.meeting.title != "Ausgefallene Sitzung" for c in report.chapters for row in c.meetings)

    login_as(make.person("office"))
    dashboard = client.get(f"/reports?{Q1_2025}").text
    table = re.search(r'<table class="meetings">.*?</table>', dashboard, re.DOTALL).group(0)
    assert "Plenum im Februar" in table and "Ausgefallene Sitzung" not in table
    assert "Ausgefallene Sitzung" not in dashboard and "1 abgesagtes Treffen" in dashboard  # a count, its list apart
    listed = client.get(f"/reports/meetings?{Q1_2025}").text
    assert "Plenum im Februar" in listed and "Ausgefallene Sitzung" not in listed
    cancelled_part = client.get(f"/reports/meetings?cancelled=1&{Q1_2025}").text
    assert "Ausgefallene Sitzung" in cancelled_part and "Raum nicht verfügbar" in cancelled_part
    assert "Plenum im Februar" not in cancelled_part

    rows = list(csv.reader(io.StringIO(client.get(f"/reports/export.csv?{Q1_2025}").data.decode("utf-8-sig")),
                           delimiter=";"))
    at = [row[0] for row in rows].index("Abgesagte Treffen")
    assert rows[at][1] == "1" and rows[at + 1][:2] == ["03.03.2025 · Handel der Zukunft", "Ausgefallene Sitzung"]

    pdf = client.get(f"/reports/progress.pdf?{Q1_2025}")
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    listed, cancelled_list = text.split("Abgesagte Treffen", 1)
    assert "Ausgefallene Sitzung" not in listed and "Ausgefallene Sitzung" in cancelled_list


# 9: ask before removing a guest or an agenda item; no guest twice ---------------------------------

@pytest.fixture
def running(make, group):
    """A meeting that began an hour ago, with a guest in the register."""
    meeting = make.meeting(group, starts_at=utcnow() - timedelta(hours=1), number=1)
    guest = make.participation(meeting, guest_name="Gabi Gast", guest_organization="Hochschule",
                               attendance="present")
    return meeting, guest


def test_removing_a_guest_asks_first_and_says_who(client, db, login_as, office, running):
    meeting, guest = running
    login_as(office)
    register = client.get(f"/meetings/{meeting.id}/attendance").text
    assert f'href="/meetings/{meeting.id}/attendance/guests/{guest.id}/delete"' in register
    assert "formaction" not in register  # no button that removes at once

    page = client.get(f"/meetings/{meeting.id}/attendance/guests/{guest.id}/delete")
    assert page.status_code == 200
    assert "Gabi Gast (Hochschule) wird aus der Anwesenheitsliste entfernt." in page.text
    assert db.session.get(Participation, guest.id) is not None

    assert client.post(f"/meetings/{meeting.id}/attendance/guests/{guest.id}/delete", data={"confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Participation, guest.id) is None and _audit(db, "meeting.guest_remove")


def test_removing_an_agenda_item_asks_first_and_says_which(client, db, login_as, office, make, group):
    meeting = make.meeting(group, number=1)
    make.agenda_item(meeting, title="Begrüßung")
    item = make.agenda_item(meeting, title="Bericht")
    db.session.commit()
    login_as(office)
    agenda = client.get(f"/meetings/{meeting.id}/agenda").text
    assert f'href="/meetings/{meeting.id}/agenda/{item.id}/delete"' in agenda
    assert f'action="/meetings/{meeting.id}/agenda/{item.id}/delete"' not in agenda

    page = client.get(f"/meetings/{meeting.id}/agenda/{item.id}/delete")
    assert page.status_code == 200 and "TOP 2 „Bericht“ wird von der Tagesordnung entfernt" in page.text
    assert db.session.get(AgendaItem, item.id) is not None

    client.post(f"/meetings/{meeting.id}/agenda/{item.id}/delete", data={"confirm": "yes"})
    db.session.expire_all()
    assert [i.title for i in db.session.get(Meeting, meeting.id).agenda_items] == ["Begrüßung"]


def test_the_same_guest_is_refused_at_the_field(client, db, login_as, office, running):
    meeting, _guest = running
    login_as(office)
    url = f"/meetings/{meeting.id}/attendance/guests"
    response = client.post(url, data={"guest_name": "  gabi   GAST ", "guest_organization": "HOCHSCHULE "})
    assert response.status_code == 422
    assert _error(response, "guest_name") == "gabi   GAST steht schon als Gast in der Liste."
    assert 'value="  gabi   GAST "' in response.text  # the form keeps what was typed

    def guests() -> int:
        return db.session.scalar(select(func.count()).select_from(Participation).where(
            Participation.meeting_id == meeting.id, Participation.person_id.is_(None)))
    assert guests() == 1
    # the same name from another organization is another guest
    assert client.post(url, data={"guest_name": "Gabi Gast", "guest_organization": "IHK"}).status_code == 302
    assert guests() == 2


# 10: a date in the past only when confirmed; mails only for a meeting still ahead ---------------

def test_new_meeting_in_the_past_asks_and_says_its_place_in_the_series(client, db, login_as, office, make,
                                                                       group, outbox):
    later = make.meeting(group, title="Geplante Sitzung", starts_at=utc(2031, 5, 5, 16), number=1)
    db.session.commit()
    login_as(office)
    data = _form(series=str(group.id), title="Auftakt", day="2025-05-06")
    response = client.post("/meetings/new", data=data)
    assert response.status_code == 422
    assert _error(response, "confirm_past") == (
        "Das Datum liegt in der Vergangenheit. Die Sitzung wird als Nr. 1 der Reihe eingeordnet. "
        "Die spätere Sitzung mit dieser Nummer rückt eine Nummer auf. Es werden keine E-Mails verschickt.")
    assert 'name="confirm_past"' in response.text and 'value="Auftakt"' in response.text
    db.session.expire_all()
    assert _created(db).id == later.id and later.number == 1  # nothing written yet

    assert client.post("/meetings/new", data=dict(data, confirm_past="y")).status_code == 302
    db.session.expire_all()
    assert (_created(db).title, _created(db).number, later.number) == ("Auftakt", 1, 2)
    assert outbox.messages == []


def test_moving_a_meeting_with_invitees_into_the_past_sends_no_mail(client, db, login_as, office, make,
                                                                    group, member, outbox):
    meeting = make.meeting(group, title="Stadtlogistik", starts_at=utc(2030, 6, 3, 14), number=3)
    make.participation(meeting, member, invited_at=utcnow())
    db.session.commit()
    login_as(office)
    data = _form(title="Stadtlogistik", day="2025-06-03")
    response = client.post(f"/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 422
    assert _error(response, "confirm_past").startswith(
        "Das Datum liegt in der Vergangenheit. Die Sitzung wird als Nr. 3 der Reihe eingeordnet.")
    db.session.expire_all()
    assert meeting.starts_at == utc(2030, 6, 3, 14)

    response = client.post(f"/meetings/{meeting.id}/edit", data=dict(data, confirm_past="y"),
                           follow_redirects=True)
    assert "es liegt in der Vergangenheit, darum wird keine E-Mail verschickt" in response.text
    assert meeting.starts_at == utc(2025, 6, 3, 14) and meeting.ical_sequence == 1
    assert outbox.messages == []
    # a new title for the meeting that now lies in the past asks nothing
    assert client.post(f"/meetings/{meeting.id}/edit", data=dict(data, title="Logistik")).status_code == 302

    # moved ahead again: the invitees hear of it
    client.post(f"/meetings/{meeting.id}/edit", data=dict(data, day="2030-07-01"))
    assert meeting.starts_at == utc(2030, 7, 1, 14)
    assert [m["To"] for m in outbox.messages] == ["mia@example.org"]
    assert outbox.messages[0]["Subject"].startswith("Geändert: ")
