"""Mail through notify(): each recipient in their own language, and every mail template renders."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader

from portal.actions.reminders import Digest, DigestLine
from portal.circulars.models import Circular
from portal.minutes.models import MinutesComment
from portal.notifications import message, notify
from tests.factories import utc

TEMPLATES = Path(__file__).parent.parent / "templates" / "mail"
MAILS = sorted(path.stem for path in TEMPLATES.glob("*.txt") if not path.name.startswith("_"))
LINK = "https://portal.example.org/link"


def test_one_join_request_reaches_each_moderator_in_their_language(client, login_as, make, outbox):
    english = make.person(name="Emma English", email="emma@example.org", locale="en")
    german = make.person(name="Gerd Deutsch", email="gerd@example.org", locale="de")
    unset = make.person(name="Uta Ohne", email="uta@example.org", locale=None)
    group = make.group(moderator=english, name="Handel der Zukunft", join_policy="moderated")
    make.membership(german, group, role="moderator")
    make.membership(unset, group, role="moderator")
    login_as(make.person(name="Mia Mitglied"))

    client.post(f"/groups/{group.id}/join", data={"message": ""})

    [to_emma] = outbox.to("emma@example.org")
    assert to_emma["Subject"] == "Join request for “Handel der Zukunft”"
    assert outbox.text(to_emma).startswith(
        "Hello Emma English,\n\nMia Mitglied would like to join the working group “Handel der Zukunft”.\n"
        "\n(no message)\n\nAccept or decline: ")
    for address, name in (("gerd@example.org", "Gerd Deutsch"), ("uta@example.org", "Uta Ohne")):
        [mail] = outbox.to(address)
        assert mail["Subject"] == "Beitrittsanfrage für „Handel der Zukunft“"
        assert outbox.text(mail).startswith(
            f"Guten Tag, {name},\n\nMia Mitglied möchte dem Reallabor „Handel der Zukunft“ beitreten.\n"
            "\n(ohne Nachricht)\n\nAnnehmen oder ablehnen: ")


def test_mail_is_queued_until_the_commit_and_dropped_on_rollback(db, make, outbox):
    person = make.person(email="rolled@example.org")
    notify(person, "auth_password_reset", link=LINK)
    db.session.rollback()
    assert outbox.messages == []

    notify(make.person(email="kept@example.org"), "auth_password_reset", link=LINK)
    db.session.commit()
    assert [m["To"] for m in outbox.messages] == ["kept@example.org"]


def test_an_html_sibling_becomes_the_escaped_html_part(app, db, make, monkeypatch):
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([DictLoader({
        "mail/test_event.txt": "{% block subject %}Betreff{% endblock %}{% block body %}Hallo {{ name }}{% endblock %}",
        "mail/test_event.html": "{% block body %}<p>Hallo {{ name }}</p>{% endblock %}",
    }), app.jinja_env.loader]))
    mail = message(make.person(), "test_event", name="<Mia>")
    assert mail.get_body(preferencelist=("plain",)).get_content().startswith("Hallo <Mia>\n\n-- \n")
    assert mail.get_body(preferencelist=("html",)).get_content() == (
        '<p>Hallo &lt;Mia&gt;</p>\n<p>-- <br><a href="https://portal.example.org/privacy-notice">'
        'Datenschutzhinweise</a></p>\n')


def _meeting(make, **kw):
    meeting = make.meeting(make.group(), title="Innenstadt", location="Rathaus", organizer=make.person(), **kw)
    make.agenda_item(meeting, title="Begrüßung")
    return meeting


def _reminder(make, person):
    line = DigestLine("Angebot schreiben", date(2030, 1, 1), "open", "Handel der Zukunft", LINK)
    return {"digest": Digest(person.id, person.name, person.email, person.locale, [line], [line]),
            "days": 7, "mine_url": LINK}


def _published(make, person):
    meeting = _meeting(make)
    return {"meeting": meeting, "link": LINK, "decisions": [make.decision(meeting, text="Wir machen das.")],
            "action_items": [make.action_item(person, title="Angebot schreiben")]}


def _comment(make, person):
    meeting = _meeting(make)
    return {"meeting": meeting, "comment": MinutesComment(text="Die Zahl war 41."),
            "agenda_item": meeting.agenda_items[0], "author": make.person(), "link": LINK}


def _action(make, owner):
    meeting = _meeting(make)
    item = make.action_item(owner, meeting.group, title="Angebot schreiben", meeting=meeting)
    return {"item": item, "actor": make.person(name="Max Moderator"), "link": LINK}


# What each mail needs, as its caller passes it. A new template without an entry fails below.
CONTEXTS = {
    "auth_password_reset": lambda make, person: {"link": LINK},
    "members_invitation": lambda make, person: {"inviter": make.person(), "link": LINK,
                                                "valid_until": utc(2030, 1, 15, 12)},
    "groups_join_request": lambda make, person: {"applicant": make.person(), "group": make.group(),
                                                 "message": "Ich führe einen Laden.", "link": LINK},
    "groups_join_accepted": lambda make, person: {"group": make.group(), "link": LINK},
    "groups_join_declined": lambda make, person: {"group": make.group(), "link": LINK},
    "actions_reminder": _reminder,
    "actions_assigned": lambda make, person: _action(make, person),
    "actions_unassigned": lambda make, person: _action(make, make.person(name="Nora Neu")),
    "actions_due_changed": lambda make, person: {**_action(make, person), "old_due_on": date(2029, 12, 1)},
    "meetings_invitation": lambda make, person: {"meeting": _meeting(make), "link": LINK},
    "meetings_guest_invitation": lambda make, person: {"meeting": _meeting(make), "link": LINK, "guest_link": LINK},
    "meetings_agenda": lambda make, person: {"meeting": _meeting(make), "link": LINK},
    "meetings_change": lambda make, person: {
        "meeting": _meeting(make), "link": LINK,
        "changes": {"starts_at": (utc(2030, 3, 9, 16), utc(2030, 3, 10, 16)), "room": ("A", None)}},
    "meetings_cancellation": lambda make, person: {
        "meeting": _meeting(make, status="cancelled", cancel_reason="Krankheit"), "link": LINK},
    "minutes_review": lambda make, person: {"meeting": _meeting(make, review_until=date(2030, 3, 20)),
                                            "link": LINK},
    "minutes_comment": _comment,
    "minutes_published": _published,
    "circulars_circular": lambda make, person: {
        "circular": Circular(subject="Sommerfest", body="Wir feiern am **1. Juli**.", audience="all_members"),
        "sender": make.person(name="Olga Office"), "link": LINK, "unsubscribe": LINK + "/unsubscribe"},
    "surveys_invitation": lambda make, person: {"survey": _survey(make), "url": LINK},
    "surveys_reminder": lambda make, person: {"survey": _survey(make), "url": LINK},
    "exchange_contact_request": lambda make, person: {
        "theme": _theme(make), "asker": make.person(name="Paula Plan"), "asker_organization": "Bäckerei Korn",
        "message": "Wie haben Sie angefangen?", "url": LINK},
    "exchange_group_invitation": lambda make, person: {"theme": _theme(make), "group": make.group(), "url": LINK},
}


@pytest.mark.parametrize("template", MAILS)
def test_every_mail_template_renders_in_german_and_in_english(db, make, template):
    assert template in CONTEXTS, f"add a context for templates/mail/{template}.txt to CONTEXTS"
    mails = {}
    for locale in ("de", "en"):
        person = make.person(name="Rita Empfängerin", locale=locale)
        mails[locale] = message(person, template, **CONTEXTS[template](make, person))
    german, english = ({"subject": m["Subject"], "text": m.get_body(preferencelist=("plain",)).get_content()}
                       for m in (mails["de"], mails["en"]))
    assert german["text"].startswith("Guten Tag, Rita Empfängerin,\n")
    assert english["text"].startswith("Hello Rita Empfängerin,\n")
    assert german["subject"] and "\n" not in german["subject"]
    assert english["subject"] != german["subject"]
    assert "{{" not in german["text"] + english["text"] and "None" not in german["text"] + english["text"]


def test_every_context_belongs_to_a_template():
    assert sorted(CONTEXTS) == MAILS


def _survey(make):
    from portal.surveys.models import Survey
    return make._add(Survey(title="Mobilität 2030", opens_on=date(2030, 1, 1), closes_on=date(2030, 1, 31)))


def _theme(make):
    from portal.exchange.models import Theme
    return make._add(Theme(name=f"Lastenrad-Logistik {make.organization().id}"))
