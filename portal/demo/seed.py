"""Builds the demo alliance in one transaction. Deterministic: the same data on every machine."""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select

from portal.actions.items import carry_forward
from portal.actions.models import ActionItem, ActionItemEvent
from portal.demo import data
from portal.demo.funding import add_funding_phases
from portal.demo.materials import add_demo_materials
from portal.demo.privacy_notice import seed_privacy_notice
from portal.demo.specifics import add_specific_record
from portal.demo.surveys import add_company_survey
from portal.documents.minutes_pdf import archive_minutes
from portal.extensions import db
from portal.groups.models import GroupGoal, Membership, WorkingGroup
from portal.meetings.models import AgendaItem, Decision, Meeting, Participation
from portal.members.models import Organization, Person
from portal.members.passwords import hash_password
from portal.reports.models import Milestone, Outcome, ReportNarrative
from portal.types import BERLIN

DEMO_PASSWORD = "Allianz-Demo-2026"
OVERDUE_ITEMS = 4  # at most this many open items are overdue, none by more than RECENT_DAYS
RECENT_DAYS = 45


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str
    organization: str
    note: str


DEMO_LOGINS = (
    DemoLogin("office", "geschaeftsstelle@example.org", "Sandra Kuhlmann",
              "Stadt Bottrop – Wirtschaftsförderung", "Geschäftsstelle"),
    DemoLogin("member", "hoevelmann@example.org", "Markus Hövelmann", "Tischlerei Hövelmann",
              "Unternehmer, moderiert „Handwerk digital“"),
    DemoLogin("member", "kaya@example.org", "Yasemin Kaya", "Kreislaufmode Bottrop",
              "Gründerin, Mitglied ohne Moderation"),
    DemoLogin("observer", "ob-buero@example.org", "Claudia Althoff", "Büro des Oberbürgermeisters",
              "Büro des Oberbürgermeisters (nur lesen)"),
)


def berlin(year, month, day, hour=17, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN).astimezone(timezone.utc)


def _email_for(name: str) -> str:
    ascii_name = name.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    ascii_name = unicodedata.normalize("NFKD", ascii_name).encode("ascii", "ignore").decode()
    return ascii_name.replace(" ", ".") + "@example.org"


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(Person.id)))


