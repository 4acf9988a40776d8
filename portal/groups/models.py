"""Working groups (Reallabore), their goals and memberships."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.members.models import Person



class JoinPolicy(enum.StrEnum):
    OPEN = "open"  # members join at once
    MODERATED = "moderated"  # members ask, the moderation decides


class GoalStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    REACHED = "reached"


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"


class MembershipStatus(enum.StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    LEFT = "left"

    @property
    def is_active(self) -> bool:
        return self is MembershipStatus.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self is MembershipStatus.REQUESTED


JOIN_POLICIES = tuple(JoinPolicy)
GOAL_STATUSES = tuple(GoalStatus)
MEMBERSHIP_ROLES = tuple(MembershipRole)
MEMBERSHIP_STATUSES = tuple(MembershipStatus)
OPEN_MEMBERSHIP_STATUSES = (MembershipStatus.REQUESTED, MembershipStatus.ACTIVE)
# A person has at most one membership in a group that is still open (requested or active);
# declined and left rows stay as history.
_OPEN_MEMBERSHIP = text("status IN ('requested', 'active')")


class WorkingGroup(db.Model):
    __tablename__ = "working_groups"
    __table_args__ = (one_of("join_policy", JOIN_POLICIES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str] = mapped_column(String(60), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    join_policy: Mapped[JoinPolicy] = mapped_column(state_column(JoinPolicy), default=JoinPolicy.MODERATED)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    goals: Mapped[list[GroupGoal]] = relationship(
        back_populates="group", order_by="GroupGoal.position", cascade="all, delete-orphan"
    )
    memberships: Mapped[list[Membership]] = relationship(back_populates="group")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def admits_at_once(self) -> bool:
        """Members join at once, without asking the moderation."""
        return self.join_policy == JoinPolicy.OPEN

    def __repr__(self) -> str:
        return f"<WorkingGroup {self.name!r}>"


# group names are compared ignoring case (operations._checked), so they are unique so too
Index("uq_working_groups_lower_name", func.lower(WorkingGroup.name), unique=True)


class GroupGoal(db.Model):
    __tablename__ = "group_goals"
    __table_args__ = (one_of("status", GOAL_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[GoalStatus] = mapped_column(state_column(GoalStatus), default=GoalStatus.OPEN)
    reached_on: Mapped[date | None]

    group: Mapped[WorkingGroup] = relationship(back_populates="goals")


class Membership(db.Model):
    """A person's membership in a working group; a new row for every new request,
    so that the history of joining and leaving is kept."""

    __tablename__ = "memberships"
    __table_args__ = (
        one_of("role", MEMBERSHIP_ROLES),
        one_of("status", MEMBERSHIP_STATUSES),
        Index("uq_memberships_open_person_group", "person_id", "group_id", unique=True,
              sqlite_where=_OPEN_MEMBERSHIP, postgresql_where=_OPEN_MEMBERSHIP),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(state_column(MembershipRole), default=MembershipRole.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(state_column(MembershipStatus),
                                                     default=MembershipStatus.REQUESTED)
    message: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # who ended an active membership: the person themselves (left) or a moderator/office (removed)
    left_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id])
    left_by: Mapped[Person | None] = relationship(foreign_keys=[left_by_id])

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_pending(self) -> bool:
        """Asked to join; the moderation has not decided yet."""
        return self.status == MembershipStatus.REQUESTED

    @property
    def is_moderator(self) -> bool:
        return self.is_active and self.role == MembershipRole.MODERATOR
