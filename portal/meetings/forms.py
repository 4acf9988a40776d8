"""Forms of the meetings area. Times are typed in Europe/Berlin and stored in UTC."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import DataRequired, Email, InputRequired, NumberRange, Optional, ValidationError

from portal.calendar.ics import is_ambiguous
from portal.forms import Length, PortalForm
from portal.labels import LABELS
from portal.meetings.agenda import MANUAL_KINDS, MAX_MINUTES
from portal.meetings.planning import MeetingError, check_day
from portal.people.field import PersonField
from portal.types import BERLIN


def _http_url(form, field) -> None:
    if field.data and (urlsplit(field.data).scheme not in ("http", "https") or not urlsplit(field.data).netloc):
        raise ValidationError(_l("Bitte eine Adresse angeben, die mit https:// beginnt."))


class MeetingForm(PortalForm):
    series = SelectField(_l("Reihe"), validators=[DataRequired(_l("Bitte eine Reihe wählen."))])
    number = IntegerField(_l("Nummer in der Reihe"), validators=[
        Optional(), NumberRange(min=1, max=9999, message=_l("Bitte eine Zahl ab 1 angeben."))])
    title = StringField(_l("Thema"), validators=[DataRequired(_l("Bitte ein Thema angeben.")), Length(max=300)])
    day = DateField(_l("Datum"), validators=[DataRequired(_l("Bitte ein gültiges Datum angeben."))])
    start_time = TimeField(_l("Beginn"), validators=[DataRequired(_l("Bitte eine Uhrzeit angeben."))])
    end_time = TimeField(_l("Ende"), validators=[DataRequired(_l("Bitte eine Uhrzeit angeben."))])
    location = StringField(_l("Ort (Adresse)"), validators=[Length(max=300)])
    room = StringField(_l("Raum"), validators=[Length(max=100)])
    online_url = URLField(_l("Online-Link"), validators=[Optional(), Length(max=500), _http_url])
    organizer_id = PersonField(_l("Organisation (einladende Person)"))
    moderator_id = PersonField(_l("Moderation"))
    minute_taker_id = PersonField(_l("Protokoll"))
    copy_previous = BooleanField(_l("Tagesordnung wie letzte Sitzung übernehmen"))
    # asked for only when a time typed occurs twice (the night the clocks go back): which one
    dst = SelectField(_l("Sommerzeit (MESZ) oder Winterzeit (MEZ)?"), default="", choices=[
        ("", _l("– bitte wählen –")), ("summer", _l("Sommerzeit (MESZ), die erste")),
        ("winter", _l("Winterzeit (MEZ), die zweite"))])
    # asked for only when the date lies in the past (planning.past_date_notice says what follows)
    confirm_past = BooleanField(_l("Ja, das Datum in der Vergangenheit übernehmen"))

    def __init__(self, *args, series_choices=(), actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.series.choices = list(series_choices)
        for field in (self.organizer_id, self.moderator_id, self.minute_taker_id):
            field.offer(actor)

    def validate_day(self, field) -> None:
        try:
            check_day(field.data)
        except MeetingError as error:
            raise ValidationError(str(error)) from None

    def validate_start_time(self, field) -> None:
        self._check_wall_clock(field)

    def validate_end_time(self, field) -> None:
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(_l("Das Ende muss nach dem Beginn liegen."))
        self._check_wall_clock(field)

    @property
    def dst_asked(self) -> bool:
        """The choice of summer or winter time is shown: a time typed occurs twice."""
        return bool(self.dst.data) or any(
            self.day.data and f.data and is_ambiguous(datetime.combine(self.day.data, f.data, tzinfo=BERLIN))
            for f in (self.start_time, self.end_time))

    def _check_wall_clock(self, field) -> None:
        """Refuse a local time that does not exist (the hour skipped in spring); for one that occurs
        twice (the hour repeated in autumn) ask which one is meant."""
        if not (self.day.data and field.data) or self.day.errors:  # a day out of range is refused there
            return
        local = datetime.combine(self.day.data, field.data, tzinfo=BERLIN)
        if local.astimezone(timezone.utc).astimezone(BERLIN).replace(tzinfo=None) != local.replace(tzinfo=None):
            raise ValidationError(_(
                "Diese Uhrzeit gibt es am %(day)s nicht: In dieser Nacht werden die Uhren von 2 auf 3 Uhr "
                "vorgestellt. Bitte eine andere Uhrzeit angeben.", day=format_date(self.day.data)))
        if is_ambiguous(local) and self.dst.data not in ("summer", "winter"):
            raise ValidationError(_(
                "Diese Uhrzeit gibt es am %(day)s zweimal: In dieser Nacht werden die Uhren von 3 auf 2 Uhr "
                "zurückgestellt. Bitte unten wählen, ob die Sommerzeit (MESZ) oder die Winterzeit (MEZ) "
                "gemeint ist.", day=format_date(self.day.data)))

    def times(self) -> tuple[datetime, datetime]:
        """(start, end) in UTC from the local date and times typed; a time of the repeated hour as
        chosen in `dst` (fold 1: its second occurrence, in winter time)."""
        fold = 1 if self.dst.data == "winter" else 0

        def utc(time):
            local = datetime.combine(self.day.data, time, tzinfo=BERLIN).replace(fold=fold)
            return local.astimezone(timezone.utc)
        return utc(self.start_time.data), utc(self.end_time.data)

    def fill_times(self, starts_at: datetime, ends_at: datetime) -> None:
        local_start, local_end = starts_at.astimezone(BERLIN), ends_at.astimezone(BERLIN)
        self.day.data, self.start_time.data, self.end_time.data = (
            local_start.date(), local_start.time(), local_end.time())
        for local in (local_start, local_end):
            if is_ambiguous(local):
                self.dst.data = "winter" if local.fold else "summer"


class AgendaItemForm(PortalForm):
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Bitte einen Titel angeben.")),
                                                 Length(max=300)])
    kind = SelectField(_l("Art"), default="information")
    planned_minutes = IntegerField(_l("Geplante Minuten"), default=15, validators=[
        InputRequired(_l("Bitte die geplante Dauer in Minuten angeben.")),
        NumberRange(min=0, max=MAX_MINUTES,
                    message=_l("Bitte eine Dauer zwischen 0 und %(n)s Minuten angeben.", n=MAX_MINUTES))])
    presenter_id = PersonField(_l("Vortragende Person"))
    description = TextAreaField(_l("Beschreibung (Markdown)"), validators=[Length(max=20000)])

    def __init__(self, *args, kinds=MANUAL_KINDS, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(kind, str(LABELS["agenda_kind"][kind])) for kind in kinds]
        self.presenter_id.offer(actor)


class InviteForm(PortalForm):
    series_members = BooleanField(_l("Alle aktiven Mitglieder der Reihe einladen"), default=True)
    people = PersonField(_l("Weitere Person"), pool="meeting_not_invited")

    def __init__(self, *args, actor=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.people.offer(actor, meeting)


class CancelForm(PortalForm):
    reason = TextAreaField(_l("Grund der Absage"), validators=[
        DataRequired(_l("Bitte einen Grund für die Absage angeben.")), Length(max=2000)])


class GuestForm(PortalForm):
    guest_name = StringField(_l("Name des Gastes"), validators=[
        DataRequired(_l("Bitte den Namen des Gastes angeben.")), Length(max=200)])
    guest_organization = StringField(_l("Organisation"), validators=[Length(max=200)])


class AttendeeForm(PortalForm):
    person_id = PersonField(_l("Mitglied ohne Einladung"), pool="meeting_uninvited",
                            validators=[DataRequired(_l("Bitte eine Person wählen."))])

    def __init__(self, *args, actor=None, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person_id.offer(actor, meeting)


class GuestInviteForm(GuestForm):
    """A guest without an account invited by mail (issue 15 point 3)."""

    guest_email = StringField(_l("E-Mail-Adresse des Gastes"), validators=[
        DataRequired(_l("Bitte die E-Mail-Adresse des Gastes angeben.")),
        Email(message=_l("Bitte eine gültige E-Mail-Adresse eingeben.")), Length(max=254)])
