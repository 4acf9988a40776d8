from tests.routes import EVERYONE, OFFICE, PARTICIPANTS, Route

_PERSON = {"person_id": "member"}
_ORG = {"organization_id": "org"}

ROUTES: list[Route] = [
    Route("/members", EVERYONE),
    Route("/members/<int:person_id>", EVERYONE, params=_PERSON),
    Route("/members/<int:person_id>/edit", OFFICE, params=_PERSON),
    Route("/members/<int:person_id>/edit", OFFICE, method="POST", params=_PERSON,
          data={"name": "Mia Mitglied", "email": "mia@example.org", "function": "Inhaberin",
                "phone": "", "role": "member", "organization_id": "0", "new_sector": "Sonstige"}),
    Route("/members/<int:person_id>/deactivate", OFFICE, method="POST", params=_PERSON),
    Route("/members/<int:person_id>/reactivate", OFFICE, method="POST", params=_PERSON,
          note="already active: message"),
    Route("/members/<int:person_id>/invitation", OFFICE, method="POST", params=_PERSON,
          note="has an account: message"),
    Route("/members/<int:person_id>/invitation/revoke", OFFICE, method="POST", params=_PERSON,
          note="nothing pending: message"),
    Route("/members/new", OFFICE),
    Route("/members/new", OFFICE, method="POST",
          data={"name": "Nina Neu", "email": "nina.neu@example.org", "role": "member",
                "organization_id": "0", "new_organization": "", "new_sector": "Sonstige"}),
    Route("/members/import", OFFICE),
    Route("/members/import", {**OFFICE, "office": 422}, method="POST", note="no file: form error"),
    Route("/members/export.csv", EVERYONE),
    Route("/profile", EVERYONE),
    Route("/profile", PARTICIPANTS, method="POST",
          data={"name": "Neuer Name", "function": "", "phone": "", "locale": "de", "organization_id": "0",
                "new_sector": "Sonstige"}),
    Route("/organizations", EVERYONE),
    Route("/organizations/<int:organization_id>", EVERYONE, params=_ORG),
    Route("/organizations/<int:organization_id>/edit", OFFICE, params=_ORG),
    Route("/organizations/<int:organization_id>/edit", OFFICE, method="POST", params=_ORG,
          data={"name": "Tischlerei Beispiel", "sector": "Handwerk", "address": "", "website": ""}),
]
