"""Web sessions kept on the server: the cookie names one, the row makes it valid.

A signed cookie alone cannot be taken back: a copy made before sign-out would work until it
expires. So the cookie carries a random key and the tenant, and each page request reads the
session row, its user and tenant in one query by primary key. Ending a session deletes its
row; ending all of a user's sessions (password or role change, deactivation) deletes theirs.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rapport.core.db import utcnow
from rapport.tenants.models import Tenant
from rapport.users.models import User, WebSession


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(*, db: Session, user: User, max_age: int) -> str:
    """A new session for `user`; returns its key, which only the (signed) cookie keeps."""
    now = utcnow()
    # The user's long-expired sessions go now, so the table does not grow without bound.
    db.execute(
        delete(WebSession).where(
            WebSession.tenant_id == user.tenant_id,
            WebSession.user_id == user.id,
            WebSession.expires_at < now,
        )
    )
    key = secrets.token_urlsafe(32)
    db.add(
        WebSession(
            tenant_id=user.tenant_id,
            key_hash=_digest(key),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(seconds=max_age),
        )
    )
    db.flush()
    return key


def resolve(*, db: Session, tenant_id: uuid.UUID, key: str) -> tuple[User, Tenant] | None:
    """The active user and tenant of a live session; None when it ended or never was."""
    row = db.execute(
        select(WebSession.expires_at, User, Tenant)
        .join(User, (User.tenant_id == WebSession.tenant_id) & (User.id == WebSession.user_id))
        .join(Tenant, Tenant.id == WebSession.tenant_id)
        .where(WebSession.tenant_id == tenant_id, WebSession.key_hash == _digest(key))
    ).first()
    if row is None or row.expires_at <= utcnow() or not row.User.is_active:
        return None
    return row.User, row.Tenant


def end(*, db: Session, tenant_id: uuid.UUID, key: str) -> None:
    db.execute(
        delete(WebSession).where(
            WebSession.tenant_id == tenant_id, WebSession.key_hash == _digest(key)
        )
    )


def end_all(*, db: Session, user: User) -> int:
    """End every session of `user` (all their browsers); returns how many there were."""
    result = db.execute(
        delete(WebSession).where(
            WebSession.tenant_id == user.tenant_id, WebSession.user_id == user.id
        )
    )
    return result.rowcount or 0
