"""Keeps each waiting interaction's place in the queue right, in the transaction that moves it.

Model hooks rather than calls sprinkled through other domains: an interaction recorded by the
interactions API, a contact whose priority an agent changes, a tenant whose aging setting an
administrator changes all re-place the affected waiting interactions the same way, and the
queue's live events are raised from the same place.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, event, inspect, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.util import identity_key

from rapport.contacts.models import Contact
from rapport.core.db import utcnow
from rapport.interactions import transcript
from rapport.interactions.models import Interaction, Message
from rapport.routing.events import announce
from rapport.tenants.models import Tenant

STATE_EVENTS = {
    "queued": "interaction.queued",
    "offered": "interaction.offered",
    "active": "interaction.accepted",
    "completed": "interaction.completed",
    "abandoned": "interaction.abandoned",
}


def due_at(queued_at: datetime, priority: int, aging_seconds: int | None) -> datetime | None:
    """With aging, priority p is served as if it had queued (p - 1) aging steps later: every
    step waited is worth one priority level, so a long wait eventually beats any priority."""
    if not aging_seconds:
        return None
    return queued_at + timedelta(seconds=(priority - 1) * aging_seconds)


def _held(interaction: Interaction, model: type, key: tuple, *names: str) -> tuple | None:
    """The values of `names` on a record the interaction's session already holds (the tenant
    of the request, a contact just read), with their unflushed changes; None if it holds none."""
    session = object_session(interaction)
    record = session.identity_map.get(identity_key(model, key)) if session else None
    if record is None:
        return None
    loaded = inspect(record).dict
    return tuple(loaded[n] for n in names) if all(n in loaded for n in names) else None


KNOWN_PRIORITIES = "routing_known_contact_priorities"  # session.info


def known_priority(
    session: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID, priority: int
) -> None:
    """A contact's priority just read with its match (intake): the interaction about to be
    inserted for it is placed by it without a query. Used once, by the next insert."""
    session.info.setdefault(KNOWN_PRIORITIES, {})[(tenant_id, contact_id)] = priority


def _place(connection: Connection, interaction: Interaction) -> None:
    # Runs on every intake: what the session holds is used as is, the rest is read in one query.
    tenant_id = interaction.tenant_id
    settings = _held(interaction, Tenant, (tenant_id,), "default_priority", "queue_aging_seconds")
    priority = interaction.priority
    contact_key = (tenant_id, interaction.contact_id)
    session = object_session(interaction)
    known = session.info.get(KNOWN_PRIORITIES, {}) if session is not None else {}
    matched = known.pop(contact_key, None)  # used by this placing or by none
    if priority is None and interaction.contact_id is not None:
        held = _held(interaction, Contact, contact_key, "priority")
        if held is not None:
            priority = held[0]
        elif matched is not None:
            priority = matched
        else:
            contact_priority = (
                select(Contact.priority)
                .where(Contact.tenant_id == tenant_id, Contact.id == interaction.contact_id)
                .scalar_subquery()
            )
            if settings is None:
                row = connection.execute(
                    select(Tenant.default_priority, Tenant.queue_aging_seconds, contact_priority)
                    .where(Tenant.id == tenant_id)
                ).one()  # fmt: skip
                settings, priority = (row[0], row[1]), row[2]
            else:
                priority = connection.scalar(select(contact_priority))
    if settings is None:
        columns = select(Tenant.default_priority, Tenant.queue_aging_seconds)
        settings = tuple(connection.execute(columns.where(Tenant.id == tenant_id)).one())
    default_priority, aging_seconds = settings
    interaction.routing_priority = priority or default_priority
    interaction.queued_at = interaction.queued_at or interaction.started_at or utcnow()
    interaction.routing_due_at = due_at(
        interaction.queued_at, interaction.routing_priority, aging_seconds
    )


def _changed(target: Any, *attributes: str) -> bool:
    attrs = inspect(target).attrs
    return any(attrs[name].history.has_changes() for name in attributes)


@event.listens_for(Interaction, "before_insert")
def _queue_new_interaction(_mapper, connection: Connection, interaction: Interaction) -> None:
    if interaction.state == "queued":
        _place(connection, interaction)


@event.listens_for(Interaction, "before_update")
def _requeue_interaction(_mapper, connection: Connection, interaction: Interaction) -> None:
    if interaction.state == "queued" and _changed(interaction, "state", "contact_id", "priority"):
        _place(connection, interaction)


@event.listens_for(Interaction, "after_insert")
def _announce_new(_mapper, _connection, interaction: Interaction) -> None:
    if interaction.state == "queued":
        announce_state(interaction)


@event.listens_for(Interaction, "after_update")
def _announce_move(_mapper, _connection, interaction: Interaction) -> None:
    if _changed(interaction, "state"):
        announce_state(interaction)


def announce_state(interaction: Interaction) -> None:
    """Raise the event of the interaction's state (also for moves made without the ORM)."""
    session = object_session(interaction)
    if session is None:
        return
    announce(
        session, interaction.tenant_id, STATE_EVENTS[interaction.state],
        interaction_id=interaction.id, channel=interaction.channel, queue=interaction.queue,
        state=interaction.state, routing_priority=interaction.routing_priority,
        contact_id=interaction.contact_id, agent_id=interaction.agent_id,
    )  # fmt: skip


