"""A verified API token is remembered for a few seconds: a revocation made by another
process takes effect within that bound (one made here at once: test_it_authenticates_api_tokens)."""

from __future__ import annotations

from sqlalchemy import update

from rapport.core.db import utcnow
from rapport.users import token_cache
from rapport.users.models import ApiToken


def test_a_revocation_by_another_process_takes_effect_within_the_bound(db, bob, monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(token_cache, "verified_tokens", token_cache.VerifiedTokens(
        ttl=5.0, clock=lambda: now[0]))  # fmt: skip
    monkeypatch.setattr("rapport.users.service.verified_tokens", token_cache.verified_tokens)
    assert bob.client.get("/api/v1/me").status_code == 200
    # Another process revokes it: a plain UPDATE, no ORM hook runs here.
    db.execute(update(ApiToken).where(ApiToken.user_id == bob.user.id)
               .values(revoked_at=utcnow()))  # fmt: skip
    db.commit()
    now[0] += 4.9
    assert bob.client.get("/api/v1/me").status_code == 200  # still within the bound
    now[0] += 0.2
    assert bob.client.get("/api/v1/me").status_code == 401
