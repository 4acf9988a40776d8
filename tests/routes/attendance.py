"""Routes of the attendance export × roles (issue 15: guests and attendance)."""
from tests.routes import Route, allow

ORGANIZERS = allow("office", "moderator")  # of the world's meeting, a session of group_a

ROUTES = [
    Route("/meetings/<int:meeting_id>/attendance.csv", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/attendance/all-present", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/sign-in-sheet.pdf", ORGANIZERS, params={"meeting_id": "meeting"}),
]
