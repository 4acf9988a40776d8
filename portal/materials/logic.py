"""Adding, versioning and removing materials. Takes the actor, never commits."""
from __future__ import annotations

import hashlib

from flask_babel import format_decimal
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.audit.record import record
from portal.errors import RuleError
from portal.extensions import db
from portal.materials.files import sniff
from portal.materials.models import Material, MaterialBlob, MaterialVersion
from portal.types import utcnow

MEGABYTE = 1024 * 1024


def size_label(size: int) -> str:
    """A size in de-DE (or the frame's language): "3,2 MB", "12 KB"."""
    if size >= MEGABYTE:
        return f"{format_decimal(round(size / MEGABYTE, 1), format='#,##0.#')} MB"
    return f"{format_decimal(max(1, round(size / 1024)), format='#,##0')} KB"


def check_file(data: bytes, limit: int) -> str:
    """The file's MIME type, or a RuleError at the field "upload"."""
    if len(data) > limit:
        raise RuleError(_("Die Datei ist zu groß: höchstens %(limit)s.", limit=size_label(limit)), "upload")
    if not data:
        raise RuleError(_("Die Datei ist leer."), "upload")
    mimetype = sniff(data)
    if mimetype is None:
        raise RuleError(_("Dieser Dateityp wird nicht angenommen. Erlaubt sind PDF, Office-Dokumente, "
                          "Bilder (PNG, JPEG, GIF, WebP) und Text."), "upload")
    return mimetype


def _add_version(actor, material: Material, filename: str, data: bytes, mimetype: str) -> MaterialVersion:
    number = (db.session.scalar(select(func.max(MaterialVersion.number))
                                .where(MaterialVersion.material_id == material.id)) or 0) + 1 \
        if material.id else 1
    version = MaterialVersion(material=material, number=number, filename=filename[:255] or "datei",
                              mimetype=mimetype, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                              uploaded_by_id=actor.id)
    db.session.add(version)
    db.session.flush()
    db.session.add(MaterialBlob(version_id=version.id, data=data))
    return version


def add_material(actor, meeting, item, *, title: str, internal: bool, limit: int,
                 url: str | None = None, filename: str = "", data: bytes | None = None,
                 action_item=None) -> Material:
    """A file (`data`) or a link (`url`) on the meeting, or on its agenda item `item`; or, with
    meeting and item None, on the action item `action_item`."""
    if not url and data is None:
        raise RuleError(_("Bitte eine Datei wählen oder einen Link angeben."), "upload")
    mimetype = check_file(data, limit) if data is not None else None
    material = Material(meeting=meeting, agenda_item=item, action_item=action_item, title=title.strip(),
                        internal=internal, url=url or None, created_by_id=actor.id)
    db.session.add(material)
    db.session.flush()
    if data is not None:
        _add_version(actor, material, filename, data, mimetype)
    record(actor, "material.create", material, {"title": (None, material.title)})
    return material


def add_version(actor, material: Material, *, filename: str, data: bytes, limit: int) -> MaterialVersion:
    """A new version: it becomes the current file, the older ones stay listed."""
    if material.is_link:
        raise RuleError(_("Ein Link hat keine Versionen."), "upload")
    version = _add_version(actor, material, filename, data, check_file(data, limit))
    record(actor, "material.version", material, {"version": (version.number - 1, version.number)})
    return version


def remove(actor, material: Material) -> None:
    """Soft delete: the material leaves every list; its rows stay, the audit trail says who."""
    material.deleted_at = utcnow()
    record(actor, "material.delete", material, {"deleted_at": (None, material.deleted_at)})


def blob_of(version: MaterialVersion) -> bytes:
    return db.session.scalar(select(MaterialBlob.data).where(MaterialBlob.version_id == version.id))
