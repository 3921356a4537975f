from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, UTCDateTime, utcnow


class Tenant(Base):
    """A company using Rapport. The one table that is not tenant-owned."""

    __tablename__ = "tenants"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    default_country: Mapped[str | None] = mapped_column(String(2))
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    personality_insights_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    default_priority: Mapped[int] = mapped_column(Integer, default=3)
    # Queue aging: a waiting interaction gains one priority step per this many seconds.
    queue_aging_seconds: Mapped[int | None] = mapped_column(Integer)
    # Routing: "pull" (agents take work: Accept next) or "push" (work is offered to agents).
    routing_mode: Mapped[str] = mapped_column(String(4), default="pull")
    offer_seconds: Mapped[int] = mapped_column(Integer, default=20)  # the countdown
    offer_lapses_to_away: Mapped[int] = mapped_column(Integer, default=3)
    # A rejected or lapsed workitem is not offered to the same agent again for this long.
    offer_cooldown_seconds: Mapped[int] = mapped_column(Integer, default=60)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
