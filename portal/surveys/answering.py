"""Answering a survey: whose response it is, reading the posted values, checking them per question
kind, saving a draft, submitting, and changing the answer until the close."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.audit.record import record
from portal.errors import RuleError
from portal.extensions import db
from portal.surveys.models import (
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from portal.types import utcnow

SHORT_MAX, LONG_MAX = 300, 5000
YES, NO = "yes", "no"


def response_for(survey: Survey, person) -> SurveyResponse | None:
    """The response `person` answers in, or sees: their organization's or their own."""
    if survey.per_organization:
        if person.organization_id is None:
            return None
        where = SurveyResponse.organization_id == person.organization_id
    else:
        where = SurveyResponse.person_id == person.id
    return db.session.scalar(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id, where))


def may_answer(survey: Survey, person) -> bool:
    """Whether the survey asks `person` at all (an organization survey needs an organization)."""
    return person.role == "member" and (not survey.per_organization or person.organization_id is not None)


def answered_by_other(response: SurveyResponse | None, person) -> bool:
    """Another member of the organization has answered (or started): this person may only read.
    When that member has left (inactive, or now with another organization), a colleague takes over."""
    if response is None or response.answered_by_id in (None, person.id):
        return False
    other = response.answered_by
    return other is not None and other.active and (response.organization_id is None
                                                   or other.organization_id == response.organization_id)


@dataclass
class Posted:
    """What was sent for each question, as typed, and the messages per question."""

    values: dict[str, object] = field(default_factory=dict)  # field name -> str or list of str
    errors: dict[int, str] = field(default_factory=dict)


def field_name(question: SurveyQuestion, item: int | None = None) -> str:
    return f"q{question.id}" if item is None else f"q{question.id}-{item}"


def from_response(survey: Survey, response: SurveyResponse | None) -> Posted:
    """The stored answers in the shape of a posted form (for showing the form again)."""
    posted = Posted()
    if response is None:
        return posted
    by_question: dict[int, list[SurveyAnswer]] = {}
    for answer in response.answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    for question in survey.questions:
        answers = by_question.get(question.id, [])
        if question.kind is QuestionKind.MULTIPLE_CHOICE:
            posted.values[field_name(question)] = [str(a.item) for a in answers]
        elif question.kind.is_matrix:
            for a in answers:
                steps = question.scale_list
                posted.values[field_name(question, a.item)] = str(steps.index(a.value)) if a.value in steps else ""
        elif question.kind is QuestionKind.SINGLE_CHOICE:
            posted.values[field_name(question)] = str(answers[0].item) if answers else ""
        elif answers:
            posted.values[field_name(question)] = answers[0].value
    return posted


def read(survey: Survey, form, *, complete: bool) -> tuple[Posted, list[tuple[SurveyQuestion, int, str]]]:
    """Read the posted form (a MultiDict): what was typed, the messages, and the rows to store as
    (question, item, value). `complete` (submitting) also asks for every required question."""
    posted = Posted()
    rows: list[tuple[SurveyQuestion, int, str]] = []
    for question in survey.questions:
        name = field_name(question)
        kind = question.kind
        if kind is QuestionKind.MULTIPLE_CHOICE:
            chosen = form.getlist(name)
            posted.values[name] = chosen
            options = question.option_list
            indexes = [_index(v, len(options)) for v in chosen]
            if any(i is None for i in indexes):
                posted.errors[question.id] = _("Bitte nur die angebotenen Antworten wählen.")
            elif complete and question.required and not indexes:
                posted.errors[question.id] = _("Bitte mindestens eine Antwort wählen.")
            else:
                rows += [(question, i, options[i]) for i in sorted(set(indexes))]
        elif kind.is_matrix:
            steps = question.scale_list
            missing = False
            for item, _statement in enumerate(question.statement_list):
                value = form.get(field_name(question, item), "")
                posted.values[field_name(question, item)] = value
                if not value:
                    missing = True
                    continue
                index = _index(value, len(steps))
                if index is None:
                    posted.errors[question.id] = _("Bitte nur die Stufen der Skala wählen.")
                else:
                    rows.append((question, item, steps[index]))
            if complete and question.required and missing and question.id not in posted.errors:
                posted.errors[question.id] = _("Bitte jede Zeile beantworten.")
        else:
            value = (form.get(name) or "").strip()
            posted.values[name] = form.get(name) or ""
            if not value:
                if complete and question.required:
                    posted.errors[question.id] = (_("Bitte eine Antwort wählen.")
                                                  if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.SHARE_EXPERIENCE)
                                                  else _("Bitte beantworten Sie diese Frage."))
                continue
            message, item, stored = _check(question, value)
            if message:
                posted.errors[question.id] = message
            else:
                rows.append((question, item, stored))
    return posted, rows


