"""Routes of the actions area × roles. Everyone signed in reads every item; the owner, the
group's moderators and the office change it; cancel, reopen and edit are for moderators and office."""
from tests.routes import EVERYONE, Route, allow

MANAGERS = allow("moderator", "office")
UPDATERS = allow("member", "moderator", "office")  # `action` is the member's item in group_a


def _item_fields(world: dict) -> dict:
    return {"title": "Flyer drucken", "owner": world["member"].id, "due_on": "2030-02-01"}


ROUTES: list[Route] = [
    Route("/actions", EVERYONE),
    Route("/actions/mine", EVERYONE),
    Route("/actions/export.csv", EVERYONE),
    Route("/actions/new", allow("moderator", "other_moderator", "office")),
    Route("/actions/new", MANAGERS, method="POST",
          data=lambda w: {"group": w["group_a"].id, **_item_fields(w)}),
    Route("/actions/<int:action_id>", EVERYONE, params={"action_id": "action"}),
    Route("/actions/<int:action_id>/update", UPDATERS, method="POST", params={"action_id": "action"},
          data={"update-status": "in_progress", "update-comment": "Angefangen"}, note="update"),
    Route("/actions/<int:action_id>/cancel", MANAGERS, method="POST", params={"action_id": "action"},
          data={"cancel-reason": "Nicht mehr nötig"}, note="cancel"),
    Route("/actions/<int:action_id>/reopen", MANAGERS, method="POST", params={"action_id": "closed_action"},
          data={"reopen-status": "open", "reopen-comment": "Doch noch nicht fertig"}, note="reopen"),
    Route("/actions/<int:action_id>/edit", MANAGERS, params={"action_id": "action"}),
    Route("/actions/<int:action_id>/edit", MANAGERS, method="POST", params={"action_id": "action"},
          data=_item_fields),
]
