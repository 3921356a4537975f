from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, Timestamps, UTCDateTime, utcnow
from rapport.routing.models import QueuePosition, queue_indexes

CHANNELS = ("voice", "chat", "email", "sms")
DIRECTIONS = ("inbound", "outbound")
STATES = ("queued", "offered", "active", "completed", "abandoned")
SENDERS = ("contact", "agent", "system")
CONTENT_TYPES = ("text/plain", "text/html")


class Interaction(TenantOwned, Timestamps, QueuePosition, Base):
    """A workitem: one call, chat, email thread or SMS conversation with a contact."""

    __tablename__ = "interactions"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        # No cascade: deleting a contact unlinks its interactions (see search.lifecycle).
        ForeignKeyConstraint(["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"]),
        ForeignKeyConstraint(["tenant_id", "agent_id"], ["users.tenant_id", "users.id"]),
        Index("ix_interactions_tenant_address", "tenant_id", "address"),
        Index("uq_interactions_tenant_external_id", "tenant_id", "external_id", unique=True),
        Index("ix_interactions_tenant_contact", "tenant_id", "contact_id", "started_at", "id"),
        Index("ix_interactions_tenant_started", "tenant_id", "started_at", "id"),
        *queue_indexes(),
    )

    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    channel: Mapped[str] = mapped_column(String(10))
    direction: Mapped[str] = mapped_column(String(10))
    # Normalised (E.164, lower-cased email, folded handle) so routing can match it.
    address: Mapped[str] = mapped_column(String(320))
    address_entered: Mapped[str] = mapped_column(String(320))
    match_count: Mapped[int] = mapped_column(Integer, default=0)
    subject: Mapped[str | None] = mapped_column(String(500))
    queue: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(12))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disposition: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[str | None] = mapped_column(String(200))
    priority: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class Message(TenantOwned, Base):
    """One line of a transcript: who said what, when."""

    __tablename__ = "interaction_messages"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "interaction_id"],
            ["interactions.tenant_id", "interactions.id"],
            ondelete="CASCADE",
        ),
        Index("ix_interaction_messages_transcript", "tenant_id", "interaction_id", "sent_at", "id"),
        Index("uq_interaction_messages_external_id", "tenant_id", "external_id", unique=True),
    )

    interaction_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    sender: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str | None] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(20), default="text/plain")
    # The searchable plain text; for HTML email, the sanitised text of the message.
    text: Mapped[str] = mapped_column(Text)
    # Sanitised HTML of an HTML email, for display; None for plain text.
    html: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)
    external_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
