"""What is searchable: one `Kind` per sort of thing, and which changed objects touch which documents.

A kind loads its documents for a set of ids in one query (`load`, in a session of its own on
the flushing connection: objects loaded while the portal's session flushes would clash with its own); `TOUCHES` maps a model class to
the documents a change of one of its objects makes stale. Another area makes its things searchable
with one `register(...)` call and one `touches(...)` call.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from portal.actions.models import ActionItem
from portal.groups.models import GroupGoal, WorkingGroup
from portal.meetings.models import AgendaItem, Decision, Meeting
from portal.members.models import Organization, Person
from portal.reports.models import Outcome
from portal.text import plain_text

Ref = tuple[str, int]  # (kind, object id)


@dataclass(frozen=True)
class Kind:
    name: str
    label: object  # lazy text, plural: the heading of the kind's hits
    load: Callable[[Session, Iterable[int]], list[dict]]


KINDS: dict[str, Kind] = {}
TOUCHES: dict[type, Callable[[object], list[Ref]]] = {}


def register(name: str, label, load: Callable[[Session, Iterable[int]], list[dict]]) -> None:
    KINDS[name] = Kind(name, label, load)


def touches(model: type, refs: Callable[[object], list[Ref]]) -> None:
    TOUCHES[model] = refs


def refs_of(obj) -> list[Ref]:
    refs = TOUCHES.get(type(obj))
    return refs(obj) if refs else []


def all_ids(session: Session, kind: str) -> list[int]:
    """Every id a kind could index (for a rebuild)."""
    return list(session.scalars(select(_MODELS[kind].id)))


def _doc(kind: str, obj_id: int, path: str, title: str, body: str = "", *, context: str = "",
         reference: str = "", group_id=None, year=None, meeting_id=None, restricted=False,
         dated_at=None) -> dict:
    return {"kind": kind, "object_id": obj_id, "path": path, "title": title[:300], "body": plain_text(body),
            "context": context[:400], "reference": reference[:40], "group_id": group_id, "year": year,
            "meeting_id": meeting_id, "restricted": restricted, "dated_at": dated_at}


def _minutes_restricted(meeting: Meeting) -> bool:
    return not meeting.minutes_published


def _decisions(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(Decision).where(Decision.id.in_(ids))
                              .options(joinedload(Decision.meeting), joinedload(Decision.agenda_item)))
    return [_doc("decision", d.id, f"/decisions/{d.id}", d.agenda_item.title if d.agenda_item else "",
                 d.text, context=d.meeting.title, reference=d.reference, group_id=d.meeting.group_id,
                 year=d.meeting.starts_at.year, meeting_id=d.meeting_id,
                 restricted=_minutes_restricted(d.meeting), dated_at=d.meeting.starts_at)
            for d in rows]


def _minutes(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(AgendaItem).where(AgendaItem.id.in_(ids), AgendaItem.minutes_text != "")
                              .options(joinedload(AgendaItem.meeting)))
    return [_doc("minutes", i.id, f"/meetings/{i.meeting_id}/minutes#agenda-item-{i.id}", i.title,
                 i.minutes_text, context=i.meeting.title, reference=str(i.position),
                 group_id=i.meeting.group_id, year=i.meeting.starts_at.year, meeting_id=i.meeting_id,
                 restricted=_minutes_restricted(i.meeting), dated_at=i.meeting.starts_at)
            for i in rows]


def _meetings(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(Meeting).where(Meeting.id.in_(ids))
                              .options(selectinload(Meeting.agenda_items), joinedload(Meeting.group)))
    return [_doc("meeting", m.id, f"/meetings/{m.id}", m.title,
                 "\n".join([m.location, m.room, *(f"{i.title}\n{i.description}" for i in m.agenda_items)]),
                 context=m.group.name if m.group else "", reference=str(m.number or ""), group_id=m.group_id, year=m.starts_at.year,
                 meeting_id=m.id, dated_at=m.starts_at)
            for m in rows]


def _actions(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(ActionItem).where(ActionItem.id.in_(ids)).options(joinedload(ActionItem.owner)))
    return [_doc("action", a.id, f"/actions/{a.id}", a.title, a.description, context=a.owner.name,
                 group_id=a.group_id, year=a.due_on.year, dated_at=a.created_at)
            for a in rows]


def _groups(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(WorkingGroup).where(WorkingGroup.id.in_(ids)))
    return [_doc("group", g.id, f"/groups/{g.id}", g.name, f"{g.short_name}\n{g.description}",
                 group_id=g.id, dated_at=g.created_at) for g in rows]


def _goals(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(GroupGoal).where(GroupGoal.id.in_(ids)).options(joinedload(GroupGoal.group)))
    return [_doc("goal", g.id, f"/groups/{g.group_id}", g.title, g.description, context=g.group.name,
                 group_id=g.group_id, year=g.reached_on.year if g.reached_on else None)
            for g in rows]


def _outcomes(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(Outcome).where(Outcome.id.in_(ids)).options(joinedload(Outcome.group)))
    return [_doc("outcome", o.id, f"/outcomes/{o.id}", o.title, f"{o.description}\n{o.partners}",
                 context=o.group.name if o.group else "", group_id=o.group_id, dated_at=o.created_at)
            for o in rows]


def _people(session: Session, ids) -> list[dict]:
    """Active people only, with what their page shows everyone: name, function, organization
    (never contact data)."""
    rows = session.scalars(select(Person).where(Person.id.in_(ids), Person.active.is_(True))
                              .options(joinedload(Person.organization)))
    return [_doc("person", p.id, f"/members/{p.id}", p.name, p.function,
                 context=p.organization.name if p.organization else "") for p in rows]


def _organizations(session: Session, ids) -> list[dict]:
    rows = session.scalars(select(Organization).where(Organization.id.in_(ids)))
    return [_doc("organization", o.id, f"/organizations/{o.id}", o.name, o.sector) for o in rows]


_MODELS = {"decision": Decision, "minutes": AgendaItem, "meeting": Meeting, "action": ActionItem,
           "group": WorkingGroup, "goal": GroupGoal, "outcome": Outcome, "person": Person,
           "organization": Organization}

register("decision", _l("Beschlüsse"), _decisions)
register("minutes", _l("Protokolle"), _minutes)
register("action", _l("Aufgaben"), _actions)
register("meeting", _l("Treffen und Tagesordnungen"), _meetings)
register("group", _l("Reallabore"), _groups)
register("goal", _l("Ziele"), _goals)
register("outcome", _l("Ergebnisse"), _outcomes)
register("person", _l("Mitglieder"), _people)
register("organization", _l("Organisationen"), _organizations)


# Documents that depend on another object are found by a query (never by loading relationships
# of an object while it is being flushed): a ref ("<kind>_of_<parent>", parent id) stands for them.
DEPENDENTS: dict[str, tuple[str, object]] = {
    "minutes_of_meeting": ("minutes", AgendaItem.meeting_id),
    "decisions_of_meeting": ("decision", Decision.meeting_id),
    "decisions_of_item": ("decision", Decision.agenda_item_id),
    "goals_of_group": ("goal", GroupGoal.group_id),
    "people_of_organization": ("person", Person.organization_id),
    "actions_of_owner": ("action", ActionItem.owner_id),
}


def expand(session: Session, refs: set[Ref]) -> set[Ref]:
    """`refs` with the dependents' refs looked up."""
    out = {ref for ref in refs if ref[0] in KINDS}
    for name, (kind, parent) in DEPENDENTS.items():
        parents = [i for k, i in refs if k == name]
        if parents:
            out.update((kind, i) for i in session.scalars(select(parent.class_.id).where(parent.in_(parents))))
    return out


