"""Forms of the members area."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Optional, Regexp, ValidationError

from portal.forms import Length, PortalForm
from portal.labels import LABELS
from portal.members.csv_io import MAX_BYTES
from portal.members.profile import PHONE_PATTERN
from portal.people.field import OrganizationField

_REQUIRED = _l("Bitte ausfüllen.")
_PHONE = Regexp(PHONE_PATTERN, message=_l("Bitte nur Ziffern, Leerzeichen und + ( ) / - . verwenden."))
SECTOR_CHOICES = [SelectChoice(value, text) for value, text in LABELS["sector"].items()]
LOCALE_CHOICES = [SelectChoice("", _l("wie im Browser eingestellt")), SelectChoice("de", "Deutsch"),
                  SelectChoice("en", "English")]
ROLE_CHOICES = [SelectChoice(value, text) for value, text in LABELS["role"].items()]


class OrganizationChoice:
    """An existing organization from the list, or a new one by name and sector."""

    organization_id = OrganizationField(_l("Organisation"))
    new_organization = StringField(_l("… oder neue Organisation"), validators=[Optional(), Length(max=200)])
    new_sector = SelectField(_l("Branche der neuen Organisation"), choices=SECTOR_CHOICES,
                             default="Sonstige")

    def set_organizations(self, actor) -> None:
        self.organization_id.offer(actor)

    def validate_new_organization(self, field) -> None:
        if field.data and field.data.strip() and self.organization_id.data:
            raise ValidationError(_l("Bitte entweder eine Organisation aus der Liste wählen oder eine neue eintragen."))


class ProfileForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_REQUIRED), Length(max=200)])
    function = StringField(_l("Funktion"), validators=[Optional(), Length(max=200)])
    phone = TelField(_l("Telefon"), validators=[Optional(), Length(max=50), _PHONE])
    locale = SelectField(_l("Sprache der Oberfläche und der E-Mails"), choices=LOCALE_CHOICES)
    show_email = BooleanField(_l("Andere Nutzer des Portals dürfen meine E-Mail-Adresse sehen"))
    show_phone = BooleanField(_l("Andere Nutzer des Portals dürfen meine Telefonnummer sehen"))


class OfficeProfileForm(OrganizationChoice, ProfileForm):
    """The office's own profile: the organization is editable too."""


class PersonForm(OrganizationChoice, PortalForm):
    """The office edits a member; the consent switches stay the member's own decision."""

    name = StringField(_l("Name"), validators=[DataRequired(message=_REQUIRED), Length(max=200)])
    email = EmailField(_l("E-Mail-Adresse"), validators=[
        DataRequired(message=_REQUIRED), Email(message=_l("Bitte eine gültige E-Mail-Adresse eingeben.")),
        Length(max=254)])
    function = StringField(_l("Funktion"), validators=[Optional(), Length(max=200)])
    phone = TelField(_l("Telefon"), validators=[Optional(), Length(max=50), _PHONE])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default="member")


class InvitationForm(OrganizationChoice, PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_REQUIRED), Length(max=200)])
    email = EmailField(_l("E-Mail-Adresse"), validators=[
        DataRequired(message=_REQUIRED), Email(message=_l("Bitte eine gültige E-Mail-Adresse eingeben.")),
        Length(max=254)])
    role = SelectField(_l("Rolle"), choices=ROLE_CHOICES, default="member")


class OrganizationForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(message=_REQUIRED), Length(max=200)])
    sector = SelectField(_l("Branche"), choices=SECTOR_CHOICES)
    address = StringField(_l("Adresse"), validators=[Optional(), Length(max=300)])
    website = StringField(_l("Website"), validators=[
        Optional(), Length(max=300),
        Regexp(r"^https?://", message=_l("Bitte eine vollständige Adresse mit https:// eingeben.")),
        URL(message=_l("Bitte eine vollständige Adresse mit https:// eingeben."))])


class ImportUploadForm(PortalForm):
    file = FileField(_l("CSV-Datei"), validators=[
        FileRequired(message=_l("Bitte wählen Sie eine Datei.")),
        FileSize(MAX_BYTES, message=_l("Die Datei ist zu groß (höchstens 350 kB).")),
    ])


class ImportConfirmForm(PortalForm):
    content = HiddenField(validators=[DataRequired()])
