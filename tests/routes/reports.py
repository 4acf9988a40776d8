"""Routes of the reports area × roles. Office and observers read the report and export it;
only the office writes (narratives, outcomes) and deletes outcomes and milestones: every write
route answers 403 to observers.
Outcomes are readable by everyone signed in (they also show on group pages)."""
from tests.routes import EVERYONE, OFFICE, READERS_OF_REPORTS, Route

PERIOD = "?start=2020-01-01&end=2020-12-31"
MILESTONE = {"outcome_id": "outcome", "milestone_id": "milestone"}


def _outcome_fields(world: dict) -> dict:
    return {"title": "Louise", "status": "running", "group": str(world["group_a"].id),
            "milestones-0-title": "Pilot", "milestones-0-due_on": "2020-06-01"}


ROUTES: list[Route] = [
    Route("/reports", READERS_OF_REPORTS),
    Route("/reports", OFFICE, method="POST", data={"text": "Ein gutes Jahr."}),
    Route("/reports/progress.pdf", READERS_OF_REPORTS),
    Route("/reports/export.csv", READERS_OF_REPORTS),
    Route("/reports/documents/<int:stored_id>", READERS_OF_REPORTS, params={"stored_id": "stored_report"}),
    Route("/outcomes", EVERYONE),
    Route("/outcomes/<int:outcome_id>", EVERYONE, params={"outcome_id": "outcome"}),
    Route("/outcomes/new", OFFICE),
    Route("/outcomes/new", OFFICE, method="POST", data=_outcome_fields),
    Route("/outcomes/<int:outcome_id>/edit", OFFICE, params={"outcome_id": "outcome"}),
    Route("/outcomes/<int:outcome_id>/edit", OFFICE, method="POST", params={"outcome_id": "outcome"},
          data=_outcome_fields),
    Route("/outcomes/<int:outcome_id>/delete", OFFICE, params={"outcome_id": "outcome"}),
    Route("/outcomes/<int:outcome_id>/delete", OFFICE, method="POST", params={"outcome_id": "outcome"},
          data={"confirm": "yes"}),
    Route("/outcomes/<int:outcome_id>/milestones/<int:milestone_id>/delete", OFFICE, params=MILESTONE),
    Route("/outcomes/<int:outcome_id>/milestones/<int:milestone_id>/delete", OFFICE, method="POST",
          params=MILESTONE, data={"confirm": "yes"}),
]
