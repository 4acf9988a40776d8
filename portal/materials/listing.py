"""The materials of a meeting (or an action item) as its pages, mails and minutes list them: two queries whatever
their number (materials with their uploader, then all their versions), never their bytes."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal.extensions import db
from portal.materials.models import Material, MaterialVersion


def _listed(where, internal: bool) -> list[Material]:
    query = (select(Material).where(where, Material.deleted_at.is_(None))
             .options(joinedload(Material.created_by),
                      selectinload(Material.versions).joinedload(MaterialVersion.uploaded_by))
             .order_by(Material.created_at, Material.id))
    if not internal:
        query = query.where(Material.internal.is_(False))
    return list(db.session.scalars(query).unique())


@dataclass
class MeetingMaterials:
    meeting: list[Material] = field(default_factory=list)
    by_item: dict[int, list[Material]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.meeting or self.by_item)

    @property
    def all(self) -> list[Material]:
        return [*self.meeting, *(m for items in self.by_item.values() for m in items)]


def materials_of(meeting, *, internal: bool = False) -> MeetingMaterials:
    """The meeting's materials not removed; the internal ones only if `internal` (whoever may
    manage the meeting)."""
    result = MeetingMaterials()
    for material in _listed(Material.meeting_id == meeting.id, internal):
        if material.agenda_item_id is None:
            result.meeting.append(material)
        else:
            result.by_item.setdefault(material.agenda_item_id, []).append(material)
    return result


def action_materials(item, *, internal: bool = False) -> list[Material]:
    """The action item's materials not removed; the internal ones only if `internal` (whoever may
    manage the item)."""
    return _listed(Material.action_item_id == item.id, internal)


def shared_materials(meeting) -> MeetingMaterials:
    """What the meeting's mails and minutes list: every material not removed and not internal."""
    return materials_of(meeting)


def material_link(material: Material) -> str:
    """The public address of the material: its current file, or its link."""
    from portal.links import external_url
    if material.is_link:
        return material.url
    return external_url("materials.download_version", material_id=material.id, number=material.current.number)
