"""Routes of the report's full lists × roles: the meetings and decisions of a period behind the
dashboard's summaries. Who reads the dashboard reads them (office and observers), nobody else."""
from tests.routes import READERS_OF_REPORTS, Route

ROUTES: list[Route] = [
    Route("/reports/meetings", READERS_OF_REPORTS),
    Route("/reports/decisions", READERS_OF_REPORTS),
]
