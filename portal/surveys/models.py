"""Surveys, their questions, the responses and one row per answered item."""
from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.types import UTCDateTime, one_of, state_column, utcnow

if TYPE_CHECKING:
    from portal.members.models import Organization, Person


class Respondent(enum.StrEnum):
    ORGANIZATION = "organization"  # one answer per organization, by any of its active members
    PERSON = "person"  # one answer per person


class SurveyStatus(enum.StrEnum):
    DRAFT = "draft"  # being written by the office, not visible to members
    OPEN = "open"  # published: answered between opens_on and closes_on, closed after


class QuestionKind(enum.StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    MATRIX = "matrix"
    NUMBER = "number"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SHARE_EXPERIENCE = "share_experience"  # yes/no: "Wir teilen unsere Erfahrung dazu"

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)

    @property
    def is_matrix(self) -> bool:
        return self is QuestionKind.MATRIX

    @property
    def is_text(self) -> bool:
        return self in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


RESPONDENTS = tuple(Respondent)
SURVEY_STATUSES = tuple(SurveyStatus)
QUESTION_KINDS = tuple(QuestionKind)
RESPONSE_STATUSES = tuple(ResponseStatus)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (one_of("respondent", RESPONDENTS), one_of("status", SURVEY_STATUSES))

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    opens_on: Mapped[date]
    closes_on: Mapped[date] = mapped_column(index=True)
    respondent: Mapped[Respondent] = mapped_column(state_column(Respondent), default=Respondent.ORGANIZATION)
    anonymous: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SurveyStatus] = mapped_column(state_column(SurveyStatus), default=SurveyStatus.DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey", order_by="SurveyQuestion.position", cascade="all, delete-orphan")

    @property
    def is_draft(self) -> bool:
        return self.status is SurveyStatus.DRAFT

    @property
    def per_organization(self) -> bool:
        return self.respondent is Respondent.ORGANIZATION

    def is_open_on(self, day: date) -> bool:
        return not self.is_draft and self.opens_on <= day <= self.closes_on

    def is_closed_on(self, day: date) -> bool:
        return not self.is_draft and day > self.closes_on

    def __repr__(self) -> str:
        return f"<Survey {self.title!r}>"


class SurveyQuestion(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (one_of("kind", QUESTION_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    section: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[QuestionKind] = mapped_column(state_column(QuestionKind))
    text: Mapped[str] = mapped_column(String(500))
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[str] = mapped_column(Text, default="")  # choices, one per line
    statements: Mapped[str] = mapped_column(Text, default="")  # matrix rows, one per line
    scale: Mapped[str] = mapped_column(Text, default="")  # matrix columns, one per line
    # a matrix whose statements name themes of the experience exchange fills the answering
    # organization's status per theme; a SHARE_EXPERIENCE question marks it as willing to share
    links_themes: Mapped[bool] = mapped_column(default=False)

    survey: Mapped[Survey] = relationship(back_populates="questions")

    @property
    def option_list(self) -> list[str]:
        return _lines(self.options)

    @property
    def statement_list(self) -> list[str]:
        return _lines(self.statements)

    @property
    def scale_list(self) -> list[str]:
        return _lines(self.scale)


class SurveyResponse(db.Model):
    """The answer of one organization (organization surveys) or one person (person surveys)."""

    __tablename__ = "survey_responses"
    __table_args__ = (
        one_of("status", RESPONSE_STATUSES),
        UniqueConstraint("survey_id", "organization_id"),
        UniqueConstraint("survey_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(state_column(ResponseStatus), default=ResponseStatus.DRAFT)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    themes_applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    survey: Mapped[Survey] = relationship()
    organization: Mapped[Organization | None] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    answered_by: Mapped[Person | None] = relationship(foreign_keys=[answered_by_id])
    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="SurveyAnswer.id")

    @property
    def is_submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED


class SurveyAnswer(db.Model):
    """One answered item: a choice (item = option index), a matrix row (item = statement index,
    value = the scale step), or the value of a number or text question (item 0)."""

    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_responses.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("survey_questions.id"), index=True)
    item: Mapped[int] = mapped_column(default=0)
    value: Mapped[str] = mapped_column(Text, default="")

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")


class SurveyReminder(db.Model):
    """A reminder sent to a person for a survey: at most one, so that reruns send nothing twice."""

    __tablename__ = "survey_reminders"
    __table_args__ = (UniqueConstraint("survey_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
