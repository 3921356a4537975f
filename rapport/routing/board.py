"""The supervisors' live board: what waits, who is free, and how offers fare today."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rapport.core.db import utcnow
from rapport.interactions.models import Interaction
from rapport.routing.models import Offer
from rapport.tenants.models import Tenant
from rapport.users.models import User


class WaitingCount(BaseModel):
    channel: str
    priority: int
    count: int
    oldest_queued_at: datetime


class AgentState(BaseModel):
    id: uuid.UUID
    name: str
    state: str  # available, offered, busy, away
    handling: int
    capacity: dict[str, int]


class BoardOut(BaseModel):
    waiting: list[WaitingCount]
    oldest_wait_seconds: int | None
    agents: list[AgentState]
    lapsed_today: int
    routing_mode: str


def _state(user: User, offered: set, handling: dict) -> str:
    if user.availability == "away":
        return "away"
    if user.id in offered:
        return "offered"
    if user.availability == "busy" or handling.get(user.id):
        return "busy"
    return "available"


def board(*, db: Session, tenant: Tenant) -> BoardOut:
    now = utcnow()
    waiting = [
        WaitingCount(channel=channel, priority=priority, count=count, oldest_queued_at=oldest)
        for channel, priority, count, oldest in db.execute(
            select(Interaction.channel, Interaction.routing_priority, func.count(),
                   func.min(Interaction.queued_at))
            .where(Interaction.tenant_id == tenant.id,
                   Interaction.state.in_(("queued", "offered")))
            .group_by(Interaction.channel, Interaction.routing_priority)
            .order_by(Interaction.channel, Interaction.routing_priority)
        )
    ]  # fmt: skip
    oldest = min((w.oldest_queued_at for w in waiting), default=None)
    offered = set(db.scalars(select(Offer.agent_id).where(
        Offer.tenant_id == tenant.id, Offer.outcome == "pending")))  # fmt: skip
    handling = {  # (not dict(result): a Result has keys(), so dict() takes it for a mapping)
        row[0]: row[1]
        for row in db.execute(
            select(Interaction.agent_id, func.count())
            .where(Interaction.tenant_id == tenant.id, Interaction.state == "active")
            .group_by(Interaction.agent_id)
        )
    }
    users = db.scalars(
        select(User).where(User.tenant_id == tenant.id, User.is_active.is_(True))
        .order_by(User.email)
    )  # fmt: skip
    agents = [
        AgentState(id=u.id, name=u.name or u.email, state=_state(u, offered, handling),
                   handling=handling.get(u.id, 0), capacity=u.capacity or {})
        for u in users
    ]  # fmt: skip
    zone = ZoneInfo(tenant.time_zone or "UTC")
    midnight = datetime.combine(now.astimezone(zone).date(), time(), zone)
    lapsed = db.scalar(
        select(func.count()).select_from(Offer).where(
            Offer.tenant_id == tenant.id, Offer.outcome == "lapsed", Offer.ended_at >= midnight
        )
    )
    return BoardOut(
        waiting=waiting,
        oldest_wait_seconds=int((now - oldest).total_seconds()) if oldest else None,
        agents=agents,
        lapsed_today=lapsed or 0,
        routing_mode=tenant.routing_mode,
    )
