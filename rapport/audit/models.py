from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKeyConstraint, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, UTCDateTime, utcnow


class AuditEvent(TenantOwned, Base):
    """Who changed what on which record, when, from where; written with the change itself."""

    __tablename__ = "audit_events"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        Index("ix_audit_events_record", "tenant_id", "record_type", "record_id", "at"),
        Index("ix_audit_events_at", "tenant_id", "at"),
        Index("ix_audit_events_actor", "tenant_id", "actor_user_id", "at"),
    )

    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # No foreign keys to users or records: the trail outlives what it describes.
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_token_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_label: Mapped[str] = mapped_column(String(320))
    via: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(20))
    record_type: Mapped[str] = mapped_column(String(30))
    record_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    record_label: Mapped[str] = mapped_column(String(320), default="")
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
