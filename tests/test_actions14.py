"""Issue 14: owners hear of their action items (6), length limits shown and kept (11), and the
office's start page lists what it counts (19)."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from portal.actions.models import ActionItem
from portal.extensions import db as _db
from portal.types import local_today
from tests.factories import utc

TODAY = local_today()
DUE = TODAY + timedelta(days=21)


@pytest.fixture
def w(make):
    office = make.person("office", name="Olga Office", email="olga@example.org")
    moderator = make.person("member", name="Max Moderator", email="max@example.org")
    owner = make.person("member", name="Mia Mitglied", email="mia@example.org")
    colleague = make.person("member", name="Carl Kollege", email="carl@example.org", locale="en")
    group = make.group(moderator=moderator, members=[owner, colleague], name="Handel der Zukunft")
    meeting = make.meeting(group, title="Sitzung Handel", starts_at=utc(2024, 5, 4, 15), status="held",
                           minute_taker=moderator)
    make.participation(meeting, moderator, attendance="present")
    top = make.agenda_item(meeting, title="Lieferdienst", kind="decision")
    _db.session.commit()
    return dict(office=office, moderator=moderator, owner=owner, colleague=colleague, group=group,
                meeting=meeting, top=top)


def _item(title: str) -> ActionItem:
    return _db.session.scalar(select(ActionItem).where(ActionItem.title == title))


# 6: the owner hears of an item assigned to them ------------------------------------------------

def test_owner_is_mailed_when_an_item_is_created_on_the_actions_page(client, login_as, w, outbox):
    login_as(w["moderator"])
    response = client.post("/actions/new", data={
        "group": w["group"].id, "title": "Flyer drucken", "owner": w["owner"].id, "due_on": DUE.isoformat()})
    assert response.status_code == 302
    [mail] = outbox.to("mia@example.org")
    text = outbox.text(mail)
    assert mail["Subject"] == "Neue Aufgabe für Sie: Flyer drucken"
    assert "Max Moderator hat Ihnen eine Aufgabe übertragen:" in text and "Flyer drucken" in text
    assert f"https://portal.example.org/actions/{_item('Flyer drucken').id}" in text
    assert DUE.strftime("%d.%m.%Y") in text
    assert outbox.to("max@example.org") == []


def test_owner_is_mailed_when_an_item_is_added_in_moderation(client, login_as, w, outbox):
    login_as(w["moderator"])
    response = client.post(f"/meetings/{w['meeting'].id}/moderate/action?item={w['top'].id}", data={
        "action-title": "Angebot einholen", "action-owner_id": str(w["colleague"].id),
        "action-due_on": DUE.isoformat(), "action-decision_id": "0"})
    assert response.status_code == 302
    [mail] = outbox.messages
    assert mail["To"] == "carl@example.org"
    assert mail["Subject"] == "New action item for you: Angebot einholen"  # in Carl's language
    assert "Sitzung Handel" in outbox.text(mail)


def test_no_mail_when_the_actor_takes_the_item_themselves(client, login_as, w, outbox):
    login_as(w["office"])
    response = client.post("/actions/new", data={
        "group": "plenum", "title": "Förderantrag", "owner": w["office"].id, "due_on": DUE.isoformat()})
    assert response.status_code == 302
    assert outbox.messages == []


def test_new_and_old_owner_and_a_moved_due_date_are_told(client, login_as, w, make, outbox):
    item = make.action_item(w["owner"], w["group"], title="Flyer drucken", due_on=DUE)
    _db.session.commit()
    login_as(w["moderator"])
    later = DUE + timedelta(days=7)
    client.post(f"/actions/{item.id}/edit", data={
        "title": item.title, "owner": w["owner"].id, "due_on": later.isoformat()})
    [moved] = outbox.to("mia@example.org")
    assert moved["Subject"] == f"Neue Frist {later:%d.%m.%Y}: Flyer drucken"
    assert f"bisher {DUE:%d.%m.%Y}" in outbox.text(moved)

    outbox.clear()
    client.post(f"/actions/{item.id}/edit", data={
        "title": item.title, "owner": w["colleague"].id, "due_on": (later + timedelta(days=1)).isoformat()})
    [given] = outbox.to("carl@example.org")  # one mail, with the new due date
    assert given["Subject"] == "New action item for you: Flyer drucken"
    assert f"Due date: {format_date(later + timedelta(days=1), 'medium', locale='en')}" in outbox.text(given)
    [taken] = outbox.to("mia@example.org")
    assert taken["Subject"] == "Aufgabe an Carl Kollege übergeben: Flyer drucken"
    assert len(outbox.messages) == 2


# 19: the start page lists what it counts, and the demo is a well-run alliance --------------------

def test_office_start_page_counts_what_it_lists_and_links_to_all_overdue_items(client, login_as, w, make):
    for n in range(12):
        make.action_item(w["owner"], w["group"], title=f"Überfällig {n:02}", due_on=TODAY - timedelta(days=n + 1))
    make.action_item(w["owner"], w["group"], title="Erledigt", status="done", due_on=TODAY - timedelta(days=3))
    make.action_item(w["owner"], w["group"], title="Heute fällig", due_on=TODAY)
    login_as(w["office"])
    html = client.get("/").text
    section = html[html.index('id="h-overdue"'):html.index('id="h-requests"')]
    assert '<span class="count">12</span>' in section
    assert section.count('href="/actions/') == 10
    assert "10 von 12" in section and '<a href="/actions?overdue=y">alle anzeigen</a>' in section
    listed = client.get("/actions?overdue=y").text
    assert len(re.findall(r'<th scope="row"><a href="/actions/\d+">Überfällig', listed)) == 12


def test_start_page_has_no_more_link_when_everything_is_listed(client, login_as, w, make):
    make.action_item(w["owner"], w["group"], title="Überfällig", due_on=TODAY - timedelta(days=1))
    login_as(w["office"])
    html = client.get("/").text
    assert '<span class="count">1</span>' in html and "alle anzeigen" not in html


# 11: every length limit is shown at the field and explained, nothing is cut --------------------

LONG = "Zielformulierung" * 313  # 5,008 characters, no space to break at


def test_a_5000_character_goal_is_refused_with_the_limit_and_kept_as_typed(client, login_as, w):
    login_as(w["office"])
    form = client.get(f"/groups/{w['group'].id}/goals").text
    assert re.search(r'<input aria-describedby="title-limit"[^>]*id="title"[^>]*maxlength="300"', form)
    assert '<p class="hint limit" id="title-limit">Höchstens 300 Zeichen.</p>' in form
    response = client.post(f"/groups/{w['group'].id}/goals", data={"title": LONG, "status": "open"})
    assert response.status_code == 422
    assert "Höchstens 300 Zeichen (eingegeben: 5.008)." in response.text
    assert f'value="{LONG}"' in response.text
    assert not w["group"].goals


def test_a_5000_character_action_title_is_refused_with_the_limit_and_kept_as_typed(client, login_as, w):
    login_as(w["moderator"])
    form = client.get("/actions/new").text
    assert re.search(r'<input[^>]*id="title"[^>]*maxlength="300"', form)
    assert re.search(r'<textarea[^>]*id="description"[^>]*maxlength="20000"', form)
    assert 'id="description-limit">Höchstens 20.000 Zeichen.</p>' in form
    response = client.post("/actions/new", data={
        "group": w["group"].id, "title": LONG, "owner": w["owner"].id, "due_on": DUE.isoformat()})
    assert response.status_code == 422
    assert "Höchstens 300 Zeichen (eingegeben: 5.008)." in response.text
    assert f'value="{LONG}"' in response.text
    assert _db.session.scalar(select(ActionItem.id)) is None


def test_an_outcome_title_is_not_cut_but_refused(db, make, w):
    from portal.reports import outcomes

    with pytest.raises(outcomes.OutcomeError, match="höchstens 300 Zeichen"):
        outcomes.create_outcome(w["office"], outcomes.OutcomeInput(title=LONG, status="running"))


def _overflow(html: str) -> float:
    """How far the widest box of the rendered document reaches past its page's content area (pt)."""
    from weasyprint import HTML

    from portal.documents.render import BASE_URL, StaticOnlyFetcher, font_configuration

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticOnlyFetcher()).render(
        font_config=font_configuration())
    worst = 0.0
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        for child in box.descendants():
            if child is box or type(child).__name__ == "MarginBox":
                continue
            if getattr(child, "width", None) is not None and hasattr(child, "position_x"):
                worst = max(worst, child.position_x + child.margin_width() - right)
    return worst


def test_a_long_unbroken_title_wraps_in_the_minutes_pdf(db, make, w):
    from portal.documents.minutes_pdf import minutes_html
    from portal.minutes.data import load_minutes

    long = "Stadtlogistikprojektplanungsunterlagen" * 7  # 266 characters without a break
    make.agenda_item(w["meeting"], title=long)
    make.action_item(w["owner"], w["group"], meeting=w["meeting"], agenda_item=w["top"], title=long)
    _db.session.flush()
    _db.session.expire_all()
    assert _overflow(minutes_html(load_minutes(_db.session.get(type(w["meeting"]), w["meeting"].id)))) <= 1
