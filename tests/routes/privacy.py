from tests.routes import OFFICE, SIGNED_IN, Route, allow

_PERSON = {"person_id": "member"}
# everyone signed in (observers too) sees and asks for their own data; the ZIP exists only once built
EVERYONE_OWN = allow(*SIGNED_IN)

ROUTES = [
    Route("/profile/data", EVERYONE_OWN),
    Route("/profile/data", EVERYONE_OWN, method="POST"),
    Route("/profile/data.zip", allow(*SIGNED_IN, **{r: 404 for r in SIGNED_IN}), note="nothing built yet: 404"),
    Route("/members/<int:person_id>/data", OFFICE, params=_PERSON),
    Route("/members/<int:person_id>/data", OFFICE, method="POST", params=_PERSON),
    Route("/members/<int:person_id>/data.zip", {**OFFICE, "office": 404}, params=_PERSON,
          note="nothing built yet: 404"),
    Route("/members/<int:person_id>/erase", OFFICE, params=_PERSON),
    Route("/members/<int:person_id>/erase", OFFICE, method="POST", params=_PERSON, note="without confirm: the question"),
]
