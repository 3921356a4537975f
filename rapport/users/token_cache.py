"""Verified API tokens remembered for a few seconds, so a burst of requests with one token
checks it once instead of joining tokens, users and tenants on every request.

The bound: a change made by this process to any user, token or tenant (revocation,
deactivation, a role, availability or channels, tenant settings) empties the cache at once;
the same change made by another server process takes effect here within TTL_SECONDS.
"""

from __future__ import annotations

import threading
import time
from typing import TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import make_transient_to_detached

from rapport.tenants.models import Tenant
from rapport.users.models import ApiToken, User

TTL_SECONDS = 5.0
MAX_ENTRIES = 10_000  # tokens in use at once; beyond that the cache starts over


class VerifiedTokens:
    """token digest -> (expiry, token, user, tenant), the records detached from any session."""

    def __init__(self, ttl: float = TTL_SECONDS, clock=time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._entries: dict[str, tuple[float, ApiToken, User, Tenant]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> tuple[ApiToken, User, Tenant] | None:
        entry = self._entries.get(digest)
        if entry is None or entry[0] < self.clock():
            return None
        return entry[1], entry[2], entry[3]

    def put(self, digest: str, token: ApiToken, user: User, tenant: Tenant) -> None:
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[digest] = (self.clock() + self.ttl, token, user, tenant)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


verified_tokens = VerifiedTokens()
Record = TypeVar("Record", ApiToken, User, Tenant)


def detached_copy(record: Record) -> Record:
    """A copy of the record's columns belonging to no session (the request's own object stays
    in its session), ready for `Session.merge(copy, load=False)` without a query."""
    copy = type(record)()
    for attribute in inspect(type(record)).column_attrs:
        setattr(copy, attribute.key, getattr(record, attribute.key))
    make_transient_to_detached(copy)
    return copy


def _forget_all(_mapper, _connection, record) -> None:
    changed = {a.key for a in inspect(record).attrs if a.history.has_changes()}
    if changed != {"last_used_at"}:  # the stamp of a token's use changes nothing it grants
        verified_tokens.clear()


# Cleared as soon as a change is flushed: if it is then rolled back, the next request only
# checks its token again.
for _model in (ApiToken, User, Tenant):
    event.listen(_model, "after_update", _forget_all)
    event.listen(_model, "after_delete", _forget_all)
