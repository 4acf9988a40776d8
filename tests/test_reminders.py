"""Reminder digests: content, at most one per person and day, interrupted runs completed by a rerun."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.actions import reminders
from portal.actions.models import ReminderDelivery
from portal.extensions import db as _db
from portal.types import local_today

TODAY = local_today()


@pytest.fixture
def owners(make):
    group = make.group(name="Handel der Zukunft")
    mia = make.person("member", name="Mia Mitglied", email="mia@example.org")
    carl = make.person("member", name="Carl Kollege", email="carl@example.org")
    gone = make.person("member", name="Ehemalig", email="gone@example.org", active=False)

    def item(owner, title, days, status="open", group=group):
        return make.action_item(owner, group, title=title, status=status,
                                due_on=TODAY + timedelta(days=days))

    return {
        "mia": mia, "carl": carl, "gone": gone,
        "overdue": item(mia, "Angebot schreiben", -2),
        "soon": item(mia, "Flyer drucken", 3, status="in_progress"),
        "edge": item(mia, "Raum buchen", 7, group=None),
        "later": item(mia, "Sommerfest planen", 8),
        "done": item(mia, "Erledigtes", -5, status="done"),
        "carl_item": item(carl, "Webseite prüfen", 0),
        "gone_item": item(gone, "Verwaist", -1),
    }


def test_each_owner_gets_one_digest_with_overdue_and_soon_due_items(owners, outbox):
    assert reminders.send_reminders(TODAY) == 2
    [mail] = outbox.to("mia@example.org")
    text = outbox.text(mail)
    assert mail["Subject"] == "Ihre Aufgaben: 1 überfällig, 2 bald fällig"
    assert "Guten Tag, Mia Mitglied," in text
    overdue_part, soon_part = text.split("Fällig in den nächsten 7 Tagen")
    assert "Überfällig (1):" in overdue_part and "Angebot schreiben" in overdue_part
    assert "Flyer drucken" in soon_part and "in Arbeit" in soon_part and "Raum buchen" in soon_part
    assert "Sommerfest planen" not in text and "Erledigtes" not in text
    assert f"https://portal.example.org/actions/{owners['overdue'].id}" in text
    assert "https://portal.example.org/actions/mine" in text
    [carl_mail] = outbox.to("carl@example.org")
    assert "Webseite prüfen" in outbox.text(carl_mail) and "Angebot" not in outbox.text(carl_mail)
    assert outbox.to("gone@example.org") == []


def test_no_person_is_reminded_twice_on_one_day(owners, outbox):
    assert reminders.send_reminders(TODAY) == 2
    assert reminders.send_reminders(TODAY) == 0
    assert len(outbox.messages) == 2
    deliveries = _db.session.scalars(select(ReminderDelivery)).all()
    assert {(d.person_id, d.sent_on, d.item_count) for d in deliveries} == {
        (owners["mia"].id, TODAY, 3), (owners["carl"].id, TODAY, 1)}


def test_next_day_brings_a_new_reminder(owners, outbox):
    reminders.send_reminders(TODAY)
    assert reminders.send_reminders(TODAY + timedelta(days=1)) == 2
    assert len(outbox.to("mia@example.org")) == 2


def test_owner_without_due_items_gets_no_mail(make, outbox):
    relaxed = make.person("member", email="relaxed@example.org")
    make.action_item(relaxed, title="Irgendwann", due_on=TODAY + timedelta(days=30))
    assert reminders.send_reminders(TODAY) == 0
    assert outbox.messages == []


def test_interrupted_run_is_completed_by_the_next_run(owners, outbox, monkeypatch):
    real_build = reminders.build_mail

    def failing_for_mia(digest, today):
        if digest.email == "mia@example.org":
            raise OSError("Verbindung verloren")
        return real_build(digest, today)

    monkeypatch.setattr(reminders, "build_mail", failing_for_mia)
    with pytest.raises(reminders.ReminderRunError) as stopped:
        reminders.send_reminders(TODAY)
    assert stopped.value.sent == 1  # Carl comes first by name and was reminded
    assert [m["To"] for m in outbox.messages] == ["carl@example.org"]
    assert _db.session.scalar(select(ReminderDelivery.person_id)) == owners["carl"].id

    monkeypatch.setattr(reminders, "build_mail", real_build)
    assert reminders.send_reminders(TODAY) == 1
    assert sorted(m["To"] for m in outbox.messages) == ["carl@example.org", "mia@example.org"]


def test_command_prints_how_many_mails_it_sent(owners, outbox, runner):
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert "2 Erinnerungsmail(s) verschickt." in result.output
    again = runner.invoke(args=["send-reminders"])
    assert "0 Erinnerungsmail(s) verschickt." in again.output
    assert len(outbox.messages) == 2


def test_command_fails_clearly_when_interrupted(owners, outbox, runner, monkeypatch):
    def broken(digest, today):
        raise OSError("Verbindung verloren")

    monkeypatch.setattr(reminders, "build_mail", broken)
    result = runner.invoke(args=["send-reminders"])
    assert result.exit_code != 0
    assert "Abgebrochen nach 0 Erinnerungsmail(s)" in result.output
    assert "Ein erneuter Aufruf verschickt die übrigen." in result.output
