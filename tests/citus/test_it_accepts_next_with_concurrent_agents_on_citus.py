"""Agents of one tenant accept the next waiting call at the same moment, on Citus: each
interaction goes to exactly one agent (FOR UPDATE SKIP LOCKED, routed to the tenant's shard)."""

from __future__ import annotations

import threading
from collections import Counter

from tests.citus.conftest import make_tenant

AGENTS = 4
WAITING = 24


def test_concurrent_agents_each_get_different_calls(citus_app, citus_engine):
    members = make_tenant(citus_app, citus_engine,
                          {f"agent{n}": "agent" for n in range(AGENTS)})  # fmt: skip
    first = members["agent0"].client
    for n in range(WAITING):
        posted = first.post("/api/v1/interactions", json={
            "channel": "voice", "direction": "inbound", "address": f"+1415555{n:04d}",
        })  # fmt: skip
        assert posted.status_code == 201, posted.text

    taken: list[tuple[str, str]] = []
    errors: list[str] = []
    start = threading.Barrier(AGENTS)

    def agent_loop(name: str) -> None:
        client = members[name].client
        start.wait()
        while True:
            response = client.post("/api/v1/queue/accept")
            if response.status_code == 204:
                return
            if response.status_code != 200:
                errors.append(response.text)
                return
            taken.append((name, response.json()["interaction"]["id"]))

    threads = [threading.Thread(target=agent_loop, args=(n,)) for n in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    ids = [interaction_id for _name, interaction_id in taken]
    assert len(ids) == WAITING and len(set(ids)) == WAITING
    assert len(Counter(name for name, _ in taken)) > 1, "the agents did not compete"
    assert first.get("/api/v1/queue").json()["items"] == []
