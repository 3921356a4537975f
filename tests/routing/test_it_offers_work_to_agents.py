"""Push routing through the API: a workitem is offered to the longest-idle available agent,
a reject hands it to the next one, a lapse brings it back, N lapses set an agent away, and
exactly one agent holds an offer at a time."""

from __future__ import annotations

import uuid
from datetime import timedelta

from rapport.core.db import utcnow
from rapport.interactions.models import Interaction
from rapport.routing import clock
from rapport.routing.models import Offer
from tests.conftest import make_persona
from tests.routing.helpers import post_interaction


def _push(alice, **settings) -> None:
    body = {"routing_mode": "push", "offer_cooldown_seconds": 60, **settings}
    response = alice.client.patch("/api/v1/tenant", json=body)
    assert response.status_code == 200, response.text


def _offer_of(persona) -> dict | None:
    found = persona.client.get("/api/v1/me/offers").json()
    assert len(found) <= 1
    return found[0] if found else None


def _two_agents(db, app, tenant_a, alice, bob):
    # Alice and Sam take no work here: only the two agents are available.
    alice.client.patch("/api/v1/me/availability", json={"availability": "away"})
    dana = make_persona(db, app, tenant_a, "dana@acme.example", "agent")
    bob.client.patch("/api/v1/me/availability", json={"availability": "available"})
    dana.client.patch("/api/v1/me/availability", json={"availability": "available"})
    return dana


def test_reject_hands_the_workitem_to_the_other_agent(app, db, tenant_a, alice, bob):
    _push(alice)
    dana = _two_agents(db, app, tenant_a, alice, bob)
    item = post_interaction(bob.client)
    first = _offer_of(bob) or _offer_of(dana)
    assert first and first["interaction_id"] == item["id"]
    holder, other = (bob, dana) if _offer_of(bob) else (dana, bob)
    assert holder.user.id != other.user.id and _offer_of(other) is None  # exactly one holds it
    assert other.client.post(f"/api/v1/offers/{first['id']}/accept").status_code == 404
    assert holder.client.post(f"/api/v1/offers/{first['id']}/reject").status_code == 200
    second = _offer_of(other)
    assert second and second["interaction_id"] == item["id"]  # handed straight on
    assert _offer_of(holder) is None  # and not back to who rejected it
    popped = other.client.post(f"/api/v1/offers/{second['id']}/accept")
    assert popped.status_code == 200 and popped.json()["interaction"]["state"] == "active"
    again = other.client.post(f"/api/v1/offers/{second['id']}/accept")
    assert again.status_code == 409


def test_a_lapsed_offer_goes_back_to_its_place_and_lapses_set_the_agent_away(
    app, db, session_factory, tenant_a, alice, bob
):
    _push(alice, offer_lapses_to_away=2, offer_cooldown_seconds=0)
    alice.client.patch("/api/v1/me/availability", json={"availability": "away"})
    older = post_interaction(bob.client, waited=300)
    post_interaction(bob.client, waited=10)
    offer = _offer_of(bob)
    assert offer["interaction_id"] == older["id"]  # the best waiting one first
    key = (tenant_a.id, uuid.UUID(older["id"]))
    queued_at = db.get(Interaction, key).queued_at
    for _ in range(2):
        db.expire_all()
        pending = db.query(Offer).filter_by(outcome="pending").one()
        pending.expires_at = utcnow() - timedelta(seconds=1)  # the countdown is over
        db.commit()
        clock.run_round(session_factory)  # what the clock thread does, once
        db.expire_all()
        assert db.get(Interaction, key).queued_at == queued_at  # its original position
    assert bob.client.get("/api/v1/me/availability").json()["availability"] == "away"
    assert db.query(Offer).filter_by(outcome="lapsed").count() == 2
    assert db.query(Offer).filter_by(outcome="pending").count() == 0
    board = alice.client.get("/api/v1/routing/board").json()
    assert board["lapsed_today"] == 2 and sum(w["count"] for w in board["waiting"]) == 2
    assert {a["state"] for a in board["agents"]} == {"away"}


def test_pull_mode_offers_nothing_and_bad_settings_are_refused(app, db, alice, bob, charlie):
    post_interaction(bob.client)
    assert _offer_of(bob) is None
    bad = alice.client.patch("/api/v1/tenant", json={"routing_mode": "shove", "offer_seconds": 1})
    assert bad.status_code == 422
    fields = {e["loc"][-1] for e in bad.json()["detail"]}
    assert fields == {"routing_mode", "offer_seconds"}
    wrong = bob.client.patch("/api/v1/me/availability", json={"capacity": {"fax": 1, "chat": -1}})
    assert wrong.status_code == 422
    assert bob.client.get("/api/v1/routing/board").status_code == 403
    assert charlie.client.post(f"/api/v1/offers/{uuid.uuid4()}/accept").status_code == 404
