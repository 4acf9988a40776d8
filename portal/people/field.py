"""PersonField: a person chosen by typing, for every form that picks one person out of many.

The page carries no list of people. It shows a text input (`<name>-text`) and a hidden id
(`<name>`, the name the select had, so that posts of an id keep working). With JavaScript
(`static/person-field.js`) the input suggests people as a listbox from `GET /people/suggest` and
fills the id. Without it, the server resolves the text typed: one person → taken; several → the
form comes back with the message at the field and a short radio list (`<name>-pick`); none → the
message, the text kept.

The view says whom the field offers and to whom: `form.owner.offer(current_user)` (like setting
choices), before the form is validated or rendered."""
from __future__ import annotations

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import html_params

from portal.extensions import db
from portal.meetings.models import Meeting
from portal.members.models import Organization, Person
from portal.params import parse_int
from portal.people import search

TEXT, PICK = "-text", "-pick"


class SearchField(Field):
    """A record chosen by typing: `data` is its id (or None), `chosen` the record once resolved.
    Subclasses say which records (`model`, `make_search`), how they are named and where the
    suggestions come from (`endpoint`)."""

    model: type = Person
    endpoint = "people.suggest"

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.search = None  # set by offer()
        self.chosen = None
        self.text: str | None = None  # as typed; None: not posted
        self.pick: str | None = None
        self.posted_id: str | None = None
        self.resolution = search.Resolution()

    # reading -----------------------------------------------------------------------------------

    def process(self, formdata, data=None, extra_filters=None):
        super().process(formdata, data, extra_filters)
        if formdata is not None:
            self.text = formdata.get(self.name + TEXT) if self.name + TEXT in formdata else None
            self.pick = formdata.get(self.name + PICK) or None

    def process_data(self, value) -> None:
        if isinstance(value, self.model):
            self.chosen, self.data = value, value.id
        else:
            self.data = parse_int(value)

    def process_formdata(self, valuelist) -> None:
        # "" and "0" (the "nobody" of the former select) choose nobody
        self.posted_id = next((value for value in valuelist if value not in ("", "0")), None)
        self.data = None  # decided when validated: the id and the text may disagree
        self.raw_data = [self.posted_id or ""]

    def pre_validate(self, form) -> None:
        if self.search is None:
            raise RuntimeError(f"{type(self).__name__} {self.name}: the view did not call offer()")
        if self.pick is not None:  # chosen from the radio list
            return self._take(self.search.get(parse_int(self.pick)))
        if self.text is None:  # an id alone (a post of the former select, a link)
            return self._take(self.search.get(parse_int(self.posted_id)) if self.posted_id else None,
                              required=bool(self.posted_id))
        typed = " ".join(self.text.split())
        if not typed:
            return self._take(None, required=False)
        chosen = self.search.get(parse_int(self.posted_id)) if self.posted_id else None
        if chosen is not None and " ".join(self.text_of(chosen).split()) == typed:
            return self._take(chosen)  # the id picked from the suggestions, its name untouched
        self.resolution = search.resolve(self.search, typed)
        if self.resolution.person is not None:
            return self._take(self.resolution.person)
        if self.resolution.candidates:
            raise StopValidation(self.several_message(typed, self.resolution.more))
        raise StopValidation(self.none_message(typed))

    def _take(self, record, required: bool = True) -> None:
        if record is None and required:
            raise StopValidation(self.not_offered_message())
        self.chosen, self.data = record, record.id if record else None
        self.raw_data = [str(self.data or "")]
        if record is not None:
            self.text = self.text_of(record)

    # showing -----------------------------------------------------------------------------------

    def shown_text(self) -> str:
        if self.text is not None:
            return self.text
        if self.chosen is None and self.data:
            self.chosen = db.session.get(self.model, self.data)
        return self.text_of(self.chosen) if self.chosen else ""

    def suggest_url(self) -> str:
        return url_for(self.endpoint)

    # what subclasses name ------------------------------------------------------------------------

    messages: dict = {}  # several, more, none, not_offered, nothing_found: msgids with %(text)s and %(n)s

    def message(self, key: str, text: str = "") -> str:
        return str(self.messages[key]) % {"text": text, "n": search.LIMIT}

    def several_message(self, typed: str, more: bool) -> str:
        return self.message("more" if more else "several", typed)

    def none_message(self, typed: str) -> str:
        return self.message("none", typed)

    def not_offered_message(self) -> str:
        return self.message("not_offered")

    def nothing_found(self) -> str:
        return self.message("nothing_found")

    def text_of(self, record) -> str:
        """What the input shows for a chosen record (and what a suggestion fills in)."""
        return record.name

    def label_of(self, record) -> str:
        return self.text_of(record)


