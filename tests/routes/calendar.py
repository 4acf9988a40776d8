"""Calendar routes. The feeds are public (calendar programs cannot log in): the secret token
is the authorization, so every role, anonymous too, gets the member's feed with the member's
token, and 404 with a token that belongs to nobody."""
from tests.routes import EVERYONE, PUBLIC, ROLES, Route

NOT_FOUND = {role: 404 for role in ROLES}

ROUTES: list[Route] = [
    Route("/meetings/<int:meeting_id>.ics", EVERYONE, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>.ics", EVERYONE, params={"meeting_id": "plenary"},
          note="plenary"),
    Route("/calendar/<token>.ics", PUBLIC, params={"token": "member_token"}),
    Route("/calendar/<token>.ics", NOT_FOUND, params={"token": "unknown_token"},
          note="unknown token"),
    Route("/groups/<int:group_id>/calendar/<token>.ics", PUBLIC,
          params={"group_id": "group_b", "token": "member_token"}),
    Route("/groups/<int:group_id>/calendar/<token>.ics", NOT_FOUND,
          params={"group_id": "group_a", "token": "unknown_token"}, note="unknown token"),
    Route("/profile/calendar-token", EVERYONE, method="POST"),
]
