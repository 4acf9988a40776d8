"""Routes of the meetings area (planning, agenda, invitations, attendance) × roles."""
from portal.responses import INVALID
from tests.routes import EVERYONE, Route, allow

ORGANIZERS = allow("office", "moderator")  # of the world's meeting, a session of group_a
PLANNERS = allow("office", "moderator", "other_moderator")  # anyone who moderates a group
INVITEES = allow("member", "moderator")  # of the world's meeting


def _new_meeting(world: dict) -> dict:
    return {"series": str(world["group_a"].id), "title": "Neue Sitzung", "day": "2031-02-03",
            "start_time": "16:00", "end_time": "18:00"}


def _edit_meeting(world: dict) -> dict:
    return {"title": "Sitzung Handel, geändert", "day": "2030-05-04", "start_time": "17:00",
            "end_time": "19:00", "organizer_id": "0", "moderator_id": "0", "minute_taker_id": "0"}


def _agenda_item(world: dict) -> dict:
    return {"title": "Bericht", "kind": "information", "planned_minutes": "10", "presenter_id": "0"}


ROUTES = [
    Route("/meetings", EVERYONE),
    Route("/meetings/<int:meeting_id>", EVERYONE, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>", EVERYONE, params={"meeting_id": "plenary"}, note="plenary"),
    Route("/meetings/new", PLANNERS),
    Route("/meetings/new", ORGANIZERS, method="POST", data=_new_meeting, note="group session"),
    Route("/meetings/new", allow("office"), method="POST", note="plenary",
          data=lambda w: dict(_new_meeting(w), series="plenary")),
    Route("/meetings/<int:meeting_id>/edit", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/edit", allow("office"), params={"meeting_id": "plenary"},
          note="plenary"),
    Route("/meetings/<int:meeting_id>/edit", ORGANIZERS, method="POST", params={"meeting_id": "meeting"},
          data=_edit_meeting),
    Route("/meetings/<int:meeting_id>/cancel", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/cancel", ORGANIZERS, method="POST", params={"meeting_id": "meeting"},
          data={"reason": "Raum nicht verfügbar"}),
    Route("/meetings/<int:meeting_id>/delete", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/delete", ORGANIZERS, method="POST", params={"meeting_id": "meeting"},
          data={"confirm": "yes"}),
    Route("/meetings/<int:meeting_id>/held", ORGANIZERS, method="POST", params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/agenda", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/agenda", ORGANIZERS, method="POST", params={"meeting_id": "meeting"},
          data=_agenda_item),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>", ORGANIZERS,
          params={"meeting_id": "meeting", "item_id": "agenda_item"}),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting", "item_id": "agenda_item"}, data=_agenda_item),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting", "item_id": "agenda_item"}, data={"direction": "down"}),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>/delete", ORGANIZERS,
          params={"meeting_id": "meeting", "item_id": "agenda_item"}),
    Route("/meetings/<int:meeting_id>/agenda/<int:item_id>/delete", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting", "item_id": "agenda_item"}, data={"confirm": "yes"}),
    Route("/meetings/<int:meeting_id>/agenda/send", ORGANIZERS, method="POST", params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/invite", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/invite", ORGANIZERS, method="POST", params={"meeting_id": "meeting"},
          data={"series_members": "y"}),
    Route("/meetings/<int:meeting_id>/rsvp", INVITEES, method="POST", params={"meeting_id": "meeting"},
          data={"answer": "accepted"}),
    Route("/meetings/<int:meeting_id>/attendance", ORGANIZERS, params={"meeting_id": "meeting"}),
    Route("/meetings/<int:meeting_id>/attendance", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting"}),
    # allowed, and refused at the form (422): the world's meeting has not begun
    Route("/meetings/<int:meeting_id>/attendance/guests", allow(office=INVALID, moderator=INVALID), method="POST",
          params={"meeting_id": "meeting"}, data={"guest_name": "Prof. Gast", "guest_organization": "IAT"}),
    Route("/meetings/<int:meeting_id>/attendance/members", ORGANIZERS, method="POST",
          params={"meeting_id": "meeting"}, data=lambda w: {"person_id": str(w["office"].id)}),
    Route("/meetings/<int:meeting_id>/attendance/guests/<int:participation_id>/delete", ORGANIZERS,
          params={"meeting_id": "meeting", "participation_id": "guest"}),
    Route("/meetings/<int:meeting_id>/attendance/guests/<int:participation_id>/delete", ORGANIZERS,
          method="POST", params={"meeting_id": "meeting", "participation_id": "guest"}, data={"confirm": "yes"}),
]