class DemoBuilder:
    def __init__(self, today: date) -> None:
        self.today = today
        self.rng = random.Random(2016)
        self.orgs: dict[str, Organization] = {}
        self.people: list[Person] = []
        self.groups: list[WorkingGroup] = []
        self.group_members: dict[int, list[Person]] = {}
        self.office: Person | None = None
        self.overdue_left = OVERDUE_ITEMS
        self.titles: dict[int | None, list[str]] = {}  # per series: action titles not used yet
        self.open_tasks: set[tuple[str, int]] = set()  # (title, owner id) of open items

    def on(self, days: int, hour: int = 17) -> datetime:
        """`days` from today (negative: ago), at `hour` in Bottrop."""
        day = self.today + timedelta(days=days)
        return berlin(day.year, day.month, day.day, hour)

    def not_after_yesterday(self, moment: datetime) -> datetime:
        return min(moment, self.on(-1, 12))

    def add(self, obj):
        db.session.add(obj)
        return obj

    # people and organizations -------------------------------------------------------------
    def build_people(self) -> None:
        for name, sector, address in data.ORGANIZATIONS:
            self.orgs[name] = self.add(Organization(name=name, sector=sector, address=address,
                                                    created_at=berlin(2016, 1, 15)))
        password = hash_password(DEMO_PASSWORD)
        for login in DEMO_LOGINS:
            person = self.add(Person(
                name=login.name, email=login.email, role=login.role, password_hash=password,
                organization=self.orgs[login.organization], function=login.note.split(",")[0],
                joined_at=berlin(2016, 2, 1), privacy_accepted_at=berlin(2016, 2, 1),
                phone="02041 70-3000" if login.role == "office" else "",
                show_email=login.role == "office",
            ))
            self.people.append(person)
        self.office = self.people[0]
        self.add(Person(name="Thomas Bergmann", email="t.bergmann@example.org", role="office",
                        organization=self.orgs["Stadt Bottrop – Wirtschaftsförderung"],
                        function="Wirtschaftsförderung", joined_at=berlin(2016, 2, 1)))
        companies = [o for n, o in self.orgs.items()
                     if o.sector not in ("Verwaltung",) or n == "Quartiersmanagement Innenstadt"]
        used = {p.name for p in self.people}
        for i in range(46):
            first = data.FIRST_NAMES[i % len(data.FIRST_NAMES)]
            last = data.LAST_NAMES[(i * 7) % len(data.LAST_NAMES)]
            name = f"{first} {last}"
            if name in used:
                continue
            used.add(name)
            org = companies[i % len(companies)]
            joined = berlin(2016 + min(i // 12, 3), 1 + (i * 5) % 12, 1 + i % 27)
            person = self.add(Person(
                name=name, email=_email_for(name), role="member", organization=org,
                function=self.rng.choice(data.FUNCTIONS), joined_at=joined,
                phone=f"02041 {self.rng.randint(100000, 999999)}",
                show_email=self.rng.random() < 0.6, show_phone=self.rng.random() < 0.3,
                left_at=berlin(2019, 9, 30) if i in (40, 41) else None, active=i not in (40, 41),
            ))
            self.people.append(person)
        db.session.flush()

    # groups --------------------------------------------------------------------------------
    def build_groups(self) -> None:
        members = [p for p in self.people if p.role == "member" and p.active]
        hoevelmann, kaya = self.people[1], self.people[2]
        moderators = [hoevelmann, members[5], members[9]]
        for index, spec in enumerate(data.GROUPS):
            group = self.add(WorkingGroup(
                name=spec["name"], short_name=spec["short_name"], description=spec["description"],
                join_policy=spec["join_policy"], created_at=berlin(2016, 11, 10),
            ))
            for position, (title, status) in enumerate(spec["goals"], start=1):
                self.add(GroupGoal(group=group, position=position, title=title, status=status,
                                   reached_on=date(2018 + position % 2, 6, 30) if status == "reached" else None))
            others = [m for m in members if m not in moderators and m is not kaya]
            chosen = [moderators[index]] + self.rng.sample(others, 16)
            if index == 2 and kaya not in chosen:
                chosen.append(kaya)
            for person in chosen:
                joined = max(berlin(2016, 11, 20), person.joined_at)
                self.add(Membership(person=person, group=group, status="active", joined_at=joined,
                                    requested_at=joined, decided_by=self.office, decided_at=joined,
                                    role="moderator" if person is moderators[index] else "member"))
            self.groups.append(group)
            self.group_members[index] = chosen
        # a pending request and a history of leaving, for the start pages and reports
        outside_handel = [p for p in members if p not in self.group_members[1]
                          and p not in (hoevelmann, kaya)]
        requester = outside_handel[0]
        self.add(Membership(person=requester, group=self.groups[1], status="requested",
                            message="Ich würde gern die Lieferung per Lastenrad mitentwickeln.",
                            requested_at=self.on(-14, 10)))
        leaver = next(p for p in reversed(outside_handel) if p is not requester)
        self.add(Membership(person=leaver, group=self.groups[1], status="left",
                            joined_at=berlin(2017, 2, 1), left_at=berlin(2019, 3, 1)))
        db.session.flush()

    # meetings ------------------------------------------------------------------------------
    def _meeting(self, *, kind, number, title, starts_at, group=None, location, room,
                 attendees, minutes_status="published", moderator=None) -> Meeting:
        held = starts_at.date() < self.today
        meeting = self.add(Meeting(
            kind=kind, group=group, number=number, title=title, starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2, minutes=30 if kind == "plenary" else 0),
            location=location, room=room, organizer=self.office, moderator=moderator or self.office,
            minute_taker=self.office, status="held" if held else "planned",
            minutes_status=minutes_status if held else "none",
            created_at=self.not_after_yesterday(starts_at - timedelta(days=30)),
        ))
        if held and minutes_status in ("approved", "published"):
            meeting.approved_at = starts_at + timedelta(days=10)
            meeting.approved_by = self.office
        if held and minutes_status == "published":
            meeting.published_at = starts_at + timedelta(days=12)
            meeting.published_by = self.office
        for person in attendees:
            if held:
                attendance = self.rng.choices(["present", "excused", "absent"], [8, 2, 1])[0]
                rsvp = "declined" if attendance == "excused" else "accepted"
            else:
                attendance, rsvp = "unknown", self.rng.choice(["pending", "accepted", "accepted", "tentative"])
            self.add(Participation(meeting=meeting, person=person, rsvp=rsvp, attendance=attendance,
                                   invited_at=starts_at - timedelta(days=21)))
        return meeting

    def _agenda(self, meeting: Meeting, topics: list[str], first: bool) -> list[AgendaItem]:
        items = []
        titles = ([] if first else [("Genehmigung des Protokolls der letzten Sitzung", "minutes_approval"),
                                    ("Offene Aufgaben", "open_actions")])
        titles += [(t, k) for t, k in topics]
        for position, (title, kind) in enumerate(titles, start=1):
            held = meeting.status == "held"
            text = ""
            if held:
                text = (f"Zu **{title}** wurde ausführlich berichtet. Die Anwesenden diskutierten "
                        f"Chancen und offene Fragen; Ergebnisse siehe Beschlüsse und Aufgaben.")
                if kind == "minutes_approval":
                    text = "Das Protokoll der letzten Sitzung wurde ohne Änderungen genehmigt."
                elif kind == "open_actions":
                    text = "Die offenen Aufgaben wurden durchgegangen; ihr Stand steht in der Tabelle unten."
            items.append(self.add(AgendaItem(
                meeting=meeting, position=position, title=title, kind=kind, minutes_text=text,
                planned_minutes=10 if kind in ("minutes_approval", "open_actions") else 30,
            )))
        return items

    def _decisions_and_actions(self, meeting: Meeting, items: list[AgendaItem], owners: list[Person],
                               number_of_actions: int) -> None:
        if meeting.status != "held":
            return
        topical = [i for i in items if i.kind in ("decision", "discussion")] or items
        for n, item in enumerate(topical[:2], start=1):
            present = sum(1 for p in meeting.participations if p.attendance == "present")
            no, abstain = self.rng.randint(0, 2), self.rng.randint(0, 3)
            yes = max(present - no - abstain - self.rng.randint(0, 3), 1)
            self.add(Decision(meeting=meeting, agenda_item=item, number=n,
                              text=f"Die Allianz beschließt, „{item.title}“ weiterzuverfolgen und im "
                                   f"nächsten Treffen über den Stand zu berichten.",
                              votes_yes=yes, votes_no=no, votes_abstain=abstain,
                              created_at=meeting.starts_at + timedelta(hours=1)))
        for k in range(number_of_actions):
            item = topical[k % len(topical)]
            owner = self.rng.choice(owners)
            created = meeting.starts_at + timedelta(hours=2)
            due = (meeting.starts_at + timedelta(days=self.rng.randint(21, 90))).date()
            status = self._action_status(due)
            action = self.add(ActionItem(
                title=self._action_title(meeting.group_id, owner, status), description="", owner=owner,
                created_by=self.office, group=meeting.group, meeting=meeting, agenda_item=item,
                due_on=due, status=status, created_at=created,
                cancel_reason="Durch Beschluss im Folgetreffen überholt." if status == "cancelled" else "",
                completed_at=self._completion(due) if status == "done" else None,
            ))
            self.add(ActionItemEvent(action_item=action, actor=self.office, kind="created",
                                     new_value=action.title, created_at=created))
            if status != "open":
                changed = action.completed_at or self.not_after_yesterday(created + timedelta(days=14))
                self.add(ActionItemEvent(action_item=action, actor=owner, kind="status", old_value="open",
                                         new_value=status, created_at=changed,
                                         comment="Erledigt, Ergebnis im Protokoll." if status == "done" else ""))

    def _completion(self, due: date) -> datetime:
        """Done on the due date, or yesterday if that is still to come."""
        day = min(due, self.today - timedelta(days=1))
        return berlin(day.year, day.month, day.day, 12)

    def _action_status(self, due: date) -> str:
        """A well-run alliance: what was due is done (or given up), but for a few recent items."""
        if due >= self.today:
            return self.rng.choices(["open", "in_progress", "done"], [3, 3, 2])[0]
        if self.overdue_left and due >= self.today - timedelta(days=RECENT_DAYS):
            self.overdue_left -= 1
            return self.rng.choice(["open", "in_progress"])
        return self.rng.choices(["done", "cancelled"], [9, 1])[0]

    def _action_title(self, series: int | None, owner: Person, status: str) -> str:
        """A task not given before in this series, nor open for the same owner elsewhere."""
        unused = self.titles.setdefault(series, self.rng.sample(ACTION_TITLES, len(ACTION_TITLES)))
        title = next(t for t in unused if status not in ("open", "in_progress")
                     or (t, owner.id) not in self.open_tasks)
        unused.remove(title)
        if status in ("open", "in_progress"):
            self.open_tasks.add((title, owner.id))
        return title

    def build_meetings(self) -> None:
        all_members = [p for p in self.people if p.role != "observer"]
        plenary_dates = [berlin(2016, 3, 10), berlin(2016, 9, 22), berlin(2017, 3, 16), berlin(2017, 10, 12),
                         berlin(2018, 4, 19), berlin(2018, 11, 8), berlin(2019, 6, 13)]
        for number, (starts, topic) in enumerate(zip(plenary_dates, data.PLENARY_TOPICS, strict=False), start=1):
            attendees = all_members[: 25 + number * 4] if number < 7 else all_members
            meeting = self._meeting(kind="plenary", number=number, title=topic, starts_at=starts,
                                    location="Rathaus Bottrop, Ernst-Wilczok-Platz 1", room="Kammersaal",
                                    attendees=attendees)
            db.session.flush()
            items = self._agenda(meeting, [(topic, "discussion"), ("Berichte aus den Reallaboren", "information"),
                                           ("Verschiedenes", "information")], first=number == 1)
            self._decisions_and_actions(meeting, items, all_members, 2)
        upcoming = self._meeting(kind="plenary", number=8, title="Neues Thema: Umwelt- und Gesundheitsmanagement",
                                 starts_at=self.on(48), location="Rathaus Bottrop, Ernst-Wilczok-Platz 1",
                                 room="Kammersaal", attendees=all_members)
        db.session.flush()
        self._agenda(upcoming, [("Ergebnisse der Unternehmensbefragung", "information"),
                                ("Nachhaltige Mobilität und betriebliches Gesundheitsmanagement", "discussion"),
                                ("Folgeantrag beim Bundesministerium: Stand", "information")], first=False)
        for index, group in enumerate(self.groups):
            self._build_group_series(index, group)

    def _build_group_series(self, index: int, group: WorkingGroup) -> None:
        members = self.group_members[index]
        moderator = members[0]
        dates = [berlin(2017, 2, 7 + index), berlin(2017, 6, 13 + index), berlin(2017, 11, 14 + index),
                 berlin(2018, 5, 15 + index), berlin(2019, 2, 12 + index), self.on(-170 + index),
                 self.on(-60 + index), self.on(4 + index * 2, 16)]
        topics = GROUP_TOPICS[index]
        for number, starts in enumerate(dates, start=1):
            last_held = number == len(dates) - 1
            status = ("draft", "in_review", "approved")[index] if last_held else "published"
            meeting = self._meeting(
                kind="group", group=group, number=number, starts_at=starts, moderator=moderator,
                title=topics[(number - 1) % len(topics)],
                location=GROUP_PLACES[index], room="Besprechungsraum", attendees=members,
                minutes_status=status,
            )
            db.session.flush()
            items = self._agenda(meeting, [(topics[(number - 1) % len(topics)], "discussion"),
                                           (topics[number % len(topics)], "decision"),
                                           ("Termine und Verschiedenes", "information")], first=number == 1)
            self._decisions_and_actions(meeting, items, members, 3)

    def give_demo_logins_action_items(self) -> None:
        """The demo members own a few current items, so that their start pages show some."""
        hoevelmann, kaya = self.people[1], self.people[2]
        for group_index, person, statuses in ((0, hoevelmann, ("in_progress", "open")), (2, kaya, ("open",))):
            latest = db.session.scalar(
                select(Meeting).where(Meeting.group_id == self.groups[group_index].id, Meeting.status == "held")
                .order_by(Meeting.starts_at.desc()))
            items = db.session.scalars(select(ActionItem).where(ActionItem.meeting_id == latest.id)
                                       .order_by(ActionItem.id)).all()
            for item, status in zip(items, statuses, strict=False):
                item.owner, item.status, item.completed_at, item.cancel_reason = person, status, None, ""
                item.due_on = max(item.due_on, self.today + timedelta(days=10))  # current, not overdue
                for event in [e for e in item.events if e.kind == "status"]:
                    item.events.remove(event)
                if status != "open":
                    self.add(ActionItemEvent(action_item=item, actor=person, kind="status", old_value="open",
                                             new_value=status, created_at=item.created_at + timedelta(days=7)))

    # outcomes and narrative ----------------------------------------------------------------
    def build_outcomes(self) -> None:
        handel, handwerk, gruendung = self.groups[1], self.groups[0], self.groups[2]
        origin = db.session.scalar(select(Decision).join(Meeting).where(Meeting.group_id == handel.id)
                                   .order_by(Meeting.starts_at, Decision.number))
        louise = self.add(Outcome(
            title="Louise – Stadtlogistik für den Bottroper Handel", group=handel, status="running",
            description=("Software, mit der lokale Geschäfte wie ein Versandhandel verkaufen: Bestellung "
                         "online, Lieferung am selben Tag in der Stadt."),
            partners="Werbegemeinschaft Innenstadt, Ruhrlogistik Bottrop GmbH, Pixelwerk Medien, Institut Arbeit und Technik",
            origin_meeting_id=origin.meeting_id if origin else None,
            origin_decision_id=origin.id if origin else None, created_at=berlin(2017, 6, 20),
        ))
        for title, due, reached in [
            ("Konzept und Partner gefunden", date(2017, 12, 15), date(2017, 12, 1)),
            ("Pilot mit acht Geschäften", date(2018, 9, 30), date(2018, 10, 12)),
            ("Lieferservice per Lastenrad gestartet", date(2019, 5, 1), date(2019, 5, 1)),
            ("Regelbetrieb mit 30 Geschäften", self.today + timedelta(days=120), None),
        ]:
            self.add(Milestone(outcome=louise, title=title, due_on=due, reached_on=reached))
        online = self.add(Outcome(title="Gemeinsame Online-Auftragsannahme Handwerk", group=handwerk,
                                  status="completed", partners="Kreishandwerkerschaft, IT-Service Nowak",
                                  description="Ein gemeinsames Formular nimmt Aufträge für 14 Betriebe an."))
        self.add(Milestone(outcome=online, title="Start mit 14 Betrieben", due_on=date(2018, 9, 1),
                           reached_on=date(2018, 8, 20)))
        stammtisch = self.add(Outcome(title="Gründungsstammtisch", group=gruendung, status="running",
                                      description="Vierteljährlicher Austausch für Gründerinnen und Gründer."))
        self.add(Milestone(outcome=stammtisch, title="Erster Stammtisch", due_on=date(2017, 4, 1),
                           reached_on=date(2017, 4, 6)))
        self.add(ReportNarrative(
            period_start=date(2016, 1, 1), period_end=date(2019, 12, 31), author_id=self.office.id,
            text=("Die Wirtschaftsallianz hat sich in der dreijährigen Projektphase als feste Größe "
                  "etabliert. Zum siebten Plenum kamen rund 50 Unternehmerinnen und Unternehmer. "
                  "Aus dem Reallabor **Handel der Zukunft** ging das Stadtlogistik-Projekt *Louise* "
                  "hervor.\n\nDie Mitglieder haben sich eine dauerhafte Geschäftsstelle gewünscht; ein "
                  "Folgeantrag über zwei Jahre liegt beim Bundesministerium."),
        ))


ACTION_TITLES = [
    "Angebote für gemeinsame Software einholen", "Fördermöglichkeiten beim Land prüfen",
    "Umfrage unter den Mitgliedern vorbereiten", "Gespräch mit der Werbegemeinschaft führen",
    "Pressemitteilung abstimmen", "Leerstandsliste bei der Stadt anfragen",
    "Referentin für das nächste Plenum anfragen", "Kostenrahmen für Lastenräder ermitteln",
    "Ausbildungsbetriebe ansprechen", "Datenschutzfragen mit dem IAT klären",
    "Handout zum Projekt Louise erstellen", "Termin mit der Sparkasse vereinbaren",
    "Protokollauszug an die Kammern senden", "Raum für das nächste Treffen reservieren",
    "Kontakt zur Hochschule Ruhr West herstellen", "Beispiele aus anderen Städten sammeln",
    "Teilnehmerliste für den Workshop erstellen", "Kurzbericht für den Newsletter schreiben",
    "Gespräch mit dem Ordnungsamt vereinbaren", "Mitglieder zur Online-Umfrage einladen",
    "Zeitplan für die Umsetzung entwerfen", "Ansprechpartner bei der IHK klären",
    "Kosten und Nutzen für die Betriebe zusammenstellen", "Ergebnisse im nächsten Plenum vorstellen",
]
GROUP_TOPICS = [
    ["Digitale Auftragsannahme", "Materialbörse für Reststoffe", "Fachkräfte gemeinsam gewinnen",
     "Werkzeug-Sharing", "Ausbildungsverbund"],
    ["Onlinehandel und Innenstadt", "Stadtlogistik Louise", "Gemeinsames Schaufenster",
     "Lieferung per Lastenrad", "Kundenbindung vor Ort"],
    ["Gründungsideen vorstellen", "Finanzierung nachhaltiger Gründungen", "Pop-up-Flächen",
     "Kreislaufwirtschaft", "Netzwerk mit der Hochschule"],
]
GROUP_PLACES = [
    "Kreishandwerkerschaft, Peterstraße 40, 46236 Bottrop",
    "Sparkasse Bottrop, Kirchplatz 1, 46236 Bottrop",
    "Hochschule Ruhr West, Lützowstraße 5, 46236 Bottrop",
]


def seed_demo(today: date) -> None:
    """Add the whole demo alliance to the session (the caller commits)."""
    builder = DemoBuilder(today)
    builder.build_people()
    builder.build_groups()
    builder.build_meetings()
    builder.give_demo_logins_action_items()
    builder.build_outcomes()
    db.session.flush()
    add_specific_record(builder.office, today)
    add_funding_phases(builder.office)
    add_company_survey(builder.office, today)
    add_demo_materials(builder.office)
    _carry_open_items_forward()
    seed_privacy_notice(berlin(today.year, 1, 2, 9))


def _carry_open_items_forward() -> None:

    with_open_items = select(Meeting).join(AgendaItem).where(AgendaItem.kind == "open_actions")
    for meeting in db.session.scalars(with_open_items.order_by(Meeting.starts_at)).unique():
        carry_forward(meeting)


def archive_published_minutes() -> int:
    """Store the PDF of every published demo minutes, as publication would have done."""

    published = select(Meeting).where(Meeting.minutes_status == "published").order_by(Meeting.starts_at)
    meetings = list(db.session.scalars(published))
    for meeting in meetings:
        archive_minutes(meeting)
    return len(meetings)
