"""Live moderation and minutes: who may moderate, read, move and comment on the minutes."""
from tests.routes import EVERYONE, OFFICE, Route, allow

WRITERS = allow("moderator", "office")

ROUTES: list[Route] = [
    Route("/meetings/<int:meeting_id>/moderate", WRITERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/moderate", WRITERS, method="POST",
          params={"meeting_id": "meeting"}, data={"do": "next"}),
    Route("/meetings/<int:meeting_id>/minutes", EVERYONE, params={"meeting_id": "published"},
          note="published"),
    Route("/meetings/<int:meeting_id>/minutes", WRITERS, params={"meeting_id": "draft"},
          note="draft"),
    Route("/meetings/<int:meeting_id>/minutes", WRITERS, params={"meeting_id": "meeting"},
          note="no minutes yet"),
    Route("/meetings/<int:meeting_id>/minutes", WRITERS, method="POST",
          params={"meeting_id": "draft"}, data={"do": "submit"}, note="submit for review"),
    Route("/meetings/<int:meeting_id>/minutes", OFFICE, method="POST",
          params={"meeting_id": "published"},
          data={"do": "amend", "amendment-text": "Korrektur: TOP 2 begann um 17 Uhr."},
          note="amendment"),
]
