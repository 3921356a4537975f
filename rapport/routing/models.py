"""Routing columns, mixed into the tables they belong to (interactions, users).

Why a stored `routing_priority` rather than joining contacts at read time: the accept query
must be one range scan of a small partial index, in order, stopping at the first row it can
lock (`LIMIT 1 FOR UPDATE SKIP LOCKED`). Ordering by `COALESCE(i.priority, c.priority, ...)`
across a join cannot be served by an index, so every accept would sort the whole waiting
queue. Contact priority changes are rare and touch a handful of waiting rows, so they update
`routing_priority` in the same transaction instead (see `rapport.routing.lifecycle`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import UTCDateTime

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


class AgentRouting:
    """What a user can be given from the queue."""

    channels: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(AGENT_CHANNELS))
    availability: Mapped[str] = mapped_column(String(10), default="available")
