"""German (translatable) names of the states and kinds stored in the database.

Most are stored in English; sectors are stored by their German name (the key of the CSV import too)
and shown, like every stored choice, through label() in the reader's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portal.i18n import lazy_text

LABELS = {
    "account_status": {"active": _l("aktiv"), "invited": _l("eingeladen, noch nicht angemeldet"),
                       "inactive": _l("deaktiviert")},
    "role": {"office": _l("Geschäftsstelle"), "member": _l("Mitglied"), "observer": _l("Beobachtung")},
    "meeting_kind": {"plenary": _l("Plenum"), "group": _l("Sitzung des Reallabors")},
    "meeting_status": {"planned": _l("geplant"), "held": _l("stattgefunden"), "cancelled": _l("abgesagt")},
    "minutes_status": {
        "none": _l("kein Protokoll"), "draft": _l("Entwurf"), "in_review": _l("in Abstimmung"),
        "approved": _l("genehmigt"), "published": _l("veröffentlicht"),
    },
    "agenda_kind": {
        "information": _l("Information"), "discussion": _l("Diskussion"), "decision": _l("Beschluss"),
        "minutes_approval": _l("Genehmigung des Protokolls"), "open_actions": _l("Offene Aufgaben"),
    },
    "rsvp": {"pending": _l("keine Antwort"), "accepted": _l("Zusage"), "declined": _l("Absage"),
             "tentative": _l("vielleicht")},
    "attendance": {"unknown": _l("unbekannt"), "present": _l("anwesend"), "excused": _l("entschuldigt"),
                   "absent": _l("abwesend")},
    "question_kind": {"single_choice": _l("Einfachauswahl"), "multiple_choice": _l("Mehrfachauswahl"),
                      "matrix": _l("Matrix (Aussagen × Skala)"), "number": _l("Zahl"),
                      "short_text": _l("kurzer Text"), "long_text": _l("langer Text"),
                      "share_experience": _l("Wir teilen unsere Erfahrung dazu (ja/nein)")},
    "action_status": {"open": _l("offen"), "in_progress": _l("in Arbeit"), "done": _l("erledigt"),
                      "cancelled": _l("abgebrochen")},
    "action_event": {"created": _l("angelegt"), "status": _l("Status geändert"),
                     "owner": _l("neu zugewiesen"), "due_date": _l("Frist geändert"),
                     "description": _l("Beschreibung geändert"), "title": _l("Titel geändert"),
                     "comment": _l("Kommentar")},
    "goal_status": {"open": _l("offen"), "in_progress": _l("in Arbeit"), "reached": _l("erreicht")},
    "membership_role": {"member": _l("Mitglied"), "moderator": _l("Moderation")},
    "membership_status": {"requested": _l("angefragt"), "active": _l("aktiv"), "declined": _l("abgelehnt"),
                          "left": _l("ausgetreten")},
    "join_policy": {"open": _l("offen (sofortiger Beitritt)"), "moderated": _l("moderiert (Anfrage nötig)")},
    "job_status": {"waiting": _l("wartet"), "running": _l("wird verschickt"), "done": _l("verschickt"),
                   "failed": _l("fehlgeschlagen")},
    "sector": {"Handwerk": _l("Handwerk"), "Handel": _l("Handel"), "Dienstleistung": _l("Dienstleistung"),
               "Industrie": _l("Industrie"), "Gründung": _l("Gründung"), "Wissenschaft": _l("Wissenschaft"),
               "Verwaltung": _l("Verwaltung"), "Politik": _l("Politik"), "Sonstige": _l("Sonstige")},
    "outcome_status": {"idea": _l("Idee"), "running": _l("läuft"), "completed": _l("abgeschlossen"),
                       "stopped": _l("gestoppt")},
}


# The badge that marks a state in lists (a class of portal.css); states not named here get a plain one.
BADGES = {
    "action_status": {"done": "badge-ok", "in_progress": "badge-info"},
    "goal_status": {"reached": "badge-ok", "in_progress": "badge-info"},
    "sector": {"Handwerk": _l("Handwerk"), "Handel": _l("Handel"), "Dienstleistung": _l("Dienstleistung"),
               "Industrie": _l("Industrie"), "Gründung": _l("Gründung"), "Wissenschaft": _l("Wissenschaft"),
               "Verwaltung": _l("Verwaltung"), "Politik": _l("Politik"), "Sonstige": _l("Sonstige")},
    "outcome_status": {"completed": "badge-ok", "running": "badge-info", "stopped": "badge-warn"},
}


def badge(kind: str, value: str | None) -> str:
    """The CSS class of the badge for a stored state ("" for a plain badge)."""
    return BADGES.get(kind, {}).get(value, "")


def label(kind: str, value: str | None) -> str:
    """The display name of a stored value; unknown values are shown as they are."""
    text = LABELS.get(kind, {}).get(value)
    if text is None:
        return value or ""
    return lazy_text(text)  # a list shows the same few states on every row: translated once


def choices(kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a form's select field."""
    return [(value, label(kind, value)) for value in LABELS[kind]]
