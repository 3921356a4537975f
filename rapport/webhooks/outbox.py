"""The outbox: an event becomes delivery rows in the very transaction of the change it tells.

Events are raised where each change is already recorded once, by model hooks rather than
calls sprinkled through the services: a contact's audit event (created, updated, deleted,
merged, erased, whichever door the change came through: API, pages, CLI, import), a note
written or removed, an interaction recorded or moved to accepted, completed or abandoned, an
import reaching its end. The rows are written at the end of the flush that wrote the change,
in its transaction, so a change rolled back takes its events with it, and a committed change
always has them.

A tenant without endpoints pays one look-up per transaction in a cache kept in the process
(see `_process_cache`) and writes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, SessionTransaction, object_session

from rapport.audit import service as audit_service
from rapport.audit.models import AuditEvent
from rapport.core.db import utcnow
from rapport.core.ids import new_id
from rapport.core.tenant_cache import TenantCache, changed_columns
from rapport.imports.models import ImportJob
from rapport.interactions.models import Interaction
from rapport.notes.models import Note
from rapport.webhooks.models import WebhookDelivery, WebhookEndpoint

CACHE = "webhook_endpoints"  # session.info: {tenant_id: [(endpoint id, event types)]}
PENDING = "webhook_pending"  # session.info: delivery rows raised during the running flush
CONTACT_ACTIONS = {
    "create": "contact.created",
    "update": "contact.updated",
    "delete": "contact.deleted",
    "merge": "contact.merged",
    "erase": "contact.erased",
}
INTERACTION_STATES = {
    "active": "interaction.accepted",
    "completed": "interaction.completed",
    "abandoned": "interaction.abandoned",
}
IMPORT_ENDS = ("completed", "failed")


def plain(value: Any) -> Any:
    """JSON-ready: ids and times as strings, containers walked."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


# Read on every write: kept per tenant for a few seconds (the bound is in core/tenant_cache.py:
# an endpoint added or changed in this process gets the events of every change committed
# after it; in another server process, within TTL_SECONDS).
_process_cache: TenantCache[list[tuple[uuid.UUID, list[str]]]] = TenantCache(CACHE).watch(
    [WebhookEndpoint],
    relevant=lambda endpoint: bool(changed_columns(endpoint) & {"enabled", "event_types"}),
)


def _subscribers(
    session: Session | None, connection: Connection, tenant_id: uuid.UUID
) -> list[tuple[uuid.UUID, list[str]]]:
    cache = session.info.setdefault(CACHE, {}) if session is not None else {}
    if tenant_id not in cache:
        found = _process_cache.get(session, tenant_id) if session is not None else None
        if found is None:
            found = [
                (row.id, list(row.event_types or []))
                for row in connection.execute(
                    select(WebhookEndpoint.id, WebhookEndpoint.event_types).where(
                        WebhookEndpoint.tenant_id == tenant_id, WebhookEndpoint.enabled.is_(True)
                    )
                )
            ]
            if session is not None:
                _process_cache.put(session, tenant_id, found)
        cache[tenant_id] = found
    return cache[tenant_id]


def forget_endpoints(session: Session) -> None:
    """Endpoints changed in this session: read them again for the next event."""
    session.info.pop(CACHE, None)


def _deliveries(
    session: Session | None,
    connection: Connection,
    *,
    tenant_id: uuid.UUID,
    event_type: str,
    data: dict[str, Any],
    contact_id: uuid.UUID | None = None,
) -> list[dict[str, Any]]:
    """The delivery rows of one event: one per enabled endpoint subscribed to its type."""
    endpoints = [
        endpoint_id
        for endpoint_id, types in _subscribers(session, connection, tenant_id)
        if event_type in types
    ]
    if not endpoints:
        return []
    now = utcnow()
    event_id = new_id()
    payload = {
        "id": str(event_id),
        "type": event_type,
        "created_at": now.isoformat(),
        "data": plain(data),
    }
    return [
        {
            "tenant_id": tenant_id, "id": new_id(), "endpoint_id": endpoint_id,
            "event_id": event_id, "event_type": event_type, "contact_id": contact_id,
            "payload": payload, "status": "pending", "attempts": 0,
            "next_attempt_at": now, "created_at": now,
        }
        for endpoint_id in endpoints
    ]  # fmt: skip


def emit(
    connection: Connection,
    session: Session | None,
    *,
    tenant_id: uuid.UUID,
    event_type: str,
    data: dict[str, Any],
    contact_id: uuid.UUID | None = None,
) -> int:
    """Write the event for every enabled endpoint of the tenant subscribed to its type."""
    rows = _deliveries(session, connection, tenant_id=tenant_id, event_type=event_type,
                       data=data, contact_id=contact_id)  # fmt: skip
    if not rows:
        return 0
    if session is None:
        connection.execute(insert(WebhookDelivery), rows)
    else:  # written at the end of this flush, all at once (an import flushes many)
        session.info.setdefault(PENDING, []).extend(rows)
    return len(rows)


@event.listens_for(Session, "before_flush")
def _drop_leftovers(session: Session, _context, _instances) -> None:
    # Rows still waiting here came from a flush that failed: their changes were not written.
    session.info.pop(PENDING, None)


@event.listens_for(Session, "after_flush")
def _write_pending(session: Session, _context) -> None:
    rows = session.info.pop(PENDING, None)
    if rows:
        session.connection().execute(insert(WebhookDelivery), rows)


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    session.info.pop(CACHE, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, _previous: SessionTransaction) -> None:
    session.info.pop(CACHE, None)
    session.info.pop(PENDING, None)