touches(Decision, lambda d: [("decision", d.id)])
touches(AgendaItem, lambda i: [("minutes", i.id), ("meeting", i.meeting_id), ("decisions_of_item", i.id)])
touches(Meeting, lambda m: [("meeting", m.id), ("minutes_of_meeting", m.id), ("decisions_of_meeting", m.id)])
touches(ActionItem, lambda a: [("action", a.id)])
touches(WorkingGroup, lambda g: [("group", g.id), ("goals_of_group", g.id)])
touches(GroupGoal, lambda g: [("goal", g.id)])
touches(Outcome, lambda o: [("outcome", o.id)])
touches(Person, lambda p: [("person", p.id), ("actions_of_owner", p.id)])  # a hit names the owner
touches(Organization, lambda o: [("organization", o.id), ("people_of_organization", o.id)])


# materials (Unterlagen): their titles; internal and removed ones are not searchable -------------
def _materials(session: Session, ids) -> list[dict]:
    from portal.materials.models import Material
    rows = session.scalars(select(Material).where(Material.id.in_(ids), Material.internal.is_(False),
                                                  Material.deleted_at.is_(None))
                              .options(joinedload(Material.meeting), joinedload(Material.action_item)))
    return [_doc("material", m.id, f"/materials/{m.id}", m.title, context=m.meeting.title,
                 group_id=m.meeting.group_id, year=m.meeting.starts_at.year, meeting_id=m.meeting_id,
                 dated_at=m.created_at) if m.meeting else
            _doc("material", m.id, f"/materials/{m.id}", m.title, context=m.action_item.title,
                 group_id=m.action_item.group_id, year=m.action_item.due_on.year, dated_at=m.created_at)
            for m in rows]


def _register_materials() -> None:
    from portal.materials.models import Material
    _MODELS["material"] = Material
    register("material", _l("Unterlagen"), _materials)
    touches(Material, lambda m: [("material", m.id)])


_register_materials()
