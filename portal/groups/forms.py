"""Forms of the groups area."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from portal.forms import Length, PortalForm
from portal.labels import choices
from portal.people.field import PersonField


class GroupForm(PortalForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Bitte geben Sie einen Namen an.")),
                                               Length(max=200)])
    short_name = StringField(_l("Kurzname"), validators=[Optional(), Length(max=60)])
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=20000)])
    join_policy = RadioField(_l("Beitritt"), default="moderated")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.join_policy.choices = choices("join_policy")


class NewGroupForm(GroupForm):
    moderator = PersonField(_l("Erste Moderation"), pool="members",
                            validators=[DataRequired(_l("Bitte wählen Sie die erste Moderation."))])


class GoalForm(PortalForm):
    title = StringField(_l("Ziel"), validators=[DataRequired(_l("Bitte geben Sie das Ziel an.")),
                                                Length(max=300)])
    description = TextAreaField(_l("Beschreibung"), validators=[Length(max=5000)])
    status = SelectField(_l("Status"), default="open")
    reached_on = DateField(_l("Erreicht am"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = choices("goal_status")


class JoinForm(PortalForm):
    message = TextAreaField(_l("Nachricht an die Moderation (freiwillig)"), validators=[Length(max=2000)])


class AddMemberForm(PortalForm):
    person = PersonField(_l("Person"), pool="group_candidates",
                         validators=[DataRequired(_l("Bitte wählen Sie eine Person."))])
