"""Routes of the attendance export × roles (issue 15: guests and attendance)."""
from tests.routes import PUBLIC, ROLES, Route, allow

ORGANIZERS = allow("office", "moderator")  # of the world's meeting, a session of group_a

ROUTES = [
    Route("/meetings/<int:meeting_id>/attendance.csv", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/attendance/all-present", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/sign-in-sheet.pdf", ORGANIZERS, params={"meeting_id": "meeting"}),
]

# guests without accounts (issue 15 point 3): the organizers invite; the guest's signed link is
# her permission, so it works for everyone who holds it, signed in or not
ROUTES += [
    Route("/meetings/<int:meeting_id>/invite/guest", ORGANIZERS, method="POST", params={"meeting_id": "meeting"},
          data={"guest_name": "Rita Referentin", "guest_organization": "Hochschule", "guest_email": "rita@example.org"}),
    Route("/meetings/guest/<token>", PUBLIC, params={"token": "guest_token"}),
    Route("/meetings/guest/<token>", PUBLIC, method="POST", params={"token": "guest_token"},
          data={"answer": "accepted"}),
    # the meeting's materials through her link; an internal one is not hers to see
    Route("/meetings/guest/<token>/materials/<int:material_id>", PUBLIC,
          params={"token": "guest_token", "material_id": "material"}),
    Route("/meetings/guest/<token>/materials/<int:material_id>", dict.fromkeys(ROLES, 404),
          params={"token": "guest_token", "material_id": "internal_material"}, note="internal"),
]

# self check-in (issue 15 point 5): the world's meetings lie ahead, so who may gets 404 (not running)
ROUTES += [
    Route("/meetings/<int:meeting_id>/check-in.svg", allow("office", "moderator", office=404, moderator=404),
          params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/check-in/<token>", allow("member", "moderator", member=404, moderator=404),
          params={"meeting_id": "meeting", "token": "check_in_token"}),
]

# a guest becomes a member: the office alone; the world's guest is a walk-in without an address,
# so the office is refused by the rules (a flash and back to the meeting)
ROUTES += [
    Route("/meetings/<int:meeting_id>/guests/<int:participation_id>/member", allow("office"), method="POST",
          params={"meeting_id": "meeting", "participation_id": "guest"}),
]
