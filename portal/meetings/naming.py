"""How a meeting and the people of its record are named, the same on every page, in the minutes
PDF, in mails and in calendars. Rendered in the reader's language (the caller's locale)."""
from __future__ import annotations

from flask_babel import gettext as _

from portal.meetings.series import number_label


def full_title(meeting) -> str:
    """The meeting's one name: its place in the series, then the title the office gave it,
    e.g. "8. Treffen der Wirtschaftsallianz Bottrop – Umwelt- und Gesundheitsmanagement"."""
    return _("%(series)s – %(title)s", series=number_label(meeting), title=meeting.title)


def record_name(person) -> str:
    """A person's name where a meeting's history keeps them: marked when the account is
    deactivated, so that nobody takes them for a current member."""
    if person.active:
        return person.name
    return _("%(name)s (inaktiv)", name=person.name)