# --- contacts: from their audit events ------------------------------------------------------


def _contact_event(values: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The webhook event type and data of a contact's audit event (its columns), if any."""
    event_type = CONTACT_ACTIONS.get(values["action"])
    if values["record_type"] != "contact" or event_type is None:
        return None
    changes = values["changes"] or {}
    data: dict[str, Any] = {
        "object": "contact",
        "id": values["record_id"],
        "changes": changes,
        "actor": {"via": values["via"], "label": values["actor_label"],
                  "user_id": values["actor_user_id"]},
    }  # fmt: skip
    if values["action"] == "merge":
        data["merged_into"] = (changes.get("merged_into") or [None, None])[1]
    return event_type, data


_AUDIT_COLUMNS = ("action", "record_type", "record_id", "changes", "via", "actor_label",
                  "actor_user_id")  # fmt: skip


@event.listens_for(AuditEvent, "after_insert")
def _contact_changed(_mapper, connection: Connection, audit_event: AuditEvent) -> None:
    found = _contact_event({c: getattr(audit_event, c) for c in _AUDIT_COLUMNS})
    if found is not None:
        event_type, data = found
        emit(connection, object_session(audit_event), tenant_id=audit_event.tenant_id,
             event_type=event_type, data=data, contact_id=audit_event.record_id)  # fmt: skip


def _contacts_changed(session: Session, events: list[dict[str, Any]]) -> None:
    """Audit events written with one executemany (`audit.service.record_many`): their
    deliveries with one more, and nothing at all for a tenant without subscribers."""
    connection = session.connection()
    rows: list[dict[str, Any]] = []
    for values in events:
        if not _subscribers(session, connection, values["tenant_id"]):
            continue
        found = _contact_event(values)
        if found is not None:
            event_type, data = found
            rows += _deliveries(session, connection, tenant_id=values["tenant_id"],
                                event_type=event_type, data=data,
                                contact_id=values["record_id"])  # fmt: skip
    if rows:
        connection.execute(insert(WebhookDelivery), rows)


audit_service.WRITTEN_MANY.append(_contacts_changed)


# --- notes ----------------------------------------------------------------------------------

NOTE_FIELDS = ("contact_id", "interaction_id", "author_id", "body", "outcome", "next_steps",
               "version", "created_at", "edited_at")  # fmt: skip


def _note(connection: Connection, note: Note, event_type: str) -> None:
    data = {"object": "note", "id": note.id, **{f: getattr(note, f) for f in NOTE_FIELDS}}
    emit(connection, object_session(note), tenant_id=note.tenant_id, event_type=event_type,
         data=data, contact_id=note.contact_id)  # fmt: skip


@event.listens_for(Note, "after_insert")
def _note_created(_mapper, connection: Connection, note: Note) -> None:
    _note(connection, note, "note.created")


@event.listens_for(Note, "after_update")
def _note_updated(_mapper, connection: Connection, note: Note) -> None:
    attrs = inspect(note).attrs
    if any(attrs[f].history.has_changes() for f in ("body", "outcome", "next_steps",
                                                    "interaction_id")):  # fmt: skip
        _note(connection, note, "note.updated")


@event.listens_for(Note, "after_delete")
def _note_deleted(_mapper, connection: Connection, note: Note) -> None:
    _note(connection, note, "note.deleted")


# --- interactions ---------------------------------------------------------------------------

INTERACTION_FIELDS = ("contact_id", "channel", "direction", "address", "subject", "queue",
                      "state", "agent_id", "started_at", "ended_at", "disposition",
                      "external_id", "priority", "version")  # fmt: skip


def _interaction(connection: Connection, interaction: Interaction, event_type: str) -> None:
    data = {"object": "interaction", "id": interaction.id,
            **{f: getattr(interaction, f) for f in INTERACTION_FIELDS}}  # fmt: skip
    emit(connection, object_session(interaction), tenant_id=interaction.tenant_id,
         event_type=event_type, data=data, contact_id=interaction.contact_id)  # fmt: skip


@event.listens_for(Interaction, "after_insert")
def _interaction_created(_mapper, connection: Connection, interaction: Interaction) -> None:
    _interaction(connection, interaction, "interaction.created")
    if interaction.state in INTERACTION_STATES:  # recorded already accepted or finished
        _interaction(connection, interaction, INTERACTION_STATES[interaction.state])


@event.listens_for(Interaction, "after_update")
def _interaction_moved(_mapper, connection: Connection, interaction: Interaction) -> None:
    if interaction.state in INTERACTION_STATES and inspect(interaction).attrs[
        "state"
    ].history.has_changes():
        _interaction(connection, interaction, INTERACTION_STATES[interaction.state])


# --- imports --------------------------------------------------------------------------------

IMPORT_FIELDS = ("status", "filename", "total_rows", "rows_done", "created", "updated",
                 "unchanged", "rejected", "possible_duplicates", "applied", "message",
                 "finished_at")  # fmt: skip


@event.listens_for(ImportJob, "after_update")
def _import_finished(_mapper, connection: Connection, job: ImportJob) -> None:
    if job.status in IMPORT_ENDS and inspect(job).attrs["status"].history.has_changes():
        data = {"object": "import", "id": job.id, "dry_run": bool(job.options.get("dry_run")),
                **{f: getattr(job, f) for f in IMPORT_FIELDS}}  # fmt: skip
        emit(connection, object_session(job), tenant_id=job.tenant_id,
             event_type="import.finished", data=data)  # fmt: skip
