"""The base of every form of the portal."""
from __future__ import annotations

from flask_babel import format_number
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import FieldList, FormField, validators, widgets


class PortalForm(FlaskForm):
    """A FlaskForm that refuses text with a NUL character at its field: PostgreSQL cannot store
    it, and no person types it."""

    class Meta:
        def render_field(self, field, render_kw):
            if type(field.widget) is widgets.Select:  # exactly wtforms' own widget
                return _FastSelect(field.widget.multiple)(field, **render_kw)
            return super().render_field(field, render_kw)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return not _refuse_nul(self) and valid


class _FastSelect(widgets.Select):
    """wtforms' Select with the same HTML, each plain option written directly: wtforms builds every
    <option>'s attributes through html_params (sorting, key cleaning, Markup formatting), ~8 µs
    an option, and a select of people or meetings has dozens to hundreds of them."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""  # html_params: sorted, "selected" first
        return Markup(f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>')


def _refuse_nul(fields) -> bool:
    """Put the message at every field (also inside FieldList and FormField) whose submitted text
    holds a NUL; whether there was one."""
    found = False
    for field in fields:
        if isinstance(field, FormField):
            found = _refuse_nul(field.form) or found
        elif isinstance(field, FieldList):
            if _refuse_nul(field.entries):
                field.errors = [entry.errors for entry in field.entries]
                found = True
        elif any(isinstance(value, str) and "\x00" in value for value in field.raw_data or ()):
            field.errors = [*field.errors, _("Der Text enthält ein unzulässiges Steuerzeichen.")]
            found = True
    return found


def error_summary(form) -> list[tuple[str, str, str]]:
    """(field id, label, message) of every error of the form, inside FieldList and FormField too,
    in the order of the fields: the list at the top of a form sent back, each a link to its field."""
    return list(_field_errors(form))


def _field_errors(fields):
    for field in fields:
        if isinstance(field, FormField):
            yield from _field_errors(field.form)
        elif isinstance(field, FieldList):
            yield from _field_errors(field.entries)
        elif field.errors and field.type != "CSRFTokenField":
            label = field.label.text if field.label else field.name
            yield field.id, label, " ".join(str(message) for message in field.errors)


class Length(validators.Length):
    """wtforms' Length (which also renders the field's maxlength) whose message for too long
    a text says the limit and how much was sent. A browser cuts pasted text at maxlength
    without a word, so the field macro shows the limit too."""

    def __call__(self, form, field) -> None:
        length = len(field.data or "")
        if self.message is None and self.max != -1 and length > self.max:
            raise validators.ValidationError(_("Höchstens %(max)s Zeichen (eingegeben: %(count)s).",
                                               max=format_number(self.max), count=format_number(length)))
        super().__call__(form, field)
