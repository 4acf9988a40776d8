"""The experience exchange: who practises a theme helps who plans it; from a survey's answers to the
themes; from a theme to a working group (issue 16)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.exchange.models import OrganizationTheme, Theme
from portal.extensions import db as _db
from portal.groups.models import WorkingGroup
from portal.surveys.models import Survey, SurveyQuestion
from portal.types import local_today


def _theme(make, name="Mobilität der Beschäftigten") -> Theme:
    return make._add(Theme(name=name))


def _status(make, org, theme, status, shares=False, contact=None):
    return make._add(OrganizationTheme(organization_id=org.id, theme_id=theme.id, status=status, shares=shares,
                                       contact_id=contact.id if contact else None))


def test_a_planning_member_is_shown_who_practises_and_shares_and_asks_for_contact(client, make, login_as, outbox):
    theme = _theme(make)
    doer_org, silent_org, planner_org = (make.organization(name=n) for n in ("Stadtwerke", "Verlag Still", "Café Plan"))
    doer = make.person(name="Dora Doer", organization=doer_org, email="dora@stadtwerke.example", show_email=False)
    silent = make.person(name="Stefan Still", organization=silent_org)
    planner = make.person(name="Paul Plan", organization=planner_org)
    onlooker = make.person(name="Olli Ohne", organization=make.organization())
    row = _status(make, doer_org, theme, "practised", shares=True, contact=doer)
    _status(make, silent_org, theme, "practised", shares=False, contact=silent)
    _status(make, planner_org, theme, "planned")

    login_as(planner)
    page = client.get(f"/exchange/{theme.id}").get_data(as_text=True)
    assert "haben es schon umgesetzt" in page and "Dora Doer" in page and "Kontakt anfragen" in page
    assert "Stefan Still" not in page  # practises, but does not share
    assert "dora@stadtwerke.example" not in page  # no consent to show the address
    doer.show_email = True
    assert "dora@stadtwerke.example" in client.get(f"/exchange/{theme.id}").get_data(as_text=True)

    outbox.clear()
    sent = client.post(f"/exchange/{theme.id}/contact/{row.id}", data={"message": "Wie habt ihr angefangen?"})
    assert sent.status_code == 302
    [mail] = outbox.messages
    assert mail["To"] == doer.email and "Mobilität der Beschäftigten" in mail["Subject"]
    text = outbox.text(mail)
    assert "Paul Plan" in text and "Café Plan" in text and "Wie habt ihr angefangen?" in text
    asked = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "exchange.contact_request"))
    assert asked.actor_id == planner.id and asked.entity_id == row.id  # recorded, the message is not

    # someone whose organization does not plan the theme gets no suggestion and cannot ask
    login_as(onlooker)
    assert "Kontakt anfragen" not in client.get(f"/exchange/{theme.id}").get_data(as_text=True)
    refused = client.post(f"/exchange/{theme.id}/contact/{row.id}", data={"message": "Hallo"})
    assert refused.status_code == 422 and len(outbox.messages) == 1


def test_a_linked_matrix_fills_the_themes_after_the_member_confirms(client, db, make, login_as):
    environment = _theme(make, "Umweltmanagement (ISO 14001 / EMAS)")
    mobility = _theme(make, "Mobilität der Beschäftigten")
    org = make.organization(name="Brauerei Hopf")
    member = make.person(name="Hilde Hopf", organization=org)
    today = local_today()
    survey = make._add(Survey(title="Unternehmensbefragung", opens_on=today, closes_on=today + timedelta(days=5),
                              status="open"))
    matrix = make._add(SurveyQuestion(survey=survey, kind="matrix", text="Was gibt es?", links_themes=True,
                                      statements=f"{environment.name}\n{mobility.name}\nSonstiges",
                                      scale="eingeführt\ngeplant\nkein Thema", position=1))
    share = make._add(SurveyQuestion(survey=survey, kind="share_experience", text="Teilen Sie?", links_themes=True,
                                     position=2))
    login_as(member)
    assert client.post(f"/surveys/{survey.id}/answer", data={
        "submit": "1", f"q{matrix.id}-0": "0", f"q{matrix.id}-1": "1", f"q{matrix.id}-2": "2",
        f"q{share.id}": "yes"}).status_code == 302
    # nothing is written before the member confirms
    assert db.session.scalar(select(OrganizationTheme)) is None
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert "In die Erfahrungsbörse übernehmen?" in page
    assert client.post(f"/surveys/{survey.id}/themes").status_code == 302
    rows = {r.theme_id: r for r in db.session.scalars(select(OrganizationTheme))}
    assert rows[environment.id].status == "practised" and rows[environment.id].shares
    assert rows[environment.id].contact_id == member.id
    assert rows[mobility.id].status == "planned" and not rows[mobility.id].shares
    assert "In die Erfahrungsbörse übernehmen?" not in client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    # the organization page lists its themes
    page = client.get(f"/organizations/{org.id}").get_data(as_text=True)
    assert "Umweltmanagement (ISO 14001 / EMAS)" in page and "geplant" in page


def test_the_office_starts_a_working_group_from_a_theme(client, db, make, login_as, outbox):
    office = make.person("office")
    theme = _theme(make, "Lastenrad-Logistik")
    doer_org, planner_org, other_org = make.organization(), make.organization(), make.organization()
    moderator = make.person(name="Mona Moderation", organization=doer_org)
    planner = make.person(name="Pia Plan", organization=planner_org)
    outsider = make.person(name="Otto Außen", organization=other_org)
    _status(make, doer_org, theme, "practised")
    _status(make, planner_org, theme, "planned")
    login_as(office)
    outbox.clear()
    response = client.post(f"/exchange/{theme.id}/group", data={"name": "Reallabor Lastenrad",
                                                                 "moderator": moderator.id})
    assert response.status_code == 302
    group = db.session.scalar(select(WorkingGroup).where(WorkingGroup.name == "Reallabor Lastenrad"))
    assert theme.group_id == group.id
    recipients = [m["To"] for m in outbox.messages]
    assert planner.email in recipients and outsider.email not in recipients
    page = client.get(f"/groups/{group.id}").get_data(as_text=True)
    assert f"/exchange/{theme.id}" in page and "Lastenrad-Logistik" in page
    again = client.post(f"/exchange/{theme.id}/group", data={"name": "Noch eins", "moderator": moderator.id})
    assert again.status_code == 422


@pytest.mark.parametrize("path", ["/exchange", "/exchange/{id}"])
def test_exchange_pages_do_not_grow_with_organizations(client, make, login_as, count_queries, path):
    theme = _theme(make)
    viewer = make.person(organization=make.organization())
    _status(make, viewer.organization, theme, "planned")
    counts = []
    for size in (2, 8):
        while make.session.scalar(
                select(OrganizationTheme.id).where(OrganizationTheme.theme_id == theme.id)
                .order_by(OrganizationTheme.id).offset(size)) is None:
            org = make.organization()
            contact = make.person(organization=org, show_email=True)
            _status(make, org, theme, "practised", shares=True, contact=contact)
        login_as(viewer)
        with count_queries() as counter:
            assert client.get(path.format(id=theme.id)).status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
