from tests.routes import EVERYONE, PUBLIC, Route

ROUTES = [
    Route("/", EVERYONE),
    Route("/healthz", PUBLIC),
    Route("/login", {**PUBLIC, **{r: 302 for r in EVERYONE if r != "anonymous"}}),
    Route("/login", {**PUBLIC, "anonymous": 422}, method="POST", data={"email": "x@example.org", "password": "falsch"},
          note="failed"),
    Route("/logout", {r: 302 for r in PUBLIC}, method="POST"),
    Route("/language", {r: 302 for r in PUBLIC}, method="POST", data={"locale": "en"}),
]

# invitation and password reset (members/auth area): public pages; a forged link gets a clear
# page with status 400 for everyone, the reset request the same answer for every address
_FORGED = {"token": "unknown_token"}
_BAD_LINK = {role: 400 for role in PUBLIC}
ROUTES += [
    Route("/invite/<token>", _BAD_LINK, params=_FORGED, note="forged"),
    Route("/invite/<token>", _BAD_LINK, method="POST", params=_FORGED, note="forged",
          data={"password": "lang-genug-123", "confirm": "lang-genug-123", "accept_privacy": "y"}),
    Route("/reset", PUBLIC),
    Route("/reset", PUBLIC, method="POST", data={"email": "niemand@example.org"}),
    Route("/reset/<token>", _BAD_LINK, params=_FORGED, note="forged"),
    Route("/reset/<token>", _BAD_LINK, method="POST", params=_FORGED, note="forged",
          data={"password": "lang-genug-123", "confirm": "lang-genug-123"}),
]
