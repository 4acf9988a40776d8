"""Routes of the funding phases and their Sachbericht × roles: the office writes, the mayor's
office (observer) reads the phases and their reports; members see none of it."""
from tests.routes import OFFICE, READERS_OF_REPORTS, Route

PHASE = {"phase_id": "phase"}


def _phase_fields(world: dict) -> dict:
    return {"name": "Anschlussförderung 2020–2021", "starts_on": "2020-01-01", "ends_on": "2021-12-31",
            "funder": "Bundesministerium", "reference": "03K5678"}


ROUTES: list[Route] = [
    Route("/reports/phases", READERS_OF_REPORTS),
    Route("/reports/phases/new", OFFICE),
    Route("/reports/phases/new", OFFICE, method="POST", data=_phase_fields),
    Route("/reports/phases/<int:phase_id>/edit", OFFICE, params=PHASE),
    Route("/reports/phases/<int:phase_id>/edit", OFFICE, method="POST", params=PHASE, data=_phase_fields),
    Route("/reports/phases/<int:phase_id>/sachbericht", OFFICE, params=PHASE),
    Route("/reports/phases/<int:phase_id>/sachbericht", OFFICE, method="POST", params=PHASE,
          data={"situation": "Die Ausgangslage."}),
    Route("/reports/phases/<int:phase_id>/delete", OFFICE, params=PHASE),
    Route("/reports/phases/<int:phase_id>/delete", OFFICE, method="POST", params=PHASE, data={"confirm": "yes"}),
]
