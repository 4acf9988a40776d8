"""Routes of the person fields × roles (issue 21). The suggestions of the default pool (who can own
an action item, run or present in a meeting) are for those who take part; observers pick nobody.
The other pools (the owner filter of /actions for every reader, a group's candidates for who manages
the group, a meeting's pools for who runs it) are walked in tests/test_person_field.py."""
from tests.routes import EVERYONE, OFFICE, PARTICIPANTS, Route

ROUTES: list[Route] = [
    Route("/people/suggest", PARTICIPANTS),
    Route("/organizations/suggest", OFFICE),
    Route("/actions/meetings/suggest", EVERYONE),  # the meeting filter of /actions, for every reader  # the organization of a person, in the office's forms
]
