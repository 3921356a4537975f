"""The live queue: server-sent events over a real socket, read with a timeout."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn
from sqlalchemy import text

from rapport.core.db import utcnow
from rapport.routing import events
from tests.routing.helpers import post_interaction


@contextmanager
def _served(app) -> Iterator[str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _events(response: httpx.Response) -> Iterator[tuple[str, dict]]:
    name = None
    for line in response.iter_lines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and name:
            yield name, json.loads(line.split(":", 1)[1])
            name = None


def test_a_workspace_hears_queued_accepted_and_messages(app, bob, charlie):
    headers = {"Authorization": f"Bearer {bob.token}"}
    seen: list[tuple[str, dict]] = []
    wanted = {"interaction.queued", "interaction.accepted", "message.appended"}
    with _served(app) as base, httpx.Client(base_url=base, timeout=10) as client:
        with client.stream("GET", "/api/v1/queue/events", headers=headers) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = _events(response)
            assert next(stream)[0] == "ready"
            post_interaction(charlie.client)  # another tenant: never heard here
            item = post_interaction(bob.client)
            bob.client.post("/api/v1/queue/accept")
            bob.client.post(
                f"/api/v1/interactions/{item['id']}/messages",
                json={"sender": "contact", "text": "Hello?"},
            )
            for name, data in stream:
                seen.append((name, data))
                if wanted <= {n for n, _ in seen}:
                    break
    assert [name for name, _ in seen] == [
        "interaction.queued", "interaction.accepted", "message.appended"
    ]
    assert all(data["interaction_id"] == item["id"] for _, data in seen)
    assert seen[1][1]["agent_id"] == str(bob.user.id)


def test_nothing_is_announced_for_a_rolled_back_change(db, tenant_a, monkeypatch):
    published = []
    monkeypatch.setattr(events.broadcaster, "publish", lambda *args: published.append(args))
    db.execute(text("SELECT 1"))  # inside a unit of work, as services are
    events.announce(db, tenant_a.id, "interaction.queued", interaction_id="x")
    db.rollback()
    db.commit()
    assert published == []
    events.announce(db, tenant_a.id, "interaction.queued", interaction_id="y", at=str(utcnow()))
    db.commit()
    assert [args[1] for args in published] == ["interaction.queued"]
