from tests.routes import Route  # noqa: F401

ROUTES: list[Route] = []
