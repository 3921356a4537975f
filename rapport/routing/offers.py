"""Push routing: the best waiting workitem is offered to the longest-idle available agent.

An offer is a row (`routing_offers`) with its deadline, so it survives a restart and every
server process sees it; the workitem meanwhile is `offered`, out of the queue, and a partial
unique index allows one pending offer per workitem. Offers are made in the transaction that
changes the queue or an agent (a `before_commit` hook runs `dispatch` for the tenants it
touched); deadlines are kept by `rapport.routing.clock`.

Races: on PostgreSQL one dispatch per tenant at a time (a transaction-scoped advisory lock),
waiting rows locked with `FOR UPDATE SKIP LOCKED`, and accept, reject and lapse each lock the
offer row and act only while it is still pending. SQLite has one writer (`BEGIN IMMEDIATE`).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session

from rapport.core.auth import Principal
from rapport.core.db import utcnow
from rapport.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rapport.core.ids import new_id
from rapport.interactions.models import Interaction
from rapport.routing.events import announce
from rapport.routing.models import AGENT_CHANNELS, AVAILABILITIES, MAX_CAPACITY, Offer
from rapport.routing.service import begin_queue_write, queue_order
from rapport.tenants.models import Tenant
from rapport.users.models import User

TOUCHED = "routing_offer_tenants"  # session.info: tenants whose queue or agents changed
LOOK_AHEAD = 50  # waiting rows considered per dispatch


def _now(now: datetime | None) -> datetime:
    return now or utcnow()


def _lock_tenant(db: Session, tenant_id: uuid.UUID) -> None:
    if db.get_bind().dialect.name == "postgresql":
        key = uuid.UUID(str(tenant_id)).int & 0x7FFFFFFFFFFFFFFF
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _free_agents(db: Session, tenant: Tenant, now: datetime) -> list[tuple[User, dict[str, int]]]:
    """Available agents without a pending offer, longest idle first, with room per channel."""
    holding = select(Offer.agent_id).where(
        Offer.tenant_id == tenant.id, Offer.outcome == "pending"
    )
    agents = list(db.scalars(
        select(User)
        .where(User.tenant_id == tenant.id, User.is_active.is_(True),
               User.availability == "available", User.id.not_in(holding))
        .order_by(User.idle_since.asc().nulls_first(), User.id)
    ))  # fmt: skip
    if not agents:
        return []
    load: dict[tuple[uuid.UUID, str], int] = {
        (agent_id, channel): count
        for agent_id, channel, count in db.execute(
            select(Interaction.agent_id, Interaction.channel, func.count())
            .where(Interaction.tenant_id == tenant.id, Interaction.state == "active",
                   Interaction.agent_id.in_([a.id for a in agents]))
            .group_by(Interaction.agent_id, Interaction.channel)
        )
    }  # fmt: skip
    free = []
    for agent in agents:
        room = {
            channel: (agent.capacity or {}).get(channel, 0) - load.get((agent.id, channel), 0)
            for channel in agent.channels or []
        }
        room = {channel: n for channel, n in room.items() if n > 0}
        if room:
            free.append((agent, room))
    return free


def dispatch(*, db: Session, tenant: Tenant, now: datetime | None = None) -> list[Offer]:
    """Offer waiting workitems, best first, each to the longest-idle agent free for it."""
    if tenant.routing_mode != "push":
        return []
    now = _now(now)
    _lock_tenant(db, tenant.id)
    free = _free_agents(db, tenant, now)
    if not free:
        return []
    channels = sorted({channel for _, room in free for channel in room})
    waiting = list(db.scalars(
        select(Interaction)
        .where(Interaction.tenant_id == tenant.id, Interaction.state == "queued",
               Interaction.channel.in_(channels))
        .order_by(*queue_order(tenant)).limit(LOOK_AHEAD)
        .with_for_update(skip_locked=True)
    ))  # fmt: skip
    if not waiting:
        return []
    cooling = {
        (interaction_id, agent_id)
        for interaction_id, agent_id in db.execute(
            select(Offer.interaction_id, Offer.agent_id).where(
                Offer.tenant_id == tenant.id, Offer.outcome.in_(("rejected", "lapsed")),
                Offer.ended_at > now - timedelta(seconds=tenant.offer_cooldown_seconds),
                Offer.interaction_id.in_([i.id for i in waiting]))
        )
    }  # fmt: skip
    made = []
    for interaction in waiting:
        for index, (agent, room) in enumerate(free):
            if room.get(interaction.channel) and (interaction.id, agent.id) not in cooling:
                made.append(_offer(db, tenant, interaction, agent, now))
                del free[index]  # one offer at a time per agent
                break
        if not free:
            break
    return made


def _offer(db: Session, tenant: Tenant, interaction: Interaction, agent: User, now) -> Offer:
    offer = Offer(
        tenant_id=tenant.id, id=new_id(), interaction_id=interaction.id, agent_id=agent.id,
        channel=interaction.channel, offered_at=now,
        expires_at=now + timedelta(seconds=tenant.offer_seconds), outcome="pending",
    )  # fmt: skip
    db.add(offer)
    interaction.state = "offered"
    db.flush()
    announce(db, tenant.id, "offer.created", offer_id=offer.id, interaction_id=interaction.id,
             agent_id=agent.id, channel=interaction.channel,
             expires_at=offer.expires_at.isoformat(), seconds=tenant.offer_seconds)  # fmt: skip
    return offer


def _locked_offer(db: Session, tenant_id: uuid.UUID, offer_id: uuid.UUID) -> Offer | None:
    return db.scalar(
        select(Offer).where(Offer.tenant_id == tenant_id, Offer.id == offer_id)
        .with_for_update().execution_options(populate_existing=True)
    )  # fmt: skip


def _end(db: Session, offer: Offer, outcome: str, now: datetime) -> Interaction:
    """Close a pending offer; unless accepted, the workitem goes back to its place in line."""
    offer.outcome, offer.ended_at = outcome, now
    interaction = db.scalar(
        select(Interaction)
        .where(Interaction.tenant_id == offer.tenant_id, Interaction.id == offer.interaction_id)
        .with_for_update().execution_options(populate_existing=True)
    )  # fmt: skip
    agent = db.get(User, (offer.tenant_id, offer.agent_id))
    if outcome == "accepted":
        interaction.state, interaction.agent_id, interaction.accepted_at = "active", agent.id, now
        agent.lapses_in_row = 0
    elif interaction.state == "offered":
        interaction.state = "queued"  # keeps queued_at: its original position
    agent.idle_since = now
    db.flush()
    announce(db, offer.tenant_id, f"offer.{outcome}", offer_id=offer.id,
             interaction_id=offer.interaction_id, agent_id=offer.agent_id)  # fmt: skip
    return interaction


def _mine(db: Session, principal: Principal, offer_id: uuid.UUID) -> Offer:
    begin_queue_write(db)
    offer = _locked_offer(db, principal.tenant_id, offer_id)
    if offer is None or offer.agent_id != principal.user.id:
        raise NotFound("Offer not found.")
    if offer.outcome == "pending" and offer.expires_at <= utcnow():
        _lapse(db, offer, utcnow())
    if offer.outcome != "pending":
        raise Conflict(
            f"This offer was {offer.outcome}; the workitem went back to the queue.",
            outcome=offer.outcome,
        )
    return offer


def accept(*, db: Session, principal: Principal, offer_id: uuid.UUID) -> Interaction:
    """Take the offered workitem; 409 when the offer lapsed or was rejected meanwhile."""
    return _end(db, _mine(db, principal, offer_id), "accepted", utcnow())


def reject(*, db: Session, principal: Principal, offer_id: uuid.UUID) -> Offer:
    """Hand the workitem straight back to the queue, to be offered to the next agent."""
    offer = _mine(db, principal, offer_id)
    _end(db, offer, "rejected", utcnow())
    principal.user.lapses_in_row = 0
    return offer


def _lapse(db: Session, offer: Offer, now: datetime) -> None:
    _end(db, offer, "lapsed", now)
    agent = db.get(User, (offer.tenant_id, offer.agent_id))
    tenant = db.get(Tenant, offer.tenant_id)
    agent.lapses_in_row += 1
    if tenant.offer_lapses_to_away and agent.lapses_in_row >= tenant.offer_lapses_to_away:
        agent.availability = "away"  # as real ACDs do: nobody is there to answer
        announce(db, tenant.id, "agent.away", agent_id=agent.id, lapses=agent.lapses_in_row)


def lapse_due(*, db: Session, now: datetime | None = None) -> int:
    """End the offers whose countdown is over (any tenant); how many lapsed."""
    now = _now(now)
    due = list(db.scalars(
        select(Offer).where(Offer.outcome == "pending", Offer.expires_at <= now)
        .order_by(Offer.expires_at).limit(200).with_for_update(skip_locked=True)
    ))  # fmt: skip
    for offer in due:
        _lapse(db, offer, now)
    return len(due)


def next_deadline(*, db: Session) -> datetime | None:
    return db.scalar(select(func.min(Offer.expires_at)).where(Offer.outcome == "pending"))


def pending_for(*, db: Session, agent: User) -> list[Offer]:
    return list(db.scalars(
        select(Offer).where(Offer.tenant_id == agent.tenant_id, Offer.agent_id == agent.id,
                            Offer.outcome == "pending").order_by(Offer.offered_at)
    ))  # fmt: skip


def set_presence(
    *,
    db: Session,
    agent: User,
    availability: str | None = None,
    capacity: dict[str, Any] | None = None,
) -> User:
    """Availability and capacity per channel; leaving `available` withdraws a pending offer."""
    errors = []
    if availability is not None and availability not in AVAILABILITIES:
        errors.append(FieldError("availability", f"must be one of {', '.join(AVAILABILITIES)}"))
    for channel, count in (capacity or {}).items():
        if channel not in AGENT_CHANNELS:
            errors.append(FieldError(f"capacity.{channel}", "is not a channel"))
        elif type(count) is not int or not 0 <= count <= MAX_CAPACITY:
            message = f"must be a whole number from 0 to {MAX_CAPACITY}"
            errors.append(FieldError(f"capacity.{channel}", message))
    if errors:
        raise ValidationFailed(errors)
    begin_queue_write(db)
    now = utcnow()
    if capacity is not None:
        agent.capacity = {**(agent.capacity or {}), **capacity}
    if availability is not None:
        if availability == "available" and agent.availability != "available":
            agent.idle_since, agent.lapses_in_row = now, 0
        agent.availability = availability
    if agent.availability != "available":
        for offer in pending_for(db=db, agent=agent):
            locked = _locked_offer(db, agent.tenant_id, offer.id)
            if locked is not None and locked.outcome == "pending":
                _end(db, locked, "withdrawn", now)
    db.flush()
    announce(db, agent.tenant_id, "agent.availability", agent_id=agent.id,
             availability=agent.availability, capacity=agent.capacity)  # fmt: skip
    return agent


# --- offers follow the changes of a transaction --------------------------------------------


def _touch(target: Any) -> None:
    session = Session.object_session(target)
    if session is not None:
        session.info.setdefault(TOUCHED, set()).add(target.tenant_id)


@event.listens_for(Interaction, "after_insert")
@event.listens_for(Interaction, "after_update")
def _interaction_moved(_mapper, _connection, interaction: Interaction) -> None:
    if inspect(interaction).attrs["state"].history.has_changes():
        _touch(interaction)


@event.listens_for(User, "after_update")
def _agent_changed(_mapper, _connection, user: User) -> None:
    attrs = inspect(user).attrs
    if any(attrs[a].history.has_changes() for a in ("availability", "capacity", "channels")):
        _touch(user)


@event.listens_for(Tenant, "after_update")
def _mode_changed(_mapper, _connection, tenant: Tenant) -> None:
    if inspect(tenant).attrs["routing_mode"].history.has_changes():
        _touch_tenant(tenant)


def _touch_tenant(tenant: Tenant) -> None:
    session = Session.object_session(tenant)
    if session is not None:
        session.info.setdefault(TOUCHED, set()).add(tenant.id)


# insert=True: run before routing.events' hook, so the offers made here are sent to the
# other processes with the rest of the transaction's events.
@event.listens_for(Session, "before_commit", insert=True)
def _offer_before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    touched = session.info.pop(TOUCHED, None)
    if not touched:
        session.flush()
        touched = session.info.pop(TOUCHED, None)
        if not touched:
            return
    for tenant_id in touched:
        tenant = session.get(Tenant, tenant_id)
        if tenant is not None and tenant.routing_mode == "push":
            dispatch(db=session, tenant=tenant)
    session.info.pop(TOUCHED, None)  # offers just made need no second round


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(TOUCHED, None)
