"""Route × role table of the documents area (minutes PDF)."""
from tests.routes import EVERYONE, Route, allow

ROUTES: list[Route] = [
    Route("/meetings/<int:meeting_id>/minutes.pdf", EVERYONE, params={"meeting_id": "published"},
          note="published"),
    Route("/meetings/<int:meeting_id>/minutes.pdf", allow("moderator", "office"),
          params={"meeting_id": "draft"}, note="draft"),
    Route("/meetings/<int:meeting_id>/minutes.pdf", allow(other_moderator=403),
          params={"meeting_id": "meeting"}, note="no minutes yet"),
]
