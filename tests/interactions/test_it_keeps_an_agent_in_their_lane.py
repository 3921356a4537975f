"""An agent works their own interactions: the state moves only through the routing actions,
assignment is for supervisors and administrators, another agent's interaction is theirs."""

from tests.conftest import make_persona

URL = "/api/v1/interactions"


def _queued(client) -> dict:
    body = {"channel": "voice", "direction": "inbound", "address": "+14155552671"}
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _state(client, interaction: dict) -> tuple[str, str | None]:
    body = client.get(f"{URL}/{interaction['id']}").json()
    return body["state"], (body["agent"] or {}).get("email")


def test_patch_cannot_skip_or_reopen_states(bob, alice):
    queued = _queued(bob.client)
    for client in (bob.client, alice.client):  # not even an administrator
        response = client.patch(f"{URL}/{queued['id']}", json={"state": "completed"})
        assert response.status_code == 409, response.text
        assert "accepting, transferring, completing or abandoning" in response.json()["detail"]
    assert _state(bob.client, queued) == ("queued", None)

    bob.client.post(f"{URL}/{queued['id']}/accept")
    done = bob.client.post(f"{URL}/{queued['id']}/complete", json={"disposition": "Resolved"})
    assert done.status_code == 200, done.text
    reopen = bob.client.patch(f"{URL}/{queued['id']}", json={"state": "queued"})
    assert reopen.status_code == 409
    assert _state(bob.client, queued) == ("completed", "bob@acme.example")


def test_the_same_state_is_accepted_and_changes_nothing(bob):
    queued = _queued(bob.client)
    response = bob.client.patch(f"{URL}/{queued['id']}", json={"state": "queued"})
    assert response.status_code == 200
    assert response.json()["version"] == 1


def test_only_supervisors_and_administrators_assign(db, app, tenant_a, bob, sam, alice):
    dora = make_persona(db, app, tenant_a, "dora@acme.example", "agent")
    queued = _queued(bob.client)
    for agent in ("bob@acme.example", "dora@acme.example"):
        response = bob.client.patch(f"{URL}/{queued['id']}", json={"agent": agent})
        assert response.status_code == 403, response.text
        assert response.json()["required_role"] == "supervisor"
    assert _state(bob.client, queued) == ("queued", None)

    url = f"{URL}/{queued['id']}"
    assert sam.client.patch(url, json={"agent": "dora@acme.example"}).status_code == 200
    assert _state(bob.client, queued) == ("queued", "dora@acme.example")
    assert alice.client.patch(url, json={"agent": None}).status_code == 200
    assert _state(bob.client, queued) == ("queued", None)
    assert dora.client.get(url).status_code == 200


def test_an_agent_cannot_record_work_for_another_agent(bob, sam):
    body = {"channel": "voice", "direction": "inbound", "address": "+14155552671"}
    refused = bob.client.post(URL, json={**body, "agent": "sam@acme.example"})
    assert refused.status_code == 403, refused.text
    assert bob.client.post(URL, json={**body, "agent": "bob@acme.example"}).status_code == 201
    assert sam.client.post(URL, json={**body, "agent": "bob@acme.example"}).status_code == 201


def test_an_agent_cannot_act_on_another_agents_interaction(db, app, tenant_a, bob, sam):
    dora = make_persona(db, app, tenant_a, "dora@acme.example", "agent")
    queued = _queued(bob.client)
    assert dora.client.post(f"{URL}/{queued['id']}/accept").status_code == 200
    held = f"{URL}/{queued['id']}"

    changed = bob.client.patch(held, json={"subject": "Mine now", "agent": "bob@acme.example"})
    assert changed.status_code == 403
    assert "held by another agent" in changed.json()["detail"]
    assert bob.client.patch(held, json={"disposition": "x"}).status_code == 403
    message = {"sender": "agent", "text": "hello"}
    assert bob.client.post(f"{held}/messages", json=message).status_code == 403
    contact = bob.client.post("/api/v1/contacts", json={"first_name": "Ann"}).json()
    linked = bob.client.post(f"{held}/contact", json={"contact_id": contact["id"]})
    assert linked.status_code == 403
    assert bob.client.post(f"{held}/accept").status_code == 409
    for action in ("transfer", "abandon"):
        assert bob.client.post(f"{held}/{action}").status_code == 403
    done = bob.client.post(f"{held}/complete", json={"disposition": "Resolved"})
    assert done.status_code == 403
    assert _state(bob.client, queued) == ("active", "dora@acme.example")

    # Dora herself and a supervisor can.
    assert dora.client.patch(held, json={"subject": "Billing"}).status_code == 200
    assert sam.client.post(f"{held}/messages", json=message).status_code == 201
    assert sam.client.patch(held, json={"agent": "bob@acme.example"}).status_code == 200
    assert bob.client.patch(held, json={"subject": "Now mine"}).status_code == 200
