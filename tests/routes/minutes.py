"""Live moderation and minutes: who may moderate, read, move and comment on the minutes.

Every action of the two pages has its own URL, so each has its own row here. Where the world
has nothing for an action to work on, the row expects the answer after the permission check
(404 for a missing comment, 422 for a change the rules refuse): the others still get 403."""
from tests.routes import EVERYONE, OFFICE, Route, allow

WRITERS = allow("moderator", "office")
NOBODY = allow()
MINUTES = "/meetings/<int:meeting_id>/minutes"
MODERATE = "/meetings/<int:meeting_id>/moderate"


def _item_text(world: dict) -> dict:
    return {"item": str(world["agenda_item"].id), "text-text": "Begrüßung durch die Moderation.",
            "text-version": "0"}


def _action_item(world: dict) -> dict:
    return {"action-title": "Angebot einholen", "action-owner_id": str(world["member"].id),
            "action-due_on": "2031-01-15", "action-decision_id": "0"}


def _post(action: str, expect: dict, meeting: str = "meeting", data=None, note: str = "") -> Route:
    return Route(action, expect, method="POST", params={"meeting_id": meeting}, data=data or {},
                 note=note)


ROUTES: list[Route] = [
    Route(MODERATE, WRITERS, params={"meeting_id": "meeting"}),
    _post(MODERATE + "/start", WRITERS),
    _post(MODERATE + "/next", WRITERS),
    _post(MODERATE + "/end", WRITERS),
    _post(MODERATE + "/text", WRITERS, data=_item_text),
    _post(MODERATE + "/decision", WRITERS, data={"decision-text": "Der Lieferdienst wird erprobt."}),
    _post(MODERATE + "/approve-previous", allow("moderator", "office", moderator=422, office=422),
          note="not the approval item: refused by the rules"),
    _post(MODERATE + "/action", WRITERS, data=_action_item),
    _post(MODERATE + "/carried", allow("moderator", "office", moderator=404, office=404),
          data={"carried": "0"}, note="no such carried item"),
    _post(MODERATE + "/refresh-carried", WRITERS),
    Route(MINUTES, EVERYONE, params={"meeting_id": "published"}, note="published"),
    Route(MINUTES, WRITERS, params={"meeting_id": "draft"}, note="draft"),
    Route(MINUTES, WRITERS, params={"meeting_id": "meeting"}, note="no minutes yet"),
    _post(MINUTES + "/start", WRITERS),
    _post(MINUTES + "/submit", WRITERS, meeting="draft", note="submit for review"),
    _post(MINUTES + "/return", WRITERS, meeting="draft", note="refused: not in review"),
    _post(MINUTES + "/approve", OFFICE, meeting="draft", note="refused: not in review"),
    _post(MINUTES + "/publish", OFFICE, meeting="draft", note="refused: not approved"),
    _post(MINUTES + "/text", WRITERS, data=_item_text),
    _post(MINUTES + "/comment", NOBODY, meeting="draft", data={"comment-text": "Bitte ergänzen."},
          note="only while in review"),
    _post(MINUTES + "/answer", allow("moderator", "office", moderator=404, office=404),
          meeting="draft", data={"answer-comment_id": "0", "answer-reply": "Danke."},
          note="no such comment"),
    _post(MINUTES + "/amend", OFFICE, meeting="published",
          data={"amendment-text": "Korrektur: TOP 2 begann um 17 Uhr."}, note="amendment"),
]
