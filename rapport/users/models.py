from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKeyConstraint,
    Index,
    String,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, Timestamps, UTCDateTime, utcnow
from rapport.routing.models import AgentRouting

ROLES = ("agent", "supervisor", "admin")


class User(TenantOwned, Timestamps, AgentRouting, Base):
    __tablename__ = "users"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        Index("uq_users_tenant_email", "tenant_id", "email_key", unique=True),
    )

    email: Mapped[str] = mapped_column(String(320))
    email_key: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(TenantOwned, Base):
    __tablename__ = "api_tokens"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "user_id"], ["users.tenant_id", "users.id"], ondelete="CASCADE"
        ),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    # Unique through api_token_digests (a key without tenant_id cannot be enforced per shard).
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiTokenDigest(Base):
    """Which tenant's token a digest is: a token arrives before its tenant is known.

    Global and small (one row per token), so on Citus it is a reference table copied to
    every node; the token itself is then read from its tenant's shard by its key.
    """

    __tablename__ = "api_token_digests"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        Index("uq_api_token_digests_token", "tenant_id", "token_id", unique=True),
    )

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    token_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class WebSession(Base):
    """A signed-in browser. The cookie carries the tenant and a random key; the row is what
    makes it valid, so ending a session (sign-out, a password or role change, deactivation)
    is deleting its row. Only the key's SHA-256 digest is stored: a copy of the table does
    not let anyone sign in."""

    __tablename__ = "web_sessions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "user_id"], ["users.tenant_id", "users.id"], ondelete="CASCADE"
        ),
        Index("ix_web_sessions_tenant_user", "tenant_id", "user_id"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
