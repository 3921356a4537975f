"""An event about a new workitem is published only when its transaction commits, not when a
savepoint inside it is released (recording an interaction uses one), so a workspace that
reads the queue on the event always finds the item."""

from __future__ import annotations

import asyncio
import uuid

from rapport.interactions import service as interactions_service
from rapport.interactions.models import Interaction
from rapport.routing.events import broadcaster


def _record_and_watch(factory, tenant) -> tuple[list[str], list[bool]]:
    """Record a call in its own session; at the event, read it from another session."""
    received: list[str] = []
    visible: list[bool] = []

    async def watch() -> None:
        subscription = broadcaster.open(tenant.id)
        loop = asyncio.get_running_loop()
        with factory() as writer:
            interactions_service.record(db=writer, tenant=writer.merge(tenant), values={
                "channel": "voice", "direction": "inbound", "address": "+14155550100",
            })  # fmt: skip
            await asyncio.sleep(0)  # anything published by now would be delivered
            received.extend(subscription._subscriber.queue.qsize() * ["early"])
            writer.commit()
        event = await asyncio.wait_for(anext(aiter(subscription)), timeout=10)
        received.append(event.type)
        with factory() as reader:
            key = (tenant.id, uuid.UUID(event.data["interaction_id"]))
            visible.append(await loop.run_in_executor(None, reader.get, Interaction, key))

    asyncio.run(watch())
    return received, [bool(v) for v in visible]


def test_the_event_comes_after_the_commit(session_factory, tenant_a):
    received, visible = _record_and_watch(session_factory, tenant_a)
    assert received == ["interaction.queued"]  # nothing at the savepoint, once at the commit
    assert visible == [True]
