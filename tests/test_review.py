"""Review of the minutes as people review: comments reach the minute-taker, an adopted comment is
worked in while the minutes stay in review, the review has a period that approval respects, and
the register is complete before the minutes go out (issue 14, points 12, 13 and 16)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.extensions import db as _db
from portal.minutes.models import MinutesComment, MinutesRevision
from portal.types import local_today
from tests.test_minutes import minutes_url, save_text, session, set_status  # noqa: F401  (fixture)


def comment(client, meeting, text, item=None):
    return client.post(minutes_url(meeting, "comment"), data={
        "comment-agenda_item_id": str(item.id if item else 0), "comment-text": text})


def adopt(client, meeting, comment, reply="Wird eingearbeitet."):
    return client.post(minutes_url(meeting, "answer"), data={
        "answer-comment_id": str(comment.id), "answer-reply": reply, "answer-adopt": "y"})


def in_review(meeting, days: int = 7):
    meeting.review_until = local_today() + timedelta(days=days)
    set_status(meeting, "in_review")


def error_of(response, field: str) -> str:
    found = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', response.text)
    return found.group(1) if found else ""


# 12: comments reach the minute-taker; adopting opens the text --------------------------------

def test_each_comment_mails_the_minute_taker_and_the_organizer_in_their_language(
        client, login_as, session, outbox):
    s = session
    meeting, item = s["meeting"], s["second"]
    meeting.organizer = s["office"]
    s["office"].locale = "en"
    in_review(meeting)
    login_as(s["anna"])
    comment(client, meeting, "Die Zahl war 41.", item)
    comment(client, meeting, "Allgemein gut.")

    first, second = _db.session.scalars(select(MinutesComment).order_by(MinutesComment.id)).all()
    to_moderator = outbox.to(s["moderator"].email)
    assert [m["Subject"] for m in to_moderator] == ["Anmerkung zum Protokoll: Sitzung Handel"] * 2
    body = outbox.text(to_moderator[0])
    assert body.startswith("Guten Tag, Max Moderator,\n")
    assert "Anna Anwesend hat eine Anmerkung zu TOP 2: Budget 2025 gemacht:" in body
    assert "Die Zahl war 41." in body
    assert f"https://portal.example.org/meetings/{meeting.id}/minutes?answer={first.id}#comment-{first.id}" in body
    assert "zum Protokoll allgemein" in outbox.text(to_moderator[1])
    assert [m["Subject"] for m in outbox.to(s["office"].email)] == ["Comment on the minutes: Sitzung Handel"] * 2
    assert outbox.to("anna@example.org") == []  # the author is not told of her own comment
    assert second.agenda_item_id is None


def test_the_minute_taker_commenting_gets_no_mail_of_her_own_comment(client, login_as, session, outbox):
    s = session
    in_review(s["meeting"])
    login_as(s["moderator"])
    comment(client, s["meeting"], "Ich ergänze noch die Zahlen.")
    assert outbox.messages == []


def test_adopting_a_comment_opens_the_text_of_its_top_beside_it_while_the_minutes_stay_in_review(
        client, login_as, session, outbox):
    s = session
    meeting, item = s["meeting"], s["second"]
    item.minutes_text = "Es waren 40 Händler."
    in_review(meeting)
    login_as(s["anna"])
    comment(client, meeting, "Die Zahl war 41.", item)
    remark = _db.session.scalar(select(MinutesComment))
    outbox.clear()

    login_as(s["moderator"])
    response = adopt(client, meeting, remark)
    assert response.status_code == 302
    assert response.location.endswith(f"/minutes?edit={item.id}#agenda-item-{item.id}")
    page = client.get(response.location)
    section = page.text.split(f'id="agenda-item-{item.id}"')[1].split("</section>")[0]
    assert 'action="/meetings/%d/minutes/text"' % meeting.id in section
    assert "Die Zahl war 41." in section and "übernommen" in section
    assert meeting.minutes_status == "in_review"

    assert save_text(client, meeting, item, "Es waren 41 Händler.", meeting.minutes_version).status_code == 302
    _db.session.expire_all()
    assert item.minutes_text == "Es waren 41 Händler." and meeting.minutes_status == "in_review"
    assert _db.session.scalar(select(MinutesRevision.version)) == 1
    assert outbox.messages == []  # no second round of review mails


def test_in_review_only_the_text_of_a_top_with_an_adopted_comment_can_be_changed(client, login_as, session):
    s = session
    meeting, first, second = s["meeting"], s["first"], s["second"]
    first.minutes_text = "Festgehalten."
    in_review(meeting)
    login_as(s["anna"])
    comment(client, meeting, "Die Zahl war 41.", second)
    login_as(s["moderator"])
    adopt(client, meeting, _db.session.scalar(select(MinutesComment)))

    page = client.get(minutes_url(meeting) + f"?edit={first.id}")
    assert 'name="text-text"' not in page.text
    response = client.post(minutes_url(meeting, "text"), data={
        "item": str(first.id), "text-text": "Geändert", "text-version": str(meeting.minutes_version)})
    assert response.status_code == 422
    assert "nur, um eine übernommene Anmerkung einzuarbeiten" in response.text
    _db.session.expire_all()
    assert first.minutes_text == "Festgehalten."
    assert "Text bearbeiten" in client.get(minutes_url(meeting)).text  # the second TOP's link


def test_an_adopted_general_comment_opens_every_top_and_the_conflict_check_still_holds(
        client, login_as, session):
    s = session
    meeting, first = s["meeting"], s["first"]
    in_review(meeting)
    login_as(s["anna"])
    comment(client, meeting, "Bitte überall die Firmen nennen.")
    login_as(s["moderator"])
    response = adopt(client, meeting, _db.session.scalar(select(MinutesComment)))
    assert response.location.endswith(f"#comment-{_db.session.scalar(select(MinutesComment.id))}")
    assert save_text(client, meeting, first, "Firma A berichtet.", 0).status_code == 302
    # a second editor who started from version 0 does not overwrite it
    conflict = save_text(client, meeting, first, "Firma B berichtet.", 0)
    assert conflict.status_code == 409 and "Firma A berichtet." in conflict.text
    _db.session.expire_all()
    assert first.minutes_text == "Firma A berichtet."


# 13: a review period ----------------------------------------------------------------------------

def test_submitting_sets_a_review_period_of_seven_days_told_in_the_mail_and_on_the_page(
        client, login_as, session, outbox):
    s = session
    meeting = s["meeting"]
    s["bert"].locale = "en"
    set_status(meeting, "draft")
    login_as(s["moderator"])
    page = client.get(minutes_url(meeting))
    assert re.search(r'<input[^>]*name="submit-days"[^>]*value="7"', page.text)

    response = client.post(minutes_url(meeting, "submit"), data={"submit-days": "7"}, follow_redirects=True)
    until = local_today() + timedelta(days=7)
    assert meeting.minutes_status == "in_review" and meeting.review_until == until
    german = format_date(until, "long", locale="de")
    assert f"Anmerkungen bis {german}" in response.text
    assert f"bis zum {german}" in outbox.text(outbox.to("anna@example.org")[0])
    assert format_date(until, "long", locale="en") in outbox.text(outbox.to("bert@example.org")[0])


def test_the_review_period_is_editable_and_at_least_one_day(client, login_as, session, outbox):
    s = session
    meeting = s["meeting"]
    set_status(meeting, "draft")
    login_as(s["moderator"])
    for typed, message in (("0", "Bitte eine Zahl von 1 bis 60 Tagen eingeben."),
                           ("drei", "Bitte die Dauer in ganzen Tagen angeben."),
                           ("", "Bitte die Dauer in ganzen Tagen angeben.")):
        response = client.post(minutes_url(meeting, "submit"), data={"submit-days": typed})
        assert response.status_code == 422, typed
        assert error_of(response, "submit-days") == message
        assert re.search(rf'<input[^>]*name="submit-days"[^>]*value="{typed}"', response.text)
    _db.session.expire_all()
    assert meeting.minutes_status == "draft" and meeting.review_until is None and outbox.messages == []

    client.post(minutes_url(meeting, "submit"), data={"submit-days": "3"})
    assert meeting.review_until == local_today() + timedelta(days=3)


def test_approving_before_the_end_of_the_review_asks_for_confirmation(client, login_as, session):
    s = session
    meeting = s["meeting"]
    in_review(meeting, days=2)
    login_as(s["office"])
    page = client.get(minutes_url(meeting))
    assert 'name="approve-confirm"' in page.text
    response = client.post(minutes_url(meeting, "approve"))
    assert response.status_code == 422
    until = format_date(meeting.review_until, "long", locale="de")
    assert error_of(response, "approve-confirm").startswith(f"Die Abstimmung läuft noch bis zum {until}.")
    _db.session.expire_all()
    assert meeting.minutes_status == "in_review"

    response = client.post(minutes_url(meeting, "approve"), data={"approve-confirm": "y"})
    assert response.status_code == 302 and meeting.minutes_status == "approved"


def test_after_the_end_of_the_review_approval_is_immediate(client, login_as, session):
    s = session
    meeting = s["meeting"]
    in_review(meeting, days=-1)
    login_as(s["office"])
    page = client.get(minutes_url(meeting))
    assert 'name="approve-confirm"' not in page.text and "Die Abstimmungsfrist ist abgelaufen" in page.text
    assert client.post(minutes_url(meeting, "approve")).status_code == 302
    assert meeting.minutes_status == "approved"


# 16: the register is complete before the minutes go out -----------------------------------------

@pytest.mark.parametrize("mark", ["absent", "excused"])
def test_the_submit_step_counts_the_unrecorded_and_marks_them_in_one_step(
        client, login_as, session, outbox, mark):
    s = session
    meeting = s["meeting"]
    for person in (s["bert"], s["erik"]):
        next(p for p in meeting.participations if p.person_id == person.id).attendance = "unknown"
    set_status(meeting, "draft")
    login_as(s["moderator"])
    page = client.get(minutes_url(meeting))
    assert "2 Eingeladene sind in der Anwesenheitsliste noch nicht erfasst" in page.text
    assert f'href="/meetings/{meeting.id}/attendance"' in page.text

    refused = client.post(minutes_url(meeting, "submit"), data={"submit-days": "7"})
    assert refused.status_code == 422
    assert error_of(refused, "submit-unrecorded").startswith("2 Eingeladene sind noch nicht erfasst.")
    _db.session.expire_all()
    assert meeting.minutes_status == "draft" and outbox.messages == []

    response = client.post(minutes_url(meeting, "submit"), data={"submit-days": "7", "submit-unrecorded": mark})
    assert response.status_code == 302
    _db.session.expire_all()
    marks = {p.person.name: p.attendance for p in meeting.participations if p.person}
    assert marks["Bert Beteiligt"] == mark and marks["Erik Entschuldigt"] == mark
    assert meeting.minutes_status == "in_review"
    assert _db.session.query(AuditEvent).filter_by(action="meeting.attendance").count() == 2
    assert "Anwesenheit nicht erfasst" not in client.get(minutes_url(meeting)).text


def test_a_complete_register_asks_nothing_at_submission(client, login_as, session):
    s = session
    set_status(s["meeting"], "draft")
    login_as(s["moderator"])
    page = client.get(minutes_url(s["meeting"]))
    assert "noch nicht erfasst" not in page.text and 'name="submit-unrecorded"' not in page.text
