"""Organizations and the people of the alliance (who are also the portal's user accounts)."""
from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.labels import LABELS
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.groups.models import Membership

SECTORS = tuple(LABELS["sector"])  # stored German names, shown through label("sector", ...)


class Role(enum.StrEnum):
    """A person's role in the portal (what they may do: portal.permissions)."""
    OFFICE = "office"
    MEMBER = "member"
    OBSERVER = "observer"


ROLES = tuple(Role)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Organization(db.Model):
    __tablename__ = "organizations"
    __table_args__ = (one_of("sector", SECTORS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    sector: Mapped[str] = mapped_column(String(30), default="Sonstige")
    address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    people: Mapped[list[Person]] = relationship(back_populates="organization", order_by="Person.name")

    def __repr__(self) -> str:
        return f"<Organization {self.name!r}>"


# names are found ignoring case (organizations.find_organization), so they are unique so too
Index("uq_organizations_lower_name", func.lower(Organization.name), unique=True)


class Person(UserMixin, db.Model):
    __tablename__ = "people"
    __table_args__ = (
        one_of("role", ROLES),
        CheckConstraint("email = lower(email)", name="email_lowercase"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # Stored lower-cased (checked by the database) so that uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    function: Mapped[str] = mapped_column(String(200), default="")
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    phone: Mapped[str] = mapped_column(String(50), default="")
    role: Mapped[Role] = mapped_column(state_column(Role), default=Role.MEMBER)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    show_email: Mapped[bool] = mapped_column(default=False)
    show_phone: Mapped[bool] = mapped_column(default=False)
    receives_circulars: Mapped[bool] = mapped_column(default=True)  # never affects invitations
    consent_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locale: Mapped[str | None] = mapped_column(String(5))
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_calendar_token)
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invitation_nonce: Mapped[str | None] = mapped_column(String(64))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization | None] = relationship(back_populates="people")
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", foreign_keys="Membership.person_id"
    )

    @property
    def is_active(self) -> bool:  # flask-login: inactive accounts cannot log in
        return self.active

    @property
    def password_fingerprint(self) -> str:
        """Changes with the password: sessions and reset links made before stop working."""
        return hashlib.sha256((self.password_hash or "").encode()).hexdigest()[:20]

    login_token = ""  # not a column: the server-side session this person is signed in with now

    def get_id(self) -> str:  # flask-login keeps this in the session and remember cookie
        return f"{self.id}:{self.password_fingerprint}:{self.login_token}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def invitation_pending(self) -> bool:
        return self.invitation_nonce is not None and not self.password_hash

    def __repr__(self) -> str:
        return f"<Person {self.email!r}>"
