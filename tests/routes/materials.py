"""Materials × roles: everyone signed in sees the meeting's materials; an internal one only those
who manage the meeting (the office, the group's moderator); the office and the group's moderator
add to the group meeting (an agenda item's presenter to that item, tested in test_materials.py)."""
from portal.responses import INVALID
from tests.routes import EVERYONE, Route, allow

ORGANIZERS = allow("office", "moderator")


LINK = {"title": "Folien", "url": "https://example.org/folien.pdf"}
# a version without a file is refused at the field (the upload itself: tests/test_materials.py); a file
# here would be read once only, and test_hardening posts every row's data many times
VERSION_REFUSED = allow("office", "moderator", office=INVALID, moderator=INVALID)


ROUTES = [
    Route("/meetings/<int:meeting_id>/materials/new", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/materials/new", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting"}, data=LINK),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>/materials/new", ORGANIZERS,
          params={"meeting_id": "meeting", "item_id": "agenda_item"}),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>/materials/new", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting", "item_id": "agenda_item"}, data=LINK),
    Route("/materials/<int:material_id>", EVERYONE, params={"material_id": "material"}),
    Route("/materials/<int:material_id>", ORGANIZERS,
          params={"material_id": "internal_material"}, note="internal"),
    Route("/materials/<int:material_id>", VERSION_REFUSED, method="POST", params={"material_id": "material"},
          note="new version without a file"),
    Route("/materials/<int:material_id>/versions/<int:number>", EVERYONE,
          params={"material_id": "material", "number": "version_one"}),
    Route("/materials/<int:material_id>/versions/<int:number>",
          ORGANIZERS,
          params={"material_id": "internal_material", "number": "version_one"}, note="internal"),
    Route("/materials/<int:material_id>/delete", ORGANIZERS, params={"material_id": "material"}),
    Route("/materials/<int:material_id>/delete", ORGANIZERS, method="POST", params={"material_id": "material"},
          data={"confirm": "yes"}),
]

# materials on an action item (`action`: the member's item in group_a): its owner, the group's
# moderator and the office add and manage them; everyone signed in sees them, "intern" only the
# office and the group's moderator
ON_ACTION = allow("member", "moderator", "office")
ON_ACTION_REFUSED = allow("member", "moderator", "office", member=INVALID, moderator=INVALID, office=INVALID)
ROUTES += [
    Route("/actions/<int:action_id>/materials/new", ON_ACTION, params={"action_id": "action"}),
    Route("/actions/<int:action_id>/materials/new", ON_ACTION, method="POST", params={"action_id": "action"},
          data=LINK),
    Route("/materials/<int:material_id>", EVERYONE, params={"material_id": "action_material"},
          note="on an action item"),
    Route("/materials/<int:material_id>", ORGANIZERS, params={"material_id": "internal_action_material"},
          note="internal on an action item"),
    Route("/materials/<int:material_id>", ON_ACTION_REFUSED, method="POST",
          params={"material_id": "action_material"}, note="new version on an action item without a file"),
    Route("/materials/<int:material_id>/versions/<int:number>", EVERYONE,
          params={"material_id": "action_material", "number": "version_one"}, note="on an action item"),
    Route("/materials/<int:material_id>/versions/<int:number>", ORGANIZERS,
          params={"material_id": "internal_action_material", "number": "version_one"},
          note="internal on an action item"),
    Route("/materials/<int:material_id>/delete", ON_ACTION, params={"material_id": "action_material"},
          note="on an action item"),
    Route("/materials/<int:material_id>/delete", ON_ACTION, method="POST",
          params={"material_id": "action_material"}, data={"confirm": "yes"}, note="on an action item"),
]
