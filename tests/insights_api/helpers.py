"""Helpers for the Personality Insights API tests."""

from __future__ import annotations

SAMPLE = (
    "I have been waiting for the replacement part for two weeks now and I would really like "
    "to know when it will arrive. My family depends on this machine every morning, so please "
    "tell me exactly what happens next and when. I planned everything around the delivery "
    "date you gave me, and I organised my whole schedule around it. Thank you for your help, "
    "the agent last time was friendly and explained the steps clearly. "
)


def words(n: int, text: str = SAMPLE) -> str:
    """Exactly ``n`` whitespace-separated words of ordinary English."""
    base = text.split()
    return " ".join((base * (n // len(base) + 1))[:n])


def record(client, contact_id, channel="sms", messages=()):
    """An interaction with the contact and its messages [(sender, text), ...]; its id."""
    address = "vera@example.com" if channel == "email" else "+14155552671"
    if channel == "chat":
        address = "vera-chat"
    body = {
        "channel": channel,
        "direction": "inbound",
        "address": address,
        "contact_id": str(contact_id),
        "messages": [{"sender": sender, "text": text} for sender, text in messages],
    }
    response = client.post("/api/v1/interactions", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def profile_url(contact_id) -> str:
    return f"/api/v1/contacts/{contact_id}/personality"