class PersonField(SearchField):
    """A person of a pool (`search.POOLS`); `person`: the Person once resolved."""

    def __init__(self, label=None, validators=None, pool: str = "assignable", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.pool = search.POOLS[pool]

    def offer(self, actor, context=None, extra=()) -> PersonField:
        """Whom the field offers: its pool for this actor (and the pool's context object); `extra`
        narrows it further on submit (the suggestions do not know it)."""
        self.search = search.Search(self.pool, actor, context, list(extra))
        return self

    @property
    def person(self) -> Person | None:
        return self.chosen

    def suggest_url(self) -> str:
        args = {"pool": self.pool.name}
        if self.pool.context and self.search is not None and self.search.context is not None:
            args[self.pool.context] = self.search.context.id
        return url_for(self.endpoint, **args)

    def label_of(self, record) -> str:
        return person_label(record)

    messages = {
        "more": _l("Mehr als %(n)s Personen passen zu „%(text)s“. Bitte genauer eingeben oder unten eine wählen."),
        "several": _l("Mehrere Personen passen zu „%(text)s“. Bitte unten eine wählen."),
        "none": _l("Keine Person gefunden, die zu „%(text)s“ passt. Bitte Namen, Organisation oder "
                   "E-Mail-Adresse prüfen."),
        "not_offered": _l("Diese Person steht hier nicht zur Wahl."),
        "nothing_found": _l("Keine Person gefunden."),
    }


class OrganizationField(SearchField):
    """An organization chosen by typing its name (the office's forms of a person)."""

    model = Organization
    endpoint = "people.suggest_organizations"

    def offer(self, actor) -> OrganizationField:
        self.search = search.OrganizationSearch(actor)
        return self

    messages = {
        "more": _l("Mehr als %(n)s Organisationen passen zu „%(text)s“. Bitte genauer eingeben oder "
                   "unten eine wählen."),
        "several": _l("Mehrere Organisationen passen zu „%(text)s“. Bitte unten eine wählen."),
        "none": _l("Keine Organisation gefunden, die zu „%(text)s“ passt."),
        "not_offered": _l("Diese Organisation steht hier nicht zur Wahl."),
        "nothing_found": _l("Keine Organisation gefunden."),
    }


class MeetingField(SearchField):
    """A meeting that action items came from, chosen by typing part of its title (the /actions filter)."""

    model = Meeting
    endpoint = "people.suggest_meetings"

    def offer(self, actor) -> MeetingField:
        self.search = search.MeetingSearch(actor)
        return self

    def text_of(self, record) -> str:
        return record.title

    def label_of(self, record) -> str:
        return meeting_label(record)

    messages = {
        "more": _l("Mehr als %(n)s Treffen passen zu „%(text)s“. Bitte genauer eingeben oder unten eines wählen."),
        "several": _l("Mehrere Treffen passen zu „%(text)s“. Bitte unten eines wählen."),
        "none": _l("Kein Treffen mit Aufgaben gefunden, das zu „%(text)s“ passt."),
        "not_offered": _l("Dieses Treffen steht hier nicht zur Wahl."),
        "nothing_found": _l("Kein Treffen gefunden."),
    }


def meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title} ({format_date(meeting.starts_at, 'short')})"


def person_label(person: Person) -> str:
    """How a person appears in suggestions and candidates: name and organization (no address)."""
    return f"{person.name} ({person.organization.name})" if person.organization else person.name


class PersonInput:
    """The text input, the hidden id, and, when the text named several people, the radio list."""

    def __call__(self, field: SearchField, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        kwargs = {key: value for key, value in kwargs.items() if value is not False}
        if field.flags.required:
            kwargs.setdefault("required", True)
        text = html_params(type="text", name=field.name + TEXT, value=field.shown_text(),
                           autocomplete="off", maxlength=search.MAX_TEXT, **kwargs)
        hidden = html_params(type="hidden", name=field.name, value=field.data or "", data_person_id=True)
        wrapper = html_params(class_="person-field", data_person_field=True, data_suggest=field.suggest_url(),
                              data_none=field.nothing_found(), data_options=_("Vorschläge"),
                              data_one=_("Ein Vorschlag: mit den Pfeiltasten wählen, mit der Eingabetaste "
                                         "übernehmen."),
                              data_many=_("%(n)s Vorschläge: mit den Pfeiltasten wählen, mit der Eingabetaste "
                                          "übernehmen.", n="{n}"))
        parts = [f"<span {wrapper}>", f"<input {text}>", f"<input {hidden}>"]
        if field.resolution.candidates:
            parts.append(_candidates(field))
        parts.append("</span>")
        return Markup("".join(parts))


def _candidates(field: SearchField) -> str:
    rows = []
    for record in field.resolution.candidates:
        radio_id = f"{field.id}-pick-{record.id}"
        radio = html_params(type="radio", id=radio_id, name=field.name + PICK, value=record.id)
        rows.append(f'<div class="field-check"><input {radio}> <label for="{radio_id}">'
                    f"{escape(field.label_of(record))}</label></div>")
    legend = escape(_("Gemeint ist:"))
    return f'<fieldset class="person-candidates"><legend>{legend}</legend>{"".join(rows)}</fieldset>'


SearchField.widget = PersonInput()
