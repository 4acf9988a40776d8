"""Writing audit events; every logic function that changes state calls record()."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect

from portal.audit.models import AuditEvent
from portal.extensions import db


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def record(actor, action: str, entity, changes: dict[str, tuple[Any, Any]] | None = None) -> AuditEvent:
    """Add an audit event to the session (committed with the action that caused it)."""
    if entity.id is None:
        db.session.flush()
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        entity_type=type(entity).__tablename__,
        entity_id=entity.id,
        changes={k: [_plain(a), _plain(b)] for k, (a, b) in (changes or {}).items()},
    )
    db.session.add(event)
    return event


def record_deletion(actor, action: str, entity) -> AuditEvent:
    """Record that `entity` is about to be deleted, keeping every field it had (value → None)."""
    fields = {column.key: (getattr(entity, column.key), None) for column in inspect(entity).mapper.column_attrs}
    return record(actor, action, entity, fields)


def apply_changes(obj, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """Set the given attributes and return {field: (before, after)} for those that changed."""
    changed = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            setattr(obj, field, new)
            changed[field] = (old, new)
    return changed
