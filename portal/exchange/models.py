"""Themes of the experience exchange and each organization's status on them."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.groups.models import WorkingGroup
    from portal.members.models import Organization, Person
    from portal.surveys.models import Survey


class ThemeStatus(enum.StrEnum):
    PRACTISED = "practised"
    PLANNED = "planned"
    INTERESTED = "interested"

    @property
    def text(self) -> str:
        return str(_STATUS_TEXT[self])

    @property
    def is_practised(self) -> bool:
        return self is ThemeStatus.PRACTISED

    @property
    def is_planned(self) -> bool:
        return self is ThemeStatus.PLANNED


THEME_STATUSES = tuple(ThemeStatus)
_STATUS_TEXT = {ThemeStatus.PRACTISED: _l("praktiziert"), ThemeStatus.PLANNED: _l("geplant"),
                ThemeStatus.INTERESTED: _l("interessiert")}


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    survey_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"))  # the survey it came from
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"))  # the group started from it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey | None] = relationship()
    group: Mapped[WorkingGroup | None] = relationship()

    def __repr__(self) -> str:
        return f"<Theme {self.name!r}>"


class OrganizationTheme(db.Model):
    """Where an organization stands on a theme, and whether (and through whom) it shares its experience."""

    __tablename__ = "organization_themes"
    __table_args__ = (one_of("status", THEME_STATUSES), UniqueConstraint("organization_id", "theme_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("themes.id"), index=True)
    status: Mapped[ThemeStatus] = mapped_column(state_column(ThemeStatus))
    shares: Mapped[bool] = mapped_column(default=False)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    theme: Mapped[Theme] = relationship()
    contact: Mapped[Person | None] = relationship()
