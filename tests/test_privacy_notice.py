"""The privacy notice: versions written by the office, taken note of at the next page, linked everywhere."""
from __future__ import annotations

from sqlalchemy import func, select

from portal import notifications
from portal.audit.models import AuditEvent
from portal.privacy_notice import notices
from portal.privacy_notice.models import NoticeAcceptance, PrivacyNotice


def _publish(db, office, text="## Verantwortlich\nDie Geschäftsstelle."):
    notice = notices.publish(office, text)
    db.session.commit()
    return notice


def test_without_a_notice_nobody_is_held_up(client, make, login_as):
    login_as(make.person("member"))
    assert client.get("/").status_code == 200
    assert "noch keine Datenschutzhinweise" in client.get("/privacy-notice").text


def test_a_new_version_is_asked_for_at_the_next_page_and_then_not_again(db, client, make, login_as):
    office, member = make.person("office"), make.person("member")
    _publish(db, office)
    login_as(member)

    held = client.get("/actions?status=open")
    assert held.status_code == 302
    assert held.headers["Location"] == "/privacy-notice?next=/actions?status%3Dopen"
    shown = client.get(held.headers["Location"])
    assert "Verantwortlich" in shown.text and "Zur Kenntnis genommen" in shown.text

    accepted = client.post("/privacy-notice/accept", data={"version": "1", "next": "/actions?status=open"})
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/actions?status=open"
    assert client.get("/actions").status_code == 200
    assert db.session.scalar(select(func.count(NoticeAcceptance.id)).where(
        NoticeAcceptance.person_id == member.id, NoticeAcceptance.version == 1)) == 1
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.actor_id == member.id)) \
        == "privacy_notice.accepted"

    _publish(db, office, "## Verantwortlich\nDie Geschäftsstelle, neue Anschrift.")
    assert client.get("/").headers["Location"].startswith("/privacy-notice")


def test_a_form_sent_while_a_new_version_appears_is_not_lost(db, client, make, login_as):
    office, member = make.person("office"), make.person("member")
    login_as(member)
    _publish(db, office)
    saved = client.post("/profile", data={"name": "Mia Neu", "locale": "de"})
    assert saved.status_code in (200, 302, 422)
    assert saved.headers.get("Location", "") != "/privacy-notice?next=/profile"


def test_accepting_twice_or_a_version_that_does_not_exist(db, client, make, login_as):
    office, member = make.person("office"), make.person("member")
    _publish(db, office)
    login_as(member)
    client.post("/privacy-notice/accept", data={"version": "1"})
    client.post("/privacy-notice/accept", data={"version": "1"})
    assert db.session.scalar(select(func.count(NoticeAcceptance.id))) == 1
    missing = client.post("/privacy-notice/accept", data={"version": "9", "next": "https://evil.example"})
    assert missing.status_code == 302 and missing.headers["Location"] == "/"
    assert "Diese Fassung der Datenschutzhinweise gibt es nicht." in client.get("/").text


def test_office_publishes_versions_and_bad_input_keeps_the_text(db, client, make, login_as):
    office = make.person("office")
    login_as(office)
    empty = client.post("/privacy-notice/edit", data={"text": "   "})
    assert empty.status_code == 422 and "Bitte geben Sie den Text" in empty.text

    first = client.post("/privacy-notice/edit", data={"text": "Erste Fassung."})
    assert first.status_code == 302
    client.post("/privacy-notice/accept", data={"version": "1"})
    same = client.post("/privacy-notice/edit", data={"text": "Erste Fassung."})
    assert same.status_code == 422 and "unverändert" in same.text and "Erste Fassung." in same.text

    client.post("/privacy-notice/edit", data={"text": "Zweite Fassung mit <script>alert(1)</script>."})
    client.post("/privacy-notice/accept", data={"version": "2"})
    page = client.get("/privacy-notice").text
    assert "Fassung 2" in page and "Frühere Fassungen" in page and "<script>" not in page
    assert db.session.scalar(select(func.count(PrivacyNotice.id))) == 2
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == office.id)).all()
    assert actions.count("privacy_notice.published") == 2


def test_linked_from_every_page_and_every_mail(app, client, make):
    assert 'href="/privacy-notice"' in client.get("/login").text
    office, member = make.person("office"), make.person("member", locale="en")
    item = make.action_item(member, title="Angebote einholen")
    with app.test_request_context():
        mail = notifications.message(member, "actions_assigned", item=item, actor=office, link="/actions")
    assert mail.get_body(("plain",)).get_content().endswith(
        "\n-- \nPrivacy notice: https://portal.example.org/privacy-notice\n")


def test_accepting_the_invitation_takes_note_of_the_notice_it_showed(db, client, make):
    from portal.members.invitations import accept_invitation
    from portal.members.tokens import invitation_token

    _publish(db, make.person("office"), "## Verantwortlich\nDie Geschäftsstelle der Allianz.")
    invited = make.person("member", password=None, invitation_nonce="n1")
    page = client.get(f"/invite/{invitation_token(invited)}").text
    assert "Die Geschäftsstelle der Allianz." in page and "Fassung 1" in page
    accept_invitation(invited, "ein-langes-passwort-2026")
    db.session.commit()
    assert notices.unaccepted_version(invited) is None
