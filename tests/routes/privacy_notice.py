"""The privacy notice: anyone reads it (also before signing in, it is linked from every mail);
everyone signed in takes note of it; only the office writes a new version."""
from tests.routes import EVERYONE, OFFICE, PUBLIC, Route

ROUTES = [
    Route("/privacy-notice", PUBLIC),
    Route("/privacy-notice/accept", EVERYONE, method="POST", data={"version": "1"}),
    Route("/privacy-notice/edit", OFFICE),
    Route("/privacy-notice/edit", OFFICE, method="POST", data={"text": "Neue Hinweise."}),
]
