"""The queue: what waits in which order, who takes what, and how a workitem moves on.

Taking work must never race. On PostgreSQL the next waiting row is locked with
`SELECT ... FOR UPDATE SKIP LOCKED`, so concurrent agents each lock a different row without
waiting on one another. SQLite has a single writer, so a queue write starts its transaction
with `BEGIN IMMEDIATE` (taking the write lock before reading): a second agent waits
(busy_timeout) and then reads the queue as the first one left it, instead of upgrading a
read lock later, which SQLite refuses under contention.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from rapport.core.auth import Principal
from rapport.core.db import utcnow
from rapport.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from rapport.core.text import clean_text
from rapport.interactions.models import Interaction
from rapport.routing.lifecycle import announce_state
from rapport.routing.models import AVAILABILITIES, TRANSITIONS
from rapport.routing.wrap_up import add_wrap_up_note
from rapport.tenants.models import Tenant
from rapport.users.models import User

VERBS = {"active": "accepted", "completed": "completed", "abandoned": "abandoned",
         "queued": "transferred back to the queue", "offered": "offered"}  # fmt: skip


def begin_queue_write(db: Session) -> None:
    """Start the session's transaction as a queue write (see the module docstring).

    Call it on a session with no transaction open; inside an open one it does nothing, and on
    SQLite that transaction is then as safe as the way it was begun.
    """
    if db.in_transaction():
        return
    if db.get_bind().dialect.name == "sqlite":
        db.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def restart_as_queue_write(db: Session) -> None:
    """SQLite: turn a request's read transaction (authentication) into a queue write.

    Upgrading a read transaction to a write fails at once, whatever busy_timeout says, when
    another writer committed in between; so the read is ended and the transaction begun again
    holding the write lock, carrying over what it had changed but not yet written (the API
    token's last-used stamp). PostgreSQL needs none of this: the transaction carries on.
    """
    if db.get_bind().dialect.name != "sqlite" or not db.in_transaction():
        begin_queue_write(db)
        return
    if db.connection().get_execution_options().get("sqlite_begin") == "IMMEDIATE":
        return  # begun holding the write lock already (writing requests are, see core.deps)
    unwritten = [
        (record, {a.key: a.value for a in inspect(record).attrs if a.history.added})
        for record in db.dirty
    ]
    db.rollback()
    begin_queue_write(db)
    for record, values in unwritten:
        for key, value in values.items():
            setattr(record, key, value)


def queue_order(tenant: Tenant) -> tuple:
    """Served first to last; each order is the column order of its partial index."""
    if tenant.queue_aging_seconds:
        return (Interaction.routing_due_at, Interaction.id)
    return (Interaction.routing_priority, Interaction.queued_at, Interaction.id)


def aged_priority(interaction: Interaction, tenant: Tenant, now: datetime) -> int:
    """The priority a waiting interaction has reached: one step better per aging step waited."""
    priority = interaction.routing_priority or tenant.default_priority
    if not tenant.queue_aging_seconds or interaction.queued_at is None:
        return priority
    steps = math.floor((now - interaction.queued_at).total_seconds() / tenant.queue_aging_seconds)
    return max(1, priority - max(0, steps))


def waiting(
    *,
    db: Session,
    tenant: Tenant,
    channels: list[str] | None = None,
    queue: str | None = None,
    limit: int = 100,
) -> list[Interaction]:
    """The tenant's waiting interactions in the order they will be served."""
    query = select(Interaction).where(
        Interaction.tenant_id == tenant.id, Interaction.state == "queued"
    )
    if channels:
        query = query.where(Interaction.channel.in_(channels))
    if queue:
        query = query.where(Interaction.queue == queue)
    return list(db.scalars(query.order_by(*queue_order(tenant)).limit(limit)))


def _check_can_take_work(agent: User) -> None:
    if agent.availability == "away":
        raise Conflict("You are away; set your availability to available to take work.")
    if not agent.channels:
        raise Conflict("You handle no channels; ask an administrator to assign you some.")


def _take(db: Session, interaction: Interaction, agent: User) -> Interaction:
    _move(interaction, "active")
    interaction.agent_id = agent.id
    interaction.accepted_at = utcnow()
    db.flush()
    return interaction


def accept_next(
    *, db: Session, tenant: Tenant, agent: User, queue: str | None = None
) -> Interaction | None:
    """Give `agent` the first waiting interaction on one of its channels; None if none waits."""
    begin_queue_write(db)
    _check_can_take_work(agent)
    query = (
        select(Interaction.id if _postgresql(db) else Interaction)
        .where(
            Interaction.tenant_id == tenant.id,
            Interaction.state == "queued",
            Interaction.channel.in_(agent.channels),
        )
        .order_by(*queue_order(tenant))
        .limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite holds the write lock already
    )
    if queue:
        query = query.where(Interaction.queue == queue)
    if _postgresql(db):
        return _claim(db, tenant, agent, query.scalar_subquery())
    interaction = db.scalar(query)
    return None if interaction is None else _take(db, interaction, agent)


def _postgresql(db: Session) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def _claim(db: Session, tenant: Tenant, agent: User, next_id: Any) -> Interaction | None:
    """PostgreSQL: lock, claim and assign the next one in one round trip,
    `UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING`.

    The ORM's unit of work is bypassed, so what its hooks do for this move is done here: the
    version counter, and the `interaction.accepted` event (`routing.lifecycle`); a waiting
    interaction taken by an agent changes nothing else that hooks follow (its contact stays).
    """
    now = utcnow()
    claimed = (
        update(Interaction)
        .where(Interaction.tenant_id == tenant.id, Interaction.id == next_id)
        .values(state="active", agent_id=agent.id, accepted_at=now, updated_at=now,
                version=Interaction.version + 1)  # fmt: skip
        .returning(Interaction)
    )
    interaction = db.scalars(
        select(Interaction).from_statement(claimed).execution_options(populate_existing=True)
    ).first()
    if interaction is not None:
        announce_state(interaction)
    return interaction


def _locked(db: Session, tenant_id: uuid.UUID, interaction_id: uuid.UUID) -> Interaction:
    interaction = db.scalar(
        select(Interaction)
        .where(Interaction.tenant_id == tenant_id, Interaction.id == interaction_id)
        .with_for_update()
        .execution_options(populate_existing=True)  # the locked row, not a copy read earlier
    )
    if interaction is None:
        raise NotFound("Interaction not found.")
    return interaction


def accept(
    *, db: Session, tenant: Tenant, agent: User, interaction_id: uuid.UUID
) -> Interaction:
    """Take this interaction; 409 when someone already has it or it has ended."""
    begin_queue_write(db)
    interaction = _locked(db, tenant.id, interaction_id)
    if interaction.state == "active":
        who = "you" if interaction.agent_id == agent.id else "another agent"
        raise Conflict(f"This interaction was already accepted by {who}.", state="active")
    _check_can_take_work(agent)
    return _take(db, interaction, agent)


def _move(interaction: Interaction, to: str) -> None:
    if to not in TRANSITIONS[interaction.state]:
        allowed = ", ".join(VERBS[s] for s in TRANSITIONS[interaction.state]) or "nothing"
        raise Conflict(
            f"An interaction that is {interaction.state} cannot be {VERBS[to]} "
            f"(from {interaction.state} it can be: {allowed}).",
            state=interaction.state,
        )
    interaction.state = to


def _require_handler(principal: Principal, interaction: Interaction, action: str) -> None:
    # The agent on the interaction finishes it; supervisors can step in on anyone's.
    if interaction.agent_id != principal.user.id and not principal.can("supervisor"):
        raise Forbidden(
            f"Only the agent handling this interaction or a supervisor can {action} it.",
            required_role="supervisor",
        )


def _disposition(value: Any) -> str:
    try:
        clean = clean_text("disposition", value, 100)
    except FieldError as exc:
        raise ValidationFailed([exc]) from None
    if not clean:
        raise ValidationFailed([FieldError("disposition", "is required")])
    return clean


def complete(
    *,
    db: Session,
    principal: Principal,
    interaction_id: uuid.UUID,
    disposition: str,
    note: dict[str, Any] | None = None,
) -> tuple[Interaction, Any]:
    """End a handled interaction with its disposition and, optionally, the agent's note."""
    begin_queue_write(db)
    interaction = _locked(db, principal.tenant_id, interaction_id)
    _require_handler(principal, interaction, "complete")
    clean = _disposition(disposition)
    _move(interaction, "completed")
    interaction.disposition = clean
    interaction.ended_at = utcnow()
    db.flush()
    written = add_wrap_up_note(db=db, principal=principal, interaction=interaction, note=note)
    return interaction, written


def abandon(*, db: Session, principal: Principal, interaction_id: uuid.UUID) -> Interaction:
    """The contact left (hung up, closed the chat) before or while being served."""
    begin_queue_write(db)
    interaction = _locked(db, principal.tenant_id, interaction_id)
    if interaction.state != "queued":  # anyone (an integration) reports a caller who hung up
        _require_handler(principal, interaction, "abandon")
    _move(interaction, "abandoned")
    interaction.ended_at = utcnow()
    db.flush()
    return interaction


def transfer(
    *,
    db: Session,
    principal: Principal,
    interaction_id: uuid.UUID,
    queue: str | None = None,
) -> Interaction:
    """Put a workitem back in the queue (or into another queue); it keeps its waiting time."""
    begin_queue_write(db)
    interaction = _locked(db, principal.tenant_id, interaction_id)
    _require_handler(principal, interaction, "transfer")
    _move(interaction, "queued")
    if queue is not None:
        try:
            interaction.queue = clean_text("queue", queue, 100)
        except FieldError as exc:
            raise ValidationFailed([exc]) from None
    interaction.agent_id = None
    interaction.accepted_at = None
    db.flush()
    return interaction


def set_availability(*, db: Session, agent: User, availability: str) -> User:
    if availability not in AVAILABILITIES:
        raise ValidationFailed(
            [FieldError("availability", f"must be one of {', '.join(AVAILABILITIES)}")]
        )
    agent.availability = availability
    db.flush()
    return agent
