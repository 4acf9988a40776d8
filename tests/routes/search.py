"""Search and the register of decisions: open to everyone signed in; a decision of unpublished
minutes only to whoever may read those minutes (here: the office and the group's moderator)."""
from tests.routes import EVERYONE, Route, allow

ROUTES = [
    Route("/search", EVERYONE),
    Route("/decisions", EVERYONE),
    Route("/decisions/export.csv", EVERYONE),
    Route("/decisions/<int:decision_id>", EVERYONE, params={"decision_id": "published_decision"}),
    Route("/decisions/<int:decision_id>", allow("office", "moderator"),
          params={"decision_id": "draft_decision"}, note="draft minutes"),
]
