"""Routing columns, mixed into the tables they belong to (interactions, users).

Why a stored `routing_priority` rather than joining contacts at read time: the accept query
must be one range scan of a small partial index, in order, stopping at the first row it can
lock (`LIMIT 1 FOR UPDATE SKIP LOCKED`). Ordering by `COALESCE(i.priority, c.priority, ...)`
across a join cannot be served by an index, so every accept would sort the whole waiting
queue. Contact priority changes are rare and touch a handful of waiting rows, so they update
`routing_priority` in the same transaction instead (see `rapport.routing.lifecycle`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKeyConstraint, Index, Integer, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, UTCDateTime, utcnow

AGENT_CHANNELS = ("voice", "chat", "email", "sms")
AVAILABILITIES = ("available", "busy", "away")

# Which moves a workitem may make; anything else is a 409.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "queued": ("offered", "active", "abandoned"),
    "offered": ("active", "queued", "abandoned"),
    "active": ("completed", "queued", "abandoned"),
    "completed": (),
    "abandoned": (),
}

_WAITING = text("state = 'queued'")


def queue_indexes() -> tuple[Index, Index]:
    """Partial indexes over waiting interactions only: small, and in the order they are served.

    Without aging the queue is served by (routing_priority, queued_at); with aging by
    routing_due_at, the moment an interaction's priority has aged to the front.
    """
    return (
        Index(
            "ix_interactions_queue",
            "tenant_id", "routing_priority", "queued_at", "id",
            sqlite_where=_WAITING, postgresql_where=_WAITING,
        ),  # fmt: skip
        Index(
            "ix_interactions_queue_aged",
            "tenant_id", "routing_due_at", "id",
            sqlite_where=_WAITING, postgresql_where=_WAITING,
        ),  # fmt: skip
    )


class QueuePosition:
    """Where a waiting interaction stands in its tenant's queue."""

    # When it (last) entered the queue; wait time and the tie-break between equal priorities.
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Effective priority: the interaction's own, else its contact's, else the tenant default.
    routing_priority: Mapped[int | None] = mapped_column(Integer)
    # With aging on: queued_at + (routing_priority - 1) * aging step; None with aging off.
    routing_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# How many workitems of a channel an agent handles at once, unless they say otherwise.
DEFAULT_CAPACITY = {"voice": 1, "chat": 3, "email": 1, "sms": 3}
MAX_CAPACITY = 20


class AgentRouting:
    """What a user can be given from the queue."""

    channels: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(AGENT_CHANNELS))
    availability: Mapped[str] = mapped_column(String(10), default="available")
    # Offers (push routing): per channel how many at once (0 = not on that channel now),
    # since when the agent has had nothing new (longest idle is offered first), and how many
    # offers in a row they let lapse (enough of them sets the agent away).
    capacity: Mapped[dict[str, int]] = mapped_column(JSON, default=lambda: dict(DEFAULT_CAPACITY))
    idle_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lapses_in_row: Mapped[int] = mapped_column(Integer, default=0)


OFFER_OUTCOMES = ("pending", "accepted", "rejected", "lapsed", "withdrawn")
_PENDING = text("outcome = 'pending'")


class Offer(TenantOwned, Base):
    """A workitem offered to one agent until they accept, reject, or the countdown ends.

    The partial unique index makes "one agent holds an offer" a fact of the database, so two
    server processes can never offer the same workitem twice.
    """

    __tablename__ = "routing_offers"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["tenant_id", "interaction_id"],
            ["interactions.tenant_id", "interactions.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "agent_id"], ["users.tenant_id", "users.id"], ondelete="CASCADE"
        ),
        Index("uq_routing_offers_pending", "tenant_id", "interaction_id", unique=True,
              sqlite_where=_PENDING, postgresql_where=_PENDING),
        Index("ix_routing_offers_expiry", "expires_at",
              sqlite_where=_PENDING, postgresql_where=_PENDING),
        Index("ix_routing_offers_agent", "tenant_id", "agent_id", "offered_at"),
    )  # fmt: skip

    interaction_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    agent_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    channel: Mapped[str] = mapped_column(String(10))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(10), default="pending")
