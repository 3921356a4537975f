"""Live queue events: collected during a transaction, announced only after it commits.

Services and model hooks call `announce(session, tenant_id, type, **data)`; the event waits
in `session.info` until the session commits (nothing is said about a rolled-back change),
then goes to every open workspace of the tenant through the in-process `broadcaster`.

Several processes on PostgreSQL: just before the commit the pending events are also sent with
`pg_notify` on the committing transaction, so PostgreSQL delivers them to the other processes
only if (and when) the change commits. Each process holds one listening connection
(`rapport.routing.listener`) that hands them to its own broadcaster, skipping the ones it sent
itself (those it already published after its commit, without a round trip). SQLite serves one
process and needs only the in-process path.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import threading
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session, SessionTransaction

from rapport.core.db import utcnow

PENDING = "routing_pending_events"
NOTIFIED = "routing_notified_events"  # how many of the pending events went out by pg_notify
CHANNEL = "rapport_events"  # the PostgreSQL notification channel every process listens on
# A workspace that stops reading must not make the server hold events for it forever.
SUBSCRIBER_BACKLOG = 1000


@dataclass(frozen=True)
class QueueEvent:
    id: int
    tenant_id: uuid.UUID
    type: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[QueueEvent]
    dropped: int = 0

    def deliver(self, queue_event: QueueEvent) -> None:
        # Runs on the subscriber's event loop: publishers may be worker threads.
        if self.queue.full():
            self.queue.get_nowait()  # keep the newest; the client re-reads the queue anyway
            self.dropped += 1
        self.queue.put_nowait(queue_event)


class Broadcaster:
    """Per-tenant fan-out to asyncio queues; safe to publish from any thread."""

    def __init__(self) -> None:
        self._subscribers: dict[uuid.UUID, set[_Subscriber]] = {}
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def publish(self, tenant_id: uuid.UUID, type_: str, data: dict[str, Any]) -> QueueEvent:
        queue_event = QueueEvent(next(self._ids), tenant_id, type_, data)
        with self._lock:
            subscribers = list(self._subscribers.get(tenant_id, ()))
        for subscriber in subscribers:
            try:
                subscriber.loop.call_soon_threadsafe(subscriber.deliver, queue_event)
            except RuntimeError:  # its loop has closed: the client is gone
                self._remove(tenant_id, subscriber)
        return queue_event

    def tenants(self) -> list[uuid.UUID]:
        """The tenants someone in this process is listening to."""
        with self._lock:
            return list(self._subscribers)

    def subscriber_count(self, tenant_id: uuid.UUID) -> int:
        with self._lock:
            return len(self._subscribers.get(tenant_id, ()))

    def _remove(self, tenant_id: uuid.UUID, subscriber: _Subscriber) -> None:
        with self._lock:
            self._subscribers.get(tenant_id, set()).discard(subscriber)
            if not self._subscribers.get(tenant_id):
                self._subscribers.pop(tenant_id, None)

    def open(self, tenant_id: uuid.UUID) -> Subscription:
        """Start receiving the tenant's events now (call on the event loop that reads them)."""
        subscriber = _Subscriber(asyncio.get_running_loop(), asyncio.Queue(SUBSCRIBER_BACKLOG))
        with self._lock:
            self._subscribers.setdefault(tenant_id, set()).add(subscriber)
        return Subscription(self, tenant_id, subscriber)


class Subscription:
    """An open workspace's feed; iterate it, and close it when the client goes away."""

    def __init__(self, broadcaster: Broadcaster, tenant_id: uuid.UUID, subscriber) -> None:
        self._broadcaster, self._tenant_id, self._subscriber = broadcaster, tenant_id, subscriber

    def __aiter__(self) -> AsyncIterator[QueueEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[QueueEvent]:
        try:
            while True:
                yield await self._subscriber.queue.get()
        finally:
            self.close()

    def close(self) -> None:
        self._broadcaster._remove(self._tenant_id, self._subscriber)


async def sse_messages(
    subscription: Subscription, ready: dict[str, Any]
) -> AsyncIterator[dict[str, str]]:
    """Server-sent event messages of a subscription, `ready` first; closes it when done.

    Shared by the API's token-authenticated stream and the workspace page's session one.
    """
    try:
        yield {"event": "ready", "data": json.dumps(ready)}
        async for queue_event in subscription:
            yield {
                "event": queue_event.type,
                "id": str(queue_event.id),
                "data": json.dumps(queue_event.data, default=str),
            }
    finally:
        subscription.close()


# The process's one broker, like a logging handler: every session of the process feeds it.
broadcaster = Broadcaster()


def announce(session: Session, tenant_id: uuid.UUID, type_: str, **data: Any) -> None:
    """Queue an event to be published when `session` commits."""
    data = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in data.items()}
    data.setdefault("at", utcnow().isoformat())
    session.info.setdefault(PENDING, []).append((tenant_id, type_, data))


_origin: tuple[int, str] = (0, "")


def origin() -> str:
    """This process's name on the channel, so its listener can skip what it sent itself.

    Renewed in a forked child (the pid changes), which must not pass for its parent.
    """
    global _origin
    if _origin[0] != os.getpid():
        _origin = (os.getpid(), uuid.uuid4().hex)
    return _origin[1]


def notification(tenant_id: uuid.UUID, type_: str, data: dict[str, Any]) -> str:
    return json.dumps({"o": origin(), "t": str(tenant_id), "e": type_, "d": data}, default=str)


def read_notification(payload: str) -> tuple[str, uuid.UUID, str, dict[str, Any]]:
    """(origin, tenant id, type, data) of a notification sent by `notification`."""
    message = json.loads(payload)
    return message["o"], uuid.UUID(message["t"]), message["e"], message["d"]


_NOTIFY = text("SELECT pg_notify(:channel, p) FROM unnest(CAST(:payloads AS text[])) AS p")
# Most writes announce one event: a plain call spares the array (a tenth of an append's CPU).
_NOTIFY_ONE = text("SELECT pg_notify(:channel, :payload)")


@event.listens_for(Session, "before_commit")
def _notify_other_processes(session: Session) -> None:
    bind = session.bind
    if bind is None or bind.dialect.name != "postgresql":
        return
    if not (session.info.get(PENDING) or session.new or session.dirty or session.deleted):
        return  # a read: nothing to say, no statement spent
    session.flush()  # the commit would flush next; its hooks' events must go out with it
    pending = session.info.get(PENDING, [])
    sent = session.info.get(NOTIFIED, 0)
    if len(pending) > sent:
        payloads = [notification(*pending_event) for pending_event in pending[sent:]]
        if len(payloads) == 1:
            session.execute(_NOTIFY_ONE, {"channel": CHANNEL, "payload": payloads[0]})
        else:
            session.execute(_NOTIFY, {"channel": CHANNEL, "payloads": payloads})  # one statement
        session.info[NOTIFIED] = len(pending)


@event.listens_for(Session, "after_commit")
def _publish_after_commit(session: Session) -> None:
    # Releasing a savepoint (`begin_nested`) fires after_commit too, while the real
    # transaction is still open: publishing then announced rows no other reader could see yet.
    if session.in_nested_transaction():
        return
    session.info.pop(NOTIFIED, None)
    for tenant_id, type_, data in session.info.pop(PENDING, []):
        broadcaster.publish(tenant_id, type_, data)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole unit of work is undone
        session.info.pop(PENDING, None)
        session.info.pop(NOTIFIED, None)
