"""Action items (Aufgaben) and their history."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.groups.models import WorkingGroup
    from portal.meetings.models import AgendaItem, Decision, Meeting
    from portal.members.models import Person



class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


class EventKind(enum.StrEnum):
    """What an entry of an item's timeline records."""
    CREATED = "created"
    STATUS = "status"
    OWNER = "owner"
    DUE_DATE = "due_date"
    DESCRIPTION = "description"
    TITLE = "title"
    COMMENT = "comment"


ACTION_STATUSES = tuple(ActionStatus)
EVENT_KINDS = tuple(EventKind)


class ActionItem(db.Model):
    __tablename__ = "action_items"
    __table_args__ = (one_of("status", ACTION_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    due_on: Mapped[date] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(state_column(ActionStatus), default=ActionStatus.OPEN,
                                                 index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[Person] = relationship(foreign_keys=[owner_id])
    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id])
    group: Mapped[WorkingGroup | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    events: Mapped[list[ActionItemEvent]] = relationship(
        back_populates="action_item", order_by="ActionItemEvent.id", cascade="all, delete-orphan"
    )

    @property
    def is_closed(self) -> bool:
        return self.status in (ActionStatus.DONE, ActionStatus.CANCELLED)

    @property
    def is_cancelled(self) -> bool:
        return self.status == ActionStatus.CANCELLED

    def is_overdue(self, today: date) -> bool:
        return not self.is_closed and self.due_on < today


class ActionItemEvent(db.Model):
    __tablename__ = "action_item_events"
    __table_args__ = (one_of("kind", EVENT_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    kind: Mapped[EventKind] = mapped_column(state_column(EventKind))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    action_item: Mapped[ActionItem] = relationship(back_populates="events")
    actor: Mapped[Person | None] = relationship()

    # How the timeline shows the change: statuses and dates by their names, owner and title as
    # written, the old description in full.
    @property
    def changes_status(self) -> bool:
        return self.kind == EventKind.STATUS

    @property
    def changes_due_date(self) -> bool:
        return self.kind == EventKind.DUE_DATE

    @property
    def changes_name(self) -> bool:
        return self.kind in (EventKind.OWNER, EventKind.TITLE)

    @property
    def changes_description(self) -> bool:
        return self.kind == EventKind.DESCRIPTION


class CarriedActionItem(db.Model):
    """An open action item carried into a later meeting ("Offene Aufgaben"), with its
    status as reported at that meeting, so that the meeting's minutes keep it."""

    __tablename__ = "carried_action_items"
    __table_args__ = (
        UniqueConstraint("meeting_id", "action_item_id"),
        one_of("status", ACTION_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id"), index=True)
    action_item_id: Mapped[int] = mapped_column(ForeignKey("action_items.id"), index=True)
    status: Mapped[ActionStatus] = mapped_column(state_column(ActionStatus), default=ActionStatus.OPEN)
    note: Mapped[str] = mapped_column(Text, default="")

    action_item: Mapped[ActionItem] = relationship()
    meeting: Mapped[Meeting] = relationship()


class ReminderDelivery(db.Model):
    """One reminder digest per person and day: the unique key makes reruns harmless."""

    __tablename__ = "reminder_deliveries"
    __table_args__ = (UniqueConstraint("person_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    sent_on: Mapped[date]
    item_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
