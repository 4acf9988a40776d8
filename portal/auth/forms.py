from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo

from portal.forms import Length, PortalForm
from portal.members.passwords import MIN_LENGTH


class LoginForm(PortalForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Passwort"), validators=[DataRequired(), Length(max=500)])
    remember = BooleanField(_l("Angemeldet bleiben"))


class SetPasswordForm(PortalForm):
    password = PasswordField(_l("Neues Passwort"), validators=[
        DataRequired(message=_l("Bitte geben Sie ein Passwort ein.")),
        Length(min=MIN_LENGTH, max=500,
               message=_l("Das Passwort muss mindestens %(min)d Zeichen haben.", min=MIN_LENGTH)),
    ])
    confirm = PasswordField(_l("Passwort wiederholen"), validators=[
        DataRequired(message=_l("Bitte wiederholen Sie das Passwort.")),
        EqualTo("password", message=_l("Die beiden Passwörter stimmen nicht überein.")),
    ])


class AcceptInvitationForm(SetPasswordForm):
    accept_privacy = BooleanField(
        _l("Ich habe den Datenschutzhinweis gelesen und bin einverstanden."),
        validators=[DataRequired(message=_l("Ohne Ihr Einverständnis können wir kein Konto einrichten."))],
    )


class ResetRequestForm(PortalForm):
    email = EmailField(_l("E-Mail-Adresse"), validators=[
        DataRequired(message=_l("Bitte geben Sie Ihre E-Mail-Adresse ein.")),
        Email(message=_l("Bitte geben Sie eine gültige E-Mail-Adresse ein.")),
        Length(max=254),
    ])
