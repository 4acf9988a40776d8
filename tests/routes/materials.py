"""Materials × roles: everyone signed in sees the meeting's materials; an internal one only those
who manage the meeting (the office, the group's moderator); the office and the group's moderator
add to the group meeting (an agenda item's presenter to that item, tested in test_materials.py)."""
from tests.routes import EVERYONE, Route, allow

ORGANIZERS = allow("office", "moderator")


def _pdf(world: dict) -> dict:
    import io
    return {"title": "Folien", "upload": (io.BytesIO(b"%PDF-1.4\nx\n"), "folien.pdf")}


ROUTES = [
    Route("/meetings/<int:meeting_id>/materials/new", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/materials/new", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting"}, data=_pdf),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>/materials/new", ORGANIZERS,
          params={"meeting_id": "meeting", "item_id": "agenda_item"}),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>/materials/new", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting", "item_id": "agenda_item"}, data=_pdf),
    Route("/materials/<int:material_id>", EVERYONE, params={"material_id": "material"}),
    Route("/materials/<int:material_id>", ORGANIZERS,
          params={"material_id": "internal_material"}, note="internal"),
    Route("/materials/<int:material_id>", ORGANIZERS, method="POST", params={"material_id": "material"},
          data=_pdf, note="new version"),
    Route("/materials/<int:material_id>/versions/<int:number>", EVERYONE,
          params={"material_id": "material", "number": "version_one"}),
    Route("/materials/<int:material_id>/versions/<int:number>",
          ORGANIZERS,
          params={"material_id": "internal_material", "number": "version_one"}, note="internal"),
    Route("/materials/<int:material_id>/delete", ORGANIZERS, params={"material_id": "material"}),
    Route("/materials/<int:material_id>/delete", ORGANIZERS, method="POST", params={"material_id": "material"},
          data={"confirm": "yes"}),
]
