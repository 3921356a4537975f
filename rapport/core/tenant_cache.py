"""A tenant's settings that nearly every request reads (custom-field definitions, webhook
subscriptions), remembered in the process for a few seconds instead of read per request.

The bound, as for verified tokens (`users/token_cache.py`):
- a change made by this process is seen at once: the transaction that makes it reads its
  own rows (it never uses the cache), and its commit empties the cache before any other
  request can read the change;
- a change made by another server process is seen here within TTL_SECONDS.

An answer read from the database is remembered only if no change was committed in this
process since the reading transaction began (a generation counter), so a transaction that
started before a change never puts its older rows back in the cache after the change.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction, object_session

TTL_SECONDS = 5.0
MAX_TENANTS = 10_000  # tenants in use at once; beyond that the cache starts over
_BEGUN = "rapport.cache_generation"  # session.info: the generation its transaction began in
_CHANGED = "rapport.cache_changed"  # session.info: caches whose rows it changed
_lock = threading.Lock()
_generation = 0  # every commit of a change to cached rows moves it on

Value = TypeVar("Value")
_caches: dict[str, TenantCache] = {}


class TenantCache(Generic[Value]):
    """tenant id -> (expiry, value): a value built from the tenant's rows of some models."""

    def __init__(self, name: str, ttl: float = TTL_SECONDS, clock=time.monotonic) -> None:
        self.name, self.ttl, self.clock = name, ttl, clock
        self._entries: dict[uuid.UUID, tuple[float, Value]] = {}
        _caches[name] = self

    def get(self, session: Session, tenant_id: uuid.UUID) -> Value | None:
        if self.name in session.info.get(_CHANGED, ()):
            return None  # this transaction changed them: it reads its own rows
        entry = self._entries.get(tenant_id)
        if entry is None or entry[0] < self.clock():
            return None
        return entry[1]

    def put(self, session: Session, tenant_id: uuid.UUID, value: Value) -> None:
        if self.name in session.info.get(_CHANGED, ()):
            return
        with _lock:
            if session.info.get(_BEGUN) != _generation:
                return  # read in a transaction older than a change: not worth keeping
            if len(self._entries) >= MAX_TENANTS:
                self._entries.clear()
            self._entries[tenant_id] = (self.clock() + self.ttl, value)

    def clear(self) -> None:
        global _generation
        with _lock:
            _generation += 1
            self._entries.clear()

    def watch(self, models: Iterable[type], relevant: Callable[[object], bool] | None = None):
        """Flushed inserts, updates and deletes of these models change the cached rows;
        `relevant(record)` may say an update changed nothing the cache holds."""

        def changed(_mapper, _connection, record) -> None:
            session = object_session(record)
            if session is not None:
                session.info.setdefault(_CHANGED, set()).add(self.name)
            else:
                self.clear()

        def updated(mapper, connection, record) -> None:
            if relevant is None or relevant(record):
                changed(mapper, connection, record)

        for model in models:
            event.listen(model, "after_insert", changed)
            event.listen(model, "after_update", updated)
            event.listen(model, "after_delete", changed)
        return self


def changed_columns(record: object) -> set[str]:
    return {a.key for a in inspect(record).attrs if a.history.has_changes()}


@event.listens_for(Session, "after_begin")
def _note_generation(session: Session, _transaction, _connection) -> None:
    session.info[_BEGUN] = _generation


@event.listens_for(Session, "after_commit")
def _changes_committed(session: Session) -> None:
    for name in session.info.pop(_CHANGED, ()):
        _caches[name].clear()


@event.listens_for(Session, "after_transaction_end")
def _changes_dropped(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back or closed (a commit emptied it already)
        session.info.pop(_CHANGED, None)
