"""Webhook endpoints, the outbox of their deliveries, and each delivery's attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, Timestamps, UTCDateTime, utcnow

EVENT_TYPES = (
    "contact.created",
    "contact.updated",
    "contact.deleted",
    "contact.merged",
    "contact.erased",
    "note.created",
    "note.updated",
    "note.deleted",
    "interaction.created",
    "interaction.accepted",
    "interaction.completed",
    "interaction.abandoned",
    "import.finished",
)
# pending: waiting for its (next) attempt; delivering: claimed by a worker until `lease_until`;
# delivered: the receiver answered 2xx; failed: retried for the whole retry window in vain.
DELIVERY_STATUSES = ("pending", "delivering", "delivered", "failed")


class WebhookEndpoint(TenantOwned, Timestamps, Base):
    """A URL of the tenant's that is sent the events it subscribed to, signed with its secret."""

    __tablename__ = "webhook_endpoints"
    __table_args__ = (ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),)

    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(String(200), default="")
    # Kept as given: the worker needs it to sign every request.
    secret: Mapped[str] = mapped_column(String(200))
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)
    # Set when the endpoint's deliveries started failing; cleared by the next success.
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_reason: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)


class WebhookDelivery(TenantOwned, Base):
    """One event for one endpoint: the outbox row, written in the transaction of the change."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "endpoint_id"],
            ["webhook_endpoints.tenant_id", "webhook_endpoints.id"],
            ondelete="CASCADE",
        ),
        # The workers' claim: due deliveries, oldest first, across tenants.
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint", "tenant_id", "endpoint_id", "created_at"),
        Index("ix_webhook_deliveries_contact", "tenant_id", "contact_id"),
    )

    endpoint_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # One event reaching several endpoints keeps one id, so receivers can drop repeats.
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    event_type: Mapped[str] = mapped_column(String(40))
    # The person the event is about, so that erasing them also empties their events.
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookAttempt(TenantOwned, Base):
    """The delivery log: one POST of a delivery and what the receiver answered."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "delivery_id"],
            ["webhook_deliveries.tenant_id", "webhook_deliveries.id"],
            ondelete="CASCADE",
        ),
        Index("ix_webhook_attempts_delivery", "tenant_id", "delivery_id", "at"),
    )

    delivery_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    # The start of the receiver's answer, to debug it from the settings page.
    response_excerpt: Mapped[str | None] = mapped_column(Text)
