"""Tokens made before the token digests moved to their own table keep working after it,
and going back down restores the old unique key (SQLite and PostgreSQL)."""

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import DateTime, Uuid, column, inspect, table
from sqlalchemy.orm import Session

from rapport.core import migrate
from rapport.core.errors import Unauthorized
from rapport.core.security import token_digest
from rapport.users import service as users_service
from rapport.users.token_cache import verified_tokens

SECRET = "rpt_made-before-the-migration-0123456789abcdef"


def _plant_a_token(engine) -> uuid.UUID:
    """Rows as they were at revision 0007, written without today's models."""
    tenant, user, token = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    tenants = table("tenants", *(column(c) for c in ("slug", "name", "time_zone",
                    "personality_insights_enabled", "default_priority")),
                    column("id", Uuid), column("created_at", DateTime(timezone=True)),
                    column("updated_at", DateTime(timezone=True)))  # fmt: skip
    users = table("users", *(column(c) for c in ("email", "email_key", "name", "role",
                  "is_active")), column("tenant_id", Uuid), column("id", Uuid),
                  column("created_at", DateTime(timezone=True)),
                  column("updated_at", DateTime(timezone=True)))  # fmt: skip
    tokens = table("api_tokens", *(column(c) for c in ("name", "prefix", "token_hash")),
                   column("tenant_id", Uuid), column("id", Uuid), column("user_id", Uuid),
                   column("created_at", DateTime(timezone=True)))  # fmt: skip
    with engine.begin() as c:
        c.execute(tenants.insert().values(
            id=tenant, slug="old", name="Old", time_zone="UTC",
            personality_insights_enabled=False, default_priority=5, created_at=now, updated_at=now,
        ))  # fmt: skip
        c.execute(users.insert().values(
            tenant_id=tenant, id=user, email="a@old.example", email_key="a@old.example",
            name="A", role="admin", is_active=True, created_at=now, updated_at=now,
        ))  # fmt: skip
        c.execute(tokens.insert().values(
            tenant_id=tenant, id=token, user_id=user, name="old", prefix=SECRET[:10],
            token_hash=token_digest(SECRET), created_at=now,
        ))  # fmt: skip
    return token


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_token_made_before_the_migration_still_signs_in(databases, backend):
    engine = databases.create(backend)
    # One secret on two databases in one process: forget what the other backend verified.
    verified_tokens.clear()
    migrate.upgrade(engine, "0007")
    token_id = _plant_a_token(engine)
    migrate.upgrade(engine)
    with Session(engine) as db:
        token, user, tenant = users_service.authenticate_token(db=db, secret=SECRET)
        assert (token.id, user.email, tenant.slug) == (token_id, "a@old.example", "old")
        with pytest.raises(Unauthorized):
            users_service.authenticate_token(db=db, secret=SECRET + "x")

    migrate.downgrade(engine, "0007")
    inspector = inspect(engine)
    assert "api_token_digests" not in inspector.get_table_names()
    unique = [u["column_names"] for u in inspector.get_unique_constraints("api_tokens")]
    assert ["token_hash"] in unique
    migrate.upgrade(engine)
    with Session(engine) as db:
        assert users_service.authenticate_token(db=db, secret=SECRET)[0].id == token_id
