"""The demo alliance's 2019 company survey (added by portal.demo.seed): about 35 of the 40 member
organizations answered; many run or plan environmental and health management and measures for
their employees' mobility, but few share experience yet. The experience exchange's themes are
filled from the answers, and the new theme's working group is in preparation with its kick-off."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sqlalchemy import select

from portal.exchange.models import OrganizationTheme, Theme
from portal.extensions import db
from portal.groups.models import Membership, WorkingGroup
from portal.meetings.models import Meeting, Participation
from portal.members.models import Organization, Person
from portal.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from portal.types import BERLIN

THEMES = [
    ("Umweltmanagement (ISO 14001 / EMAS)", "Umweltmanagementsysteme: Energie, Abfall, Emissionen systematisch steuern."),
    ("Betriebliches Gesundheitsmanagement", "Gesundheit der Beschäftigten als Aufgabe des Betriebs."),
    ("Mobilität der Beschäftigten", "Jobrad, Jobticket, Fahrgemeinschaften, Homeoffice."),
    ("Lastenrad-Logistik", "Lieferungen in der Innenstadt mit dem Lastenrad."),
]
SCALE = ["eingeführt", "geplant", "kein Thema"]
# per theme: weights of the scale steps (eingeführt, geplant, kein Thema)
WEIGHTS = [(10, 12, 13), (9, 14, 12), (8, 15, 12), (3, 8, 24)]
MODES = ["Auto", "Bus und Bahn", "Fahrrad", "zu Fuß"]
LEARN = ["Wie fängt man mit einem Umweltmanagement an, ohne eigene Stelle dafür?",
         "Erfahrungen mit dem Jobrad-Leasing würden uns helfen.",
         "Wie messen andere den Erfolg des Gesundheitsmanagements?",
         "Fahrgemeinschaften im Gewerbegebiet organisieren.",
         "Förderprogramme für EMAS in kleinen Betrieben."]
GROUP_NAME = "Reallabor Umwelt- und Gesundheitsmanagement"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=BERLIN)


def add_company_survey(office: Person, today: date) -> Survey:
    rng = random.Random(2019)
    survey = Survey(title="Unternehmensbefragung 2019", opens_on=date(2019, 3, 4), closes_on=date(2019, 4, 30),
                    respondent="organization", anonymous=False, status="open", published_at=_at(date(2019, 3, 4), 9),
                    intro=("Die Allianz fragt ihre Mitgliedsunternehmen, welche Themen sie schon angehen und wo "
                           "sie voneinander lernen möchten. Eine Antwort je Organisation."),
                    created_at=_at(date(2019, 2, 20)))
    db.session.add(survey)
    questions = [
        SurveyQuestion(position=1, section="Management und Maßnahmen", kind="matrix", required=True,
                       text="Welche Managementsysteme und Maßnahmen gibt es in Ihrem Unternehmen?",
                       statements="\n".join(name for name, _d in THEMES), scale="\n".join(SCALE), links_themes=True),
        SurveyQuestion(position=2, section="Management und Maßnahmen", kind="share_experience", links_themes=True,
                       text="Wir teilen unsere Erfahrung mit eingeführten Maßnahmen mit anderen Mitgliedern."),
        SurveyQuestion(position=3, section="Mobilität", kind="single_choice",
                       text="Wie kommen die meisten Ihrer Beschäftigten zur Arbeit?", options="\n".join(MODES)),
        SurveyQuestion(position=4, section="Ihr Unternehmen", kind="number", text="Wie viele Beschäftigte haben Sie?"),
        SurveyQuestion(position=5, section="Ihr Unternehmen", kind="long_text",
                       text="Wo könnten Sie von anderen Mitgliedern lernen?"),
    ]
    for q in questions:
        q.survey = survey
        db.session.add(q)
    themes = [Theme(name=name, description=text, survey=survey, created_at=_at(date(2019, 5, 15)))
              for name, text in THEMES]
    db.session.add_all(themes)
    db.session.flush()

    people = db.session.scalars(select(Person).where(Person.role == "member", Person.organization_id.is_not(None))
                                .order_by(Person.id)).all()
    by_org: dict[int, Person] = {}
    for person in people:
        by_org.setdefault(person.organization_id, person)
    org_ids = sorted(by_org)
    skipped = set(rng.sample(org_ids, max(0, len(org_ids) - round(len(org_ids) * 35 / 40))))
    matrix, share, mode, size, learn = questions
    for index, org_id in enumerate(org_ids):
        if org_id in skipped:
            continue
        person = by_org[org_id]
        submitted = _at(date(2019, 3, 5) + timedelta(days=rng.randint(0, 50)), 9 + rng.randint(0, 8))
        response = SurveyResponse(survey=survey, organization_id=org_id, answered_by_id=person.id, status="submitted",
                                  submitted_at=submitted, updated_at=submitted, created_at=submitted,
                                  themes_applied_at=submitted)
        steps = [rng.choices(SCALE, weights)[0] for weights in WEIGHTS]
        shares = "eingeführt" in steps and rng.random() < 0.55
        answers = [SurveyAnswer(question_id=matrix.id, item=i, value=step) for i, step in enumerate(steps)]
        answers.append(SurveyAnswer(question_id=share.id, value="yes" if shares else "no"))
        choice = rng.choices(range(len(MODES)), (14, 9, 7, 5))[0]
        answers.append(SurveyAnswer(question_id=mode.id, item=choice, value=MODES[choice]))
        answers.append(SurveyAnswer(question_id=size.id, value=str(rng.choice((3, 5, 8, 12, 20, 35, 60, 140, 400)))))
        if index % 4 == 0:
            answers.append(SurveyAnswer(question_id=learn.id, value=LEARN[index % len(LEARN)]))
        response.answers = answers
        db.session.add(response)
        for theme, step in zip(themes, steps, strict=True):
            status = {"eingeführt": "practised", "geplant": "planned"}.get(step)
            if status:
                db.session.add(OrganizationTheme(
                    organization_id=org_id, theme_id=theme.id, status=status,
                    shares=shares and status == "practised", contact_id=person.id if shares and status == "practised"
                    else None, updated_at=submitted))
    db.session.flush()
    _group_in_preparation(office, themes[1], today)
    return survey


def _group_in_preparation(office: Person, theme: Theme, today: date) -> None:
    """The new theme's working group: in preparation, its members from the organizations that plan or
    practise the theme, and its kick-off meeting ahead."""
    rows = db.session.scalars(select(OrganizationTheme).where(OrganizationTheme.theme_id == theme.id)
                              .order_by(OrganizationTheme.id)).all()
    org_ids = [r.organization_id for r in rows]
    members = db.session.scalars(select(Person).join(Organization).where(
        Person.organization_id.in_(org_ids), Person.active, Person.role == "member").order_by(Person.id)).all()[:8]
    group = WorkingGroup(name=GROUP_NAME, short_name="UGM", join_policy="open",
                         description=("In Vorbereitung: aus der Unternehmensbefragung 2019. Unternehmen, die "
                                      "Umwelt- und Gesundheitsmanagement eingeführt haben, und solche, die es "
                                      "planen, lernen voneinander."),
                         created_at=_at(today - timedelta(days=10)))
    db.session.add(group)
    for i, person in enumerate(members):
        db.session.add(Membership(person=person, group=group, role="moderator" if i == 0 else "member",
                                  status="active", requested_at=_at(today - timedelta(days=10)),
                                  joined_at=_at(today - timedelta(days=10))))
    db.session.flush()
    theme.group_id = group.id
    day = today + timedelta(days=16)
    starts = _at(day, 16)
    meeting = Meeting(kind="group", group=group, number=1, title="Auftakt: Umwelt- und Gesundheitsmanagement",
                      starts_at=starts, ends_at=starts + timedelta(hours=2), location="Rathaus Bottrop",
                      room="Saal 2", organizer=office, moderator=members[0] if members else office,
                      minute_taker=office, status="planned", created_at=_at(today - timedelta(days=5)))
    db.session.add(meeting)
    for person in members:
        db.session.add(Participation(meeting=meeting, person=person, rsvp="pending", attendance="unknown",
                                     invited_at=_at(today - timedelta(days=5))))
