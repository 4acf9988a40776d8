"""Circulars: addressing, preview equal to what is sent, opt-out, one-click unsubscribe, archive."""
from __future__ import annotations

import re

from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.circulars.models import Circular
from portal.meetings import invitations
from portal.members.tokens import unsubscribe_token


def _group_with_members(make, n=3):
    moderator = make.person("member", name="Max Moderator")
    members = [make.person("member", name=f"Mitglied {i}", email=f"m{i}@example.org") for i in range(n)]
    group = make.group(moderator=moderator, members=members, name="Handel der Zukunft")
    return group, moderator, members


def _draft(client, **fields):
    data = {"subject": "Sommerfest", "body": "Wir feiern am **1. Juli**.", "audience": "all_members", **fields}
    return client.post("/circulars/new", data=data)


def test_a_circular_to_a_group_reaches_exactly_its_active_members(client, make, login_as, outbox, db):
    group, moderator, members = _group_with_members(make)
    former = make.person("member", name="Früher Dabei")
    make.membership(former, group, status="left")
    members[2].receives_circulars = False  # opted out
    make.person("member", name="Andere Gruppe")
    office = login_as(make.person("office", name="Olga Office"))

    created = _draft(client, audience="groups", group_ids=str(group.id))
    assert created.status_code == 302
    circular = db.session.scalar(select(Circular))
    preview = client.get(created.headers["Location"]).text
    assert "3 Personen erhalten dieses Rundschreiben" in preview  # moderator + two members
    assert "Früher Dabei" not in preview and "Andere Gruppe" not in preview and "Mitglied 2" not in preview

    sent = client.post(f"/circulars/{circular.id}/send")
    assert sent.status_code == 302
    mails = outbox.messages
    assert sorted(m["To"] for m in mails) == sorted([moderator.email, members[0].email, members[1].email])
    mail = mails[0]
    assert mail["Subject"] == "Rundschreiben: Sommerfest"
    assert re.match(r"<https://portal\.example\.org/circulars/unsubscribe/[\w.-]+>", mail["List-Unsubscribe"])
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Wir feiern am **1. Juli**." in mail.get_body(("plain",)).get_content()
    assert db.session.get(Circular, circular.id).recipient_count == 3
    again = client.post(f"/circulars/{circular.id}/send", follow_redirects=True)
    assert "schon verschickt" in again.text and len(outbox.messages) == 3
    assert {e.action for e in db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == office.id))} \
        >= {"circular.saved", "circular.sent"}


def test_recipients_read_it_in_the_portal_and_others_cannot(client, make, login_as, db):
    group, moderator, members = _group_with_members(make, n=1)
    login_as(make.person("office"))
    created = _draft(client, audience="groups", group_ids=str(group.id))
    circular_id = int(created.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/circulars/{circular_id}/send")
    login_as(members[0])
    assert "Sommerfest" in client.get("/circulars").text
    assert "1. Juli" in client.get(f"/circulars/{circular_id}").text
    login_as(make.person("member", name="Nicht dabei"))
    assert "Sommerfest" not in client.get("/circulars").text
    assert client.get(f"/circulars/{circular_id}").status_code == 403


def test_one_click_unsubscribe_without_signing_in(client, make, db, outbox):
    person = make.person("member", name="Mia Mitglied")
    token = unsubscribe_token(person)
    page = client.get(f"/circulars/unsubscribe/{token}")
    assert page.status_code == 200 and "Rundschreiben abbestellen" in page.text and person.receives_circulars
    done = client.post(f"/circulars/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "erhält keine Rundschreiben mehr" in done.text
    db.session.refresh(person)
    assert person.receives_circulars is False
    assert client.post(f"/circulars/unsubscribe/{token}").status_code == 200  # again: still fine
    assert client.get("/circulars/unsubscribe/kaputt").status_code == 404


def test_opted_out_people_still_get_invitations(client, make, login_as, db, outbox):
    person = make.person("member", receives_circulars=False)
    group = make.group(moderator=make.person("member"), members=[person])
    office = login_as(make.person("office"))
    created = _draft(client, audience="all_members")
    circular_id = int(created.headers["Location"].rsplit("/", 1)[1])
    client.post(f"/circulars/{circular_id}/send")
    assert person.email not in [m["To"] for m in outbox.messages]
    meeting = make.meeting(group, title="Sitzung")
    invitations.invite(office, meeting, [person])
    db.session.commit()
    assert person.email in [m["To"] for m in outbox.messages]


def test_profile_switch_turns_circulars_off_and_on(client, make, login_as, db):
    person = login_as(make.person("member"))
    assert client.post("/profile/circulars", data={}).status_code == 302
    db.session.refresh(person)
    assert person.receives_circulars is False
    client.post("/profile/circulars", data={"receives": "y"})
    db.session.refresh(person)
    assert person.receives_circulars is True
    assert 'id="receives-circulars"' in client.get("/profile").text


def test_bad_input_is_shown_at_the_field_and_kept(client, make, login_as):
    login_as(make.person("office"))
    no_subject = _draft(client, subject="", body="Mein langer Text")
    assert no_subject.status_code == 422 and "Bitte geben Sie einen Betreff an." in no_subject.text
    assert "Mein langer Text" in no_subject.text
    no_group = _draft(client, audience="groups")
    assert no_group.status_code == 422 and "mindestens ein Reallabor" in no_group.text
    no_meeting = _draft(client, audience="invitees")
    assert no_meeting.status_code == 422 and "Bitte wählen Sie ein Treffen." in no_meeting.text
    bad_audience = _draft(client, audience="everyone-in-town")
    assert bad_audience.status_code == 422


def test_moderators_write_only_to_their_own_groups(client, make, login_as):
    group, moderator, _ = _group_with_members(make)
    other = make.group(moderator=make.person("member"), name="Handwerk digital")
    login_as(moderator)
    own = _draft(client, audience="groups", group_ids=str(group.id))
    assert own.status_code == 302
    foreign = _draft(client, audience="groups", group_ids=str(other.id))
    assert foreign.status_code == 422
    everyone = _draft(client, audience="all_members")
    assert everyone.status_code == 422


def test_nobody_to_send_to_is_said_before_sending(client, make, login_as, db, outbox):
    login_as(make.person("office", receives_circulars=False))
    created = _draft(client, audience="sectors", sectors="Industrie")
    page = client.get(created.headers["Location"]).text
    assert "Niemand würde dieses Rundschreiben erhalten" in page
    circular_id = int(created.headers["Location"].rsplit("/", 1)[1])
    refused = client.post(f"/circulars/{circular_id}/send", follow_redirects=True)
    assert "Niemand würde" in refused.text and outbox.messages == []


def test_archive_runs_a_fixed_number_of_queries(client, make, login_as, db, count_queries):
    office = login_as(make.person("office"))
    counts = []
    for size in (2, 15):
        for n in range(size):
            db.session.add(Circular(subject=f"Brief {n}", body="x", author=office, audience="all_members",
                                    group_ids=[], sectors=[]))
        db.session.commit()
        with count_queries() as counter:
            assert client.get("/circulars").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
