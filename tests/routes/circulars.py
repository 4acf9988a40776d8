"""Circulars: everyone signed in has the archive (of what they received); the office writes to
anyone, moderators to their own groups; a sent circular is read by the office, its author and its
recipients; the unsubscribe link works without signing in (the token is the permission)."""
from tests.routes import EVERYONE, PARTICIPANTS, PUBLIC, Route, allow

CIRCULAR = {"circular_id": "circular"}
DRAFT = {"circular_id": "circular_draft"}


def _to_group_a(world: dict) -> dict:
    return {"subject": "Hallo", "body": "Text", "audience": "groups", "group_ids": str(world["group_a"].id)}


ROUTES = [
    Route("/circulars", EVERYONE),
    Route("/circulars/new", allow("office", "moderator", "other_moderator")),
    # another group's moderator is refused at the field (group_a is not theirs)
    Route("/circulars/new", allow("office", "moderator", other_moderator=422), method="POST", data=_to_group_a),
    Route("/circulars/<int:circular_id>", allow("office", "member"), params=CIRCULAR),
    Route("/circulars/<int:circular_id>", allow("office", "moderator"), params=DRAFT, note="draft"),
    Route("/circulars/<int:circular_id>/edit", allow("office", "moderator"), params=DRAFT),
    Route("/circulars/<int:circular_id>/edit", allow("office", "moderator"), method="POST", params=DRAFT,
          data=_to_group_a),
    Route("/circulars/<int:circular_id>/send", allow("office", "moderator"), method="POST", params=DRAFT),
    Route("/profile/circulars", PARTICIPANTS, method="POST", data={"receives": "y"}),
    Route("/circulars/unsubscribe/<token>", PUBLIC, params={"token": "unsubscribe_token"}),
    Route("/circulars/unsubscribe/<token>", PUBLIC, method="POST", params={"token": "unsubscribe_token"}),
]
