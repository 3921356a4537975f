"""Shared by the routing tests: post workitems the way an integration does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

INTERACTIONS = "/api/v1/interactions"


def ago(seconds: float) -> str:
    return (datetime.now(UTC) - timedelta(seconds=seconds)).isoformat()


def post_interaction(client, *, waited: float = 0, **values) -> dict:
    """A queued inbound call that started `waited` seconds ago (its place in line)."""
    body = {"channel": "voice", "direction": "inbound", "address": "+14155550100", **values}
    if waited:
        body["started_at"] = ago(waited)
    response = client.post(INTERACTIONS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def queue_ids(client, **params) -> list[str]:
    response = client.get("/api/v1/queue", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def accept_all(client) -> list[str]:
    taken = []
    while (response := client.post("/api/v1/queue/accept")).status_code == 200:
        taken.append(response.json()["interaction"]["id"])
    assert response.status_code == 204, response.text
    return taken
