"""The audit trail: written in the same transaction as the change; never edited by the API."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from rapport.audit.models import AuditEvent
from rapport.core.auth import SYSTEM, Actor
from rapport.core.db import utcnow
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


def event_values(
    *,
    tenant_id: uuid.UUID,
    actor: Actor | None,
    action: str,
    record_type: str,
    record_id: uuid.UUID | None,
    label: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    changes: dict[str, Any] | None = None,
) -> dict[str, Any] | None:
    """One event's columns; None for an update that changed nothing (it leaves no trace)."""
    actor = actor or SYSTEM
    changes = changes if changes is not None else diff(before, after)
    if action == "update" and not changes:
        return None
    return {
        "tenant_id": tenant_id,
        "id": new_id(),
        "actor_user_id": actor.user_id,
        "actor_token_id": actor.token_id,
        "actor_label": actor.label,
        "via": actor.via,
        "action": action,
        "record_type": record_type,
        "record_id": record_id,
        "record_label": label[:320],
        "changes": changes,
    }


def record(*, db: Session, **event: Any) -> AuditEvent | None:
    """Add one event (the arguments of `event_values`); an update that changed nothing
    leaves no trace."""
    values = event_values(**event)
    if values is None:
        return None
    audit_event = AuditEvent(**values)
    db.add(audit_event)
    return audit_event


# Told of events written by `record_many` (which skips the unit of work and its hooks):
# the webhook outbox raises the contact events there, as its insert hook does for `record`.
WRITTEN_MANY: list[Callable[[Session, list[dict[str, Any]]], None]] = []


def record_many(db: Session, events: list[dict[str, Any]]) -> None:
    """Insert many events (from `event_values`) with one executemany, in the session's
    transaction; for a batch of changes written together (an import)."""
    if not events:
        return
    now = utcnow()
    rows = [{**values, "at": now} for values in events]
    db.execute(insert(AuditEvent.__table__), rows)
    for listener in WRITTEN_MANY:
        listener(db, rows)


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
