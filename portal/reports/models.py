"""Outcomes of the working groups (projects such as "Louise"), report narratives and funding phases (stored report PDFs: portal.documents.models)."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.groups.models import WorkingGroup
    from portal.meetings.models import Decision, Meeting
    from portal.members.models import Person



class OutcomeStatus(enum.StrEnum):
    IDEA = "idea"
    RUNNING = "running"
    COMPLETED = "completed"
    STOPPED = "stopped"


OUTCOME_STATUSES = tuple(OutcomeStatus)


class Outcome(db.Model):
    __tablename__ = "outcomes"
    __table_args__ = (one_of("status", OUTCOME_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[OutcomeStatus] = mapped_column(state_column(OutcomeStatus), default=OutcomeStatus.IDEA)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"), index=True)
    origin_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"))
    origin_decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    group: Mapped[WorkingGroup | None] = relationship()
    origin_meeting: Mapped[Meeting | None] = relationship()
    origin_decision: Mapped[Decision | None] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="outcome", order_by="Milestone.due_on", cascade="all, delete-orphan"
    )

    @property
    def milestones_reached(self) -> int:
        return sum(1 for m in self.milestones if m.reached_on is not None)


class Milestone(db.Model):
    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date]
    reached_on: Mapped[date | None]

    outcome: Mapped[Outcome] = relationship(back_populates="milestones")


class FundingPhase(db.Model):
    """A funded phase of the alliance ("Projektphase 2016–2019"): the period a Sachbericht covers."""

    __tablename__ = "funding_phases"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    funder: Mapped[str] = mapped_column(String(300), default="")
    reference: Mapped[str] = mapped_column(String(100), default="")  # Förderkennzeichen
    goals: Mapped[str] = mapped_column(Text, default="")  # Markdown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportNarrative(db.Model):
    """The office's text for a report: of a funding phase (found whatever its dates; `section` one of
    the Sachbericht's sections, or None for the general text) or of an exact period; optionally of
    one working group."""

    __tablename__ = "report_narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"))
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("funding_phases.id", ondelete="CASCADE"), index=True)
    section: Mapped[str | None] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    group: Mapped[WorkingGroup | None] = relationship()
    author: Mapped[Person | None] = relationship()
