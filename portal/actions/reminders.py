"""Daily reminder digests: one mail per owner with their overdue items and those due soon.

Idempotent: a ReminderDelivery row (unique per person and day) is inserted in the same
transaction in which the mail is queued, and every person gets their own transaction. So a
second run on the same day sends nothing twice, an interrupted run is completed by the next
one, and two servers running it at once cannot both mail the same person.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import mail
from portal.actions.items import OPEN_STATUSES
from portal.actions.models import ActionItem, ReminderDelivery
from portal.extensions import db
from portal.links import external_url
from portal.members.models import Person
from portal.notifications import message
from portal.types import local_today

DAYS_AHEAD = 7


@dataclass(frozen=True)
class DigestLine:
    title: str
    due_on: date
    status: str
    group: str
    url: str


@dataclass
class Digest:
    """What one person's reminder says; plain data, so that it outlives each commit."""

    person_id: int
    name: str
    email: str
    locale: str
    overdue: list[DigestLine] = field(default_factory=list)
    due_soon: list[DigestLine] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.overdue) + len(self.due_soon)


def digests(today: date) -> list[Digest]:
    """The digests still to send for `today`: active owners with open items that are overdue
    or due within DAYS_AHEAD days, who have not had a reminder today."""
    reminded = exists().where(ReminderDelivery.person_id == ActionItem.owner_id,
                              ReminderDelivery.sent_on == today)
    query = (
        select(ActionItem)
        .join(ActionItem.owner)
        .where(ActionItem.status.in_(OPEN_STATUSES),
               ActionItem.due_on <= today + timedelta(days=DAYS_AHEAD),
               Person.active, Person.role != "observer", ~reminded)
        .options(joinedload(ActionItem.owner), joinedload(ActionItem.group))
        .order_by(Person.name, Person.id, ActionItem.due_on, ActionItem.id)
    )
    result: dict[int, Digest] = {}
    for item in db.session.scalars(query):
        owner = item.owner
        digest = result.get(owner.id)
        if digest is None:
            digest = result[owner.id] = Digest(owner.id, owner.name, owner.email, owner.locale or "de")
        line = DigestLine(item.title, item.due_on, item.status,
                          item.group.name if item.group else "", external_url("actions.show", action_id=item.id))
        (digest.overdue if item.due_on < today else digest.due_soon).append(line)
    return list(result.values())


def build_mail(digest: Digest, today: date):
    return message(digest, "actions_reminder", digest=digest, days=DAYS_AHEAD,
                   mine_url=external_url("actions.mine"))


class ReminderRunError(RuntimeError):
    """A run stopped early; `sent` mails went out before, the rest follow on the next run."""

    def __init__(self, sent: int, cause: Exception) -> None:
        super().__init__(f"{cause.__class__.__name__}: {cause}")
        self.sent = sent


def send_reminders(today: date | None = None) -> int:
    """Send today's digests; returns how many mails were sent. Each person is committed on
    their own, so whatever was sent before an error stays sent and is not repeated."""
    today = today or local_today()
    sent = 0
    for digest in digests(today):
        try:
            db.session.add(ReminderDelivery(person_id=digest.person_id, sent_on=today,
                                            item_count=digest.count))
            db.session.flush()
            mail.queue(build_mail(digest, today))
            db.session.commit()
        except IntegrityError:  # another run reminded this person a moment ago
            db.session.rollback()
            continue
        except Exception as error:
            db.session.rollback()
            raise ReminderRunError(sent, error) from error
        sent += 1
    return sent
