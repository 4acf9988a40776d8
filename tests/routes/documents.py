"""Route × role table of the documents area (minutes PDF)."""
from tests.routes import EVERYONE, Route, allow

ROUTES: list[Route] = [
    Route("/meetings/<int:meeting_id>/minutes.pdf", EVERYONE, params={"meeting_id": "published"},
          note="published"),
    Route("/meetings/<int:meeting_id>/minutes.pdf", allow("moderator", "office"),
          params={"meeting_id": "draft"}, note="draft"),
    Route("/meetings/<int:meeting_id>/minutes.pdf", allow(other_moderator=403),
          params={"meeting_id": "meeting"}, note="no minutes yet"),
    # minutes PDFs the worker made (progress page, ?download=1): whoever may see the minutes
    Route("/meetings/<int:meeting_id>/minutes/pdf/<int:stored_id>", EVERYONE,
          params={"meeting_id": "published", "stored_id": "stored_minutes"}, note="published"),
    Route("/meetings/<int:meeting_id>/minutes/pdf/<int:stored_id>", allow("moderator", "office"),
          params={"meeting_id": "draft", "stored_id": "stored_draft_minutes"}, note="draft"),
]
