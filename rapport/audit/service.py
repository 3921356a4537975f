"""The audit trail: written in the same transaction as the change; never edited by the API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.audit.models import AuditEvent
from rapport.core.auth import SYSTEM, Actor
from rapport.core.ids import new_id
from rapport.core.pagination import as_datetime, decode_cursor, encode_cursor, past_cursor


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field whose value changed."""
    before, after = before or {}, after or {}
    changes = {}
    for field in sorted(set(before) | set(after)):
        old, new = _plain(before.get(field)), _plain(after.get(field))
        if old != new:
            changes[field] = [old, new]
    return changes


def record(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    actor: Actor | None,
    action: str,
    record_type: str,
    record_id: uuid.UUID | None,
    label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent | None:
    """Add one event; an update that changed nothing leaves no trace."""
    actor = actor or SYSTEM
    changes = changes if changes is not None else diff(before, after)
    if action == "update" and not changes:
        return None
    event = AuditEvent(
        tenant_id=tenant_id,
        id=new_id(),
        actor_user_id=actor.user_id,
        actor_token_id=actor.token_id,
        actor_label=actor.label,
        via=actor.via,
        action=action,
        record_type=record_type,
        record_id=record_id,
        record_label=label[:320],
        changes=changes,
    )
    db.add(event)
    return event


def list_events(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    record_type: str | None = None,
    record_id: uuid.UUID | None = None,
    actor_user_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[AuditEvent], str | None]:
    """Newest first."""
    query = select(AuditEvent).where(AuditEvent.tenant_id == tenant_id)
    if record_type:
        query = query.where(AuditEvent.record_type == record_type)
    if record_id:
        query = query.where(AuditEvent.record_id == record_id)
    if actor_user_id:
        query = query.where(AuditEvent.actor_user_id == actor_user_id)
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    if cursor:
        at, last = decode_cursor(cursor, as_datetime, uuid.UUID)
        position = (AuditEvent.at, AuditEvent.id)
        query = query.where(past_cursor(position, (at, last), descending=True))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit + 1)
    rows = list(db.scalars(query))
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([rows[-1].at.isoformat(), str(rows[-1].id)])
    return rows, next_cursor
