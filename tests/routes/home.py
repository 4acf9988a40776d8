from tests.routes import EVERYONE, PUBLIC, Route

ROUTES = [
    Route("/", EVERYONE),
    Route("/healthz", PUBLIC),
    Route("/login", {**PUBLIC, **{r: 302 for r in EVERYONE if r != "anonymous"}}),
    Route("/login", PUBLIC, method="POST", data={"email": "x@example.org", "password": "falsch"}, note="failed"),
    Route("/logout", {r: 302 for r in PUBLIC}, method="POST"),
    Route("/language", {r: 302 for r in PUBLIC}, method="POST", data={"locale": "en"}),
]
