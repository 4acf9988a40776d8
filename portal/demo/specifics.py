"""What the demo's record says in so many words (added by portal.demo.seed before the minutes are
archived): the generated decisions speak in general terms ("… weiterzuverfolgen"), but the office
searches for particulars — every decision about the Sparkasse, the open action items about
vacant shops."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from portal.actions.models import ActionItem, ActionItemEvent
from portal.extensions import db
from portal.groups.models import Membership, WorkingGroup
from portal.meetings.models import AgendaItem, Decision, Meeting
from portal.members.models import Person

# (the agenda item's title, the text of the first decision taken on it)
DECISIONS = (
    ("Gemeinsames Schaufenster",
     "Die Sparkasse Bottrop stellt ihr Schaufenster am Kirchplatz von Oktober bis Dezember für den "
     "gemeinsamen Auftritt der Innenstadthändler zur Verfügung; die Werbegemeinschaft gestaltet es."),
    ("Finanzierung nachhaltiger Gründungen",
     "Die Allianz bittet die Sparkasse Bottrop, ein Mikrodarlehen für nachhaltige Gründungen bis "
     "25.000 € zu prüfen; die Gründungsberatung der Wirtschaftsförderung begleitet die Anträge."),
    ("Kundenbindung vor Ort",
     "Die Sparkasse Bottrop und die Werbegemeinschaft Innenstadt prüfen eine gemeinsame Kundenkarte "
     "für den Bottroper Handel und berichten im nächsten Treffen."),
)
VACANCIES = "Leerstände in der Innenstadt für Pop-up-Gründungen erfassen"


def add_specific_record(office: Person, today: date) -> None:
    for title, text in DECISIONS:
        decision = db.session.scalar(
            select(Decision).join(AgendaItem, Decision.agenda_item_id == AgendaItem.id)
            .join(Meeting, Decision.meeting_id == Meeting.id)
            .where(AgendaItem.title == title).order_by(Meeting.starts_at, Decision.number).limit(1))
        if decision is not None:
            decision.text = text
    _open_vacancy_item(office, today)


def _open_vacancy_item(office: Person, today: date) -> None:
    """An open action item of the founders' living lab about vacant shops, from its latest meeting."""
    group = db.session.scalar(select(WorkingGroup).where(WorkingGroup.short_name == "Gründungen"))
    meeting = db.session.scalar(select(Meeting).where(Meeting.group_id == group.id, Meeting.status == "held")
                                .order_by(Meeting.starts_at.desc()).limit(1))
    owner = db.session.scalar(
        select(Person).join(Membership, Membership.person_id == Person.id)
        .where(Membership.group_id == group.id, Membership.status == "active", Person.role == "member",
               Person.email.not_in(("hoevelmann@example.org", "kaya@example.org")))
        .order_by(Person.name).limit(1))
    created = meeting.starts_at + timedelta(hours=2)
    item = ActionItem(title=VACANCIES, owner=owner, created_by=office, group=group, meeting=meeting,
                      description="Mit der Wirtschaftsförderung und den Eigentümern klären, welche "
                                  "Ladenlokale leer stehen und für wie lange sie vermietet würden.",
                      due_on=today + timedelta(days=21), status="open", created_at=created)
    db.session.add(item)
    db.session.add(ActionItemEvent(action_item=item, actor=office, kind="created", new_value=VACANCIES,
                                   created_at=created))
