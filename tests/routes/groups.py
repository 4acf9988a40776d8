"""Routes of the groups area: reading for everyone signed in, joining for members,
member management for the group's moderators and the office, the group itself for the office."""
from tests.routes import EVERYONE, OFFICE, Route, allow

A = {"group_id": "group_a"}
B = {"group_id": "group_b"}
GOAL = {"group_id": "group_a", "goal_id": "goal"}
REQUEST = {"group_id": "group_a", "membership_id": "join_request"}
MEMBERSHIP = {"group_id": "group_a", "membership_id": "member_membership"}
MANAGERS_OF_A = allow("moderator", "office")
MEMBERS = allow("member", "moderator", "other_moderator")  # the office and observers join no group

ROUTES: list[Route] = [
    Route("/groups", EVERYONE),
    Route("/groups/<int:group_id>", EVERYONE, params=A),
    Route("/groups/new", OFFICE),
    Route("/groups/new", OFFICE, method="POST",
          data=lambda w: {"name": "Umwelt- und Gesundheitsmanagement", "join_policy": "open",
                          "moderator": w["member"].id}),
    Route("/groups/<int:group_id>/edit", OFFICE, params=A),
    Route("/groups/<int:group_id>/edit", OFFICE, method="POST", params=A,
          data={"name": "Handel der Zukunft", "join_policy": "moderated", "description": "Neu"}),
    Route("/groups/<int:group_id>/archive", OFFICE, method="POST", params=A),
    Route("/groups/<int:group_id>/unarchive", OFFICE, method="POST", params=A),
    Route("/groups/<int:group_id>/goals", OFFICE, params=A),
    Route("/groups/<int:group_id>/goals", OFFICE, method="POST", params=A,
          data={"title": "Zweites Ziel", "status": "open"}),
    Route("/groups/<int:group_id>/goals/<int:goal_id>/edit", OFFICE, params=GOAL),
    Route("/groups/<int:group_id>/goals/<int:goal_id>/edit", OFFICE, method="POST", params=GOAL,
          data={"title": "Geändert", "status": "in_progress"}),
    Route("/groups/<int:group_id>/goals/<int:goal_id>/move", OFFICE, method="POST", params=GOAL,
          data={"direction": "down"}),
    Route("/groups/<int:group_id>/goals/<int:goal_id>/status", OFFICE, method="POST", params=GOAL,
          data={"status": "reached"}),
    Route("/groups/<int:group_id>/goals/<int:goal_id>/delete", MANAGERS_OF_A, params=GOAL),
    Route("/groups/<int:group_id>/goals/<int:goal_id>/delete", MANAGERS_OF_A, method="POST", params=GOAL,
          data={"confirm": "yes"}),
    Route("/groups/<int:group_id>/join", MEMBERS, params=B),
    Route("/groups/<int:group_id>/join", {**MEMBERS, "other_moderator": 422}, method="POST", params=B,
          data={"message": "Hallo"}, note="moderates it already: refused"),
    Route("/groups/<int:group_id>/leave", MEMBERS, method="POST", params=A),
    Route("/groups/<int:group_id>/members", MANAGERS_OF_A, params=A),
    Route("/groups/<int:group_id>/members", MANAGERS_OF_A, method="POST", params=A,
          data=lambda w: {"person": w["other_moderator"].id}),
    Route("/groups/<int:group_id>/memberships/<int:membership_id>/accept", MANAGERS_OF_A, method="POST",
          params=REQUEST),
    Route("/groups/<int:group_id>/memberships/<int:membership_id>/decline", MANAGERS_OF_A, method="POST",
          params=REQUEST),
    Route("/groups/<int:group_id>/memberships/<int:membership_id>/remove", MANAGERS_OF_A, method="POST",
          params=MEMBERSHIP),
    Route("/groups/<int:group_id>/memberships/<int:membership_id>/appoint", MANAGERS_OF_A, method="POST",
          params=MEMBERSHIP),
    Route("/groups/<int:group_id>/memberships/<int:membership_id>/revoke", MANAGERS_OF_A, method="POST",
          params=MEMBERSHIP),
]
