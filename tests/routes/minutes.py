"""Live moderation and minutes: who may moderate, read, move and comment on the minutes.

Every action of the two pages has its own URL, so each has its own row here. Where the world
has nothing for an action to work on, the row expects the answer after the permission check
(404 for a missing comment, 422 for a change the rules refuse): the others still get 403.
`meeting_lead` moderates the plenary and takes the minutes of the group meeting without any group
rights: the rows of those two meetings name what that part alone allows."""
from tests.routes import EVERYONE, OFFICE, Route, allow

WRITERS = allow("moderator", "office")
# the group meeting ("meeting"): its group's moderator, the office and its minute-taker
RUNNERS = allow("moderator", "office", meeting_lead="ok")
# the plenary: the office and the person given its moderation; no group moderator
PLENARY = allow("office", meeting_lead="ok")
# who may act, but the rules refuse it here (both meetings lie ahead: before their day nothing starts)
REFUSED = allow("moderator", "office", moderator=422, office=422, meeting_lead=422)
NOBODY = allow()
MINUTES = "/meetings/<int:meeting_id>/minutes"
MODERATE = "/meetings/<int:meeting_id>/moderate"


def _item_text(world: dict, item: str = "agenda_item") -> dict:
    return {"item": str(world[item].id), "text-text": "Begrüßung durch die Moderation.",
            "text-version": "0"}


def _plenary_text(world: dict) -> dict:
    return _item_text(world, "plenary_item")


def _action_item(world: dict) -> dict:
    return {"action-title": "Angebot einholen", "action-owner_id": str(world["member"].id),
            "action-due_on": "2031-01-15", "action-decision_id": "0"}


def _post(action: str, expect: dict, meeting: str = "meeting", data=None, note: str = "") -> Route:
    return Route(action, expect, method="POST", params={"meeting_id": meeting}, data=data or {},
                 note=note)


ROUTES: list[Route] = [
    Route(MODERATE, RUNNERS, params={"meeting_id": "meeting"}),
    Route(MODERATE, PLENARY, params={"meeting_id": "plenary"}, note="plenary"),
    _post(MODERATE + "/start", REFUSED, note="refused: preparation"),
    _post(MODERATE + "/next", REFUSED, note="refused: preparation"),
    _post(MODERATE + "/next", allow("office", office=422, meeting_lead=422), meeting="plenary",
          note="plenary, refused: preparation"),
    _post(MODERATE + "/end", RUNNERS),
    _post(MODERATE + "/open", RUNNERS, data=lambda w: {**_item_text(w), "to": str(w["agenda_item"].id)},
          note="another item, after saving the text"),
    _post(MODERATE + "/finish", REFUSED, note="refused: the last item has not begun"),
    _post(MODERATE + "/text", RUNNERS, data=_item_text),
    _post(MODERATE + "/text", PLENARY, meeting="plenary", data=_plenary_text, note="plenary"),
    _post(MODERATE + "/decision", RUNNERS, data={"decision-text": "Der Lieferdienst wird erprobt."}),
    _post(MODERATE + "/approve-previous", REFUSED,
          note="not the approval item: refused by the rules"),
    _post(MODERATE + "/action", RUNNERS, data=_action_item),
    _post(MODERATE + "/carried", allow("moderator", "office", moderator=404, office=404, meeting_lead=404),
          data={"carried": "0"}, note="no such carried item"),
    _post(MODERATE + "/refresh-carried", RUNNERS),
    Route(MINUTES, EVERYONE, params={"meeting_id": "published"}, note="published"),
    Route(MINUTES, WRITERS, params={"meeting_id": "draft"}, note="draft"),
    Route(MINUTES, RUNNERS, params={"meeting_id": "meeting"}, note="no minutes yet"),
    Route(MINUTES, PLENARY, params={"meeting_id": "plenary"}, note="plenary, no minutes yet"),
    _post(MINUTES + "/start", RUNNERS),
    _post(MINUTES + "/submit", WRITERS, meeting="draft", note="submit for review"),
    _post(MINUTES + "/return", WRITERS, meeting="draft", note="refused: not in review"),
    _post(MINUTES + "/approve", allow("office", office=422), meeting="draft",
          note="refused: not in review (the page again)"),
    _post(MINUTES + "/submit", allow("moderator", "office", moderator=422, office=422), meeting="draft",
          data={"submit-days": "0"}, note="refused: a review of no days"),
    _post(MINUTES + "/publish", OFFICE, meeting="draft", note="refused: not approved"),
    _post(MINUTES + "/text", RUNNERS, data=_item_text),
    _post(MINUTES + "/comment", NOBODY, meeting="draft", data={"comment-text": "Bitte ergänzen."},
          note="only while in review"),
    _post(MINUTES + "/answer", allow("moderator", "office", moderator=404, office=404),
          meeting="draft", data={"answer-comment_id": "0", "answer-reply": "Danke."},
          note="no such comment"),
    _post(MINUTES + "/amend", OFFICE, meeting="published",
          data={"amendment-text": "Korrektur: TOP 2 begann um 17 Uhr."}, note="amendment"),
]