def _index(value: str, count: int) -> int | None:
    try:
        index = int(value)
    except (TypeError, ValueError):
        return None
    return index if 0 <= index < count else None


def _check(question: SurveyQuestion, value: str) -> tuple[str | None, int, str]:
    kind = question.kind
    if kind is QuestionKind.SINGLE_CHOICE:
        index = _index(value, len(question.option_list))
        if index is None:
            return _("Bitte eine der angebotenen Antworten wählen."), 0, ""
        return None, index, question.option_list[index]
    if kind is QuestionKind.SHARE_EXPERIENCE:
        if value not in (YES, NO):
            return _("Bitte „ja“ oder „nein“ wählen."), 0, ""
        return None, 0, value
    if kind is QuestionKind.NUMBER:
        number = parse_number(value)
        if number is None:
            return _("Bitte eine Zahl eingeben, z. B. 12 oder 3,5."), 0, ""
        return None, 0, str(number)
    limit = SHORT_MAX if kind is QuestionKind.SHORT_TEXT else LONG_MAX
    if len(value) > limit:
        return _("Höchstens %(max)s Zeichen (eingegeben: %(count)s).", max=limit, count=len(value)), 0, ""
    if "\x00" in value:
        return _("Der Text enthält ein unzulässiges Steuerzeichen."), 0, ""
    return None, 0, value


def parse_number(text: str) -> Decimal | None:
    """A number as Germans type it: 1.234,5 or 1234.5 or 12."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
        return None
    return number.normalize() if number == number.to_integral() else number


class AnswerRefused(RuleError):
    pass


def refusal(survey: Survey, person, response: SurveyResponse | None, today: date) -> str | None:
    """Why `person` may not (now) change the answer, or None."""
    if not may_answer(survey, person):
        return _("Diese Umfrage richtet sich an Mitgliedsorganisationen; Ihrem Konto ist keine zugeordnet.")
    if survey.is_closed_on(today):
        return _("Die Umfrage ist seit dem %(day)s geschlossen; Antworten lassen sich nicht mehr ändern.",
                 day=format_date(survey.closes_on))
    if not survey.is_open_on(today):
        return _("Die Umfrage ist noch nicht geöffnet.")
    if answered_by_other(response, person):
        return _("Ihre Organisation hat schon geantwortet (%(name)s); nur wer geantwortet hat, kann die "
                 "Antwort ändern.", name=response.answered_by.name)
    return None


def check_may_change(survey: Survey, person, response: SurveyResponse | None, today: date) -> None:
    message = refusal(survey, person, response, today)
    if message:
        raise AnswerRefused(message)


def save(person, survey: Survey, rows: list[tuple[SurveyQuestion, int, str]], *, submit: bool,
         today: date) -> SurveyResponse:
    """Store the answers (replacing earlier ones) as a draft, or submitted. Refused after the close,
    before the opening, and to a second member of an organization that has answered."""
    response = response_for(survey, person)
    check_may_change(survey, person, response, today)
    if response is None:
        response = SurveyResponse(survey=survey, answered_by_id=person.id,
                                  organization_id=person.organization_id if survey.per_organization else None,
                                  person_id=None if survey.per_organization else person.id)
        db.session.add(response)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:  # a colleague started a moment ago
            raise AnswerRefused(_("Ihre Organisation hat eben schon zu antworten begonnen.")) from None
    response.answered_by_id = person.id  # a colleague may take over from one who has left
    for answer in list(response.answers):
        response.answers.remove(answer)
    db.session.flush()
    for question, item, value in rows:
        response.answers.append(SurveyAnswer(question_id=question.id, item=item, value=value))
    response.updated_at = utcnow()
    before = response.status
    if submit:
        if not response.is_submitted:
            response.status = ResponseStatus.SUBMITTED
        response.submitted_at = utcnow()
    db.session.flush()
    # what was answered stays out of the log (anonymous surveys): only who saved, and the state
    record(person, "survey.answer" if submit else "survey.answer_draft", response,
           {"status": (before.value if before else None, response.status.value)})
    return response


def open_for(person, today: date) -> list[tuple[Survey, bool]]:
    """The surveys open today that ask `person`, with whether their side has submitted."""
    surveys = list(db.session.scalars(select(Survey).where(
        Survey.status == "open", Survey.opens_on <= today, Survey.closes_on >= today).order_by(Survey.closes_on)))
    surveys = [s for s in surveys if may_answer(s, person)]
    if not surveys:
        return []
    done = set(db.session.scalars(select(SurveyResponse.survey_id).where(
        SurveyResponse.survey_id.in_([s.id for s in surveys]), SurveyResponse.status == ResponseStatus.SUBMITTED,
        (SurveyResponse.person_id == person.id) if person.organization_id is None else
        (SurveyResponse.organization_id == person.organization_id) | (SurveyResponse.person_id == person.id))))
    return [(s, s.id in done) for s in surveys]