def _announce_message(
    session: Session, _interaction: transcript.Conversation, message: Message
) -> None:
    announce(
        session, message.tenant_id, "message.appended",
        interaction_id=message.interaction_id, message_id=message.id, sender=message.sender,
    )  # fmt: skip


transcript.MESSAGE_STORED.append(_announce_message)


# --- re-placing waiting interactions when what their priority comes from changes ----------

_SET_PLACE = (
    update(Interaction)
    .where(Interaction.tenant_id == bindparam("t"), Interaction.id == bindparam("i"))
    .values(routing_priority=bindparam("p"), routing_due_at=bindparam("d"))
)


def _replace(connection: Connection, tenant_id: uuid.UUID, rows: list[tuple]) -> int:
    """rows: (interaction id, queued_at, new routing priority); aging read from the tenant."""
    if not rows:
        return 0
    aging = connection.scalar(select(Tenant.queue_aging_seconds).where(Tenant.id == tenant_id))
    connection.execute(
        _SET_PLACE,
        [
            {"t": tenant_id, "i": id_, "p": priority, "d": due_at(queued_at, priority, aging)}
            for id_, queued_at, priority in rows
        ],
    )
    return len(rows)


@event.listens_for(Contact, "after_update")
def _follow_contact_priority(_mapper, connection: Connection, contact: Contact) -> None:
    if not _changed(contact, "priority"):
        return
    waiting = connection.execute(
        select(Interaction.id, Interaction.queued_at).where(
            Interaction.tenant_id == contact.tenant_id,
            Interaction.contact_id == contact.id,
            Interaction.state == "queued",
            Interaction.priority.is_(None),  # one posted with its own priority keeps it
        )
    ).all()
    rows = [(id_, queued_at, contact.priority) for id_, queued_at in waiting]
    session = object_session(contact)
    if _replace(connection, contact.tenant_id, rows) and session is not None:
        announce(session, contact.tenant_id, "queue.reordered", contact_id=contact.id,
                 routing_priority=contact.priority, interactions=len(rows))  # fmt: skip


def refresh_tenant_queue(connection: Connection, tenant_id: uuid.UUID) -> int:
    """Re-place every waiting interaction of the tenant (default priority or aging changed)."""
    default = connection.scalar(select(Tenant.default_priority).where(Tenant.id == tenant_id))
    waiting = connection.execute(
        select(Interaction.id, Interaction.queued_at, Interaction.priority, Contact.priority)
        .outerjoin(
            Contact,
            (Contact.tenant_id == Interaction.tenant_id) & (Contact.id == Interaction.contact_id),
        )
        .where(Interaction.tenant_id == tenant_id, Interaction.state == "queued")
    ).all()
    rows = [(id_, queued, own or linked or default) for id_, queued, own, linked in waiting]
    return _replace(connection, tenant_id, rows)


@event.listens_for(Tenant, "after_update")
def _follow_tenant_settings(_mapper, connection: Connection, tenant: Tenant) -> None:
    if not _changed(tenant, "default_priority", "queue_aging_seconds"):
        return
    session = object_session(tenant)
    if refresh_tenant_queue(connection, tenant.id) and session is not None:
        announce(session, tenant.id, "queue.reordered", reason="settings")
