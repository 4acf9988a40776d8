"""Mail to one person, in their language, from one template.

Every mail is a template `templates/mail/<area>_<event>.txt` with two blocks: `subject` (one
line) and `body` (the plain text). A sibling `<area>_<event>.html`, if there is one, gives the
HTML part from its `body` block; a mail with a calendar has one anyway, made from the text. Templates whose name starts with "_" are partials to include.
Every text ends with a link to the privacy notice. Both are rendered under the recipient's locale
(the default locale if they chose none), so a mail to several people comes out in each one's language.
"""
from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound
from markupsafe import Markup

from portal import mail
from portal.links import external_url

FOLDER = "mail"


Calendar = bytes | Callable[[], bytes] | None


def notify(recipient, template: str, *, calendar: Calendar = None,
           calendar_method: str = "REQUEST", headers: dict[str, str] | None = None, **context) -> None:
    """Queue the mail `template` for the recipient (sent after the commit).

    recipient: anything with `email` and `locale` (a Person); it is in the context as `person`
    unless the caller passes one. calendar: an iCalendar attachment with its METHOD, or a
    function that makes it (called in the recipient's language). Values that depend on the
    language go into the context as functions for the template to call, for the same reason.
    headers: more header fields (a circular's List-Unsubscribe)."""
    mail.queue(message(recipient, template, calendar=calendar, calendar_method=calendar_method,
                       headers=headers, **context))


def message(recipient, template: str, *, calendar: Calendar = None,
            calendar_method: str = "REQUEST", headers: dict[str, str] | None = None,
            **context) -> EmailMessage:
    """The built, not yet queued, mail of `notify`."""
    context.setdefault("person", recipient)
    with force_locale(recipient.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject, text = _render(f"{FOLDER}/{template}.txt", context, "subject", "body")
        html = _render_optional(f"{FOLDER}/{template}.html", context)
        if html is None and calendar is not None:  # a meeting request has an HTML part
            html = mail.html_from_text(text)
        text, html = _with_privacy_link(text, html)
        if callable(calendar):
            calendar = calendar()
        calendar_filename = _("einladung.ics")
    return mail.build(recipient.email, " ".join(subject.split()), text, html=html,
                      calendar=calendar, calendar_method=calendar_method, headers=headers,
                      calendar_filename=calendar_filename)


def _with_privacy_link(text: str, html: str | None) -> tuple[str, str | None]:
    link = external_url("privacy_notice.show")
    text += "\n-- \n" + _("Datenschutzhinweise: %(link)s", link=link) + "\n"
    if html is not None:
        html += str(Markup('<p>-- <br><a href="{}">{}</a></p>\n').format(link, _("Datenschutzhinweise")))
    return text, html


def _render(name: str, context: dict, *blocks: str) -> list[str]:
    env = current_app.jinja_env
    template = env.get_or_select_template(name)
    values = dict(context)
    current_app.update_template_context(values)
    return [env.concat(template.blocks[block](template.new_context(values))).strip("\n") + "\n"
            for block in blocks]


def _render_optional(name: str, context: dict) -> str | None:
    try:
        return _render(name, context, "body")[0]
    except TemplateNotFound:
        return None
