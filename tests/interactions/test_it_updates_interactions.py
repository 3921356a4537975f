URL = "/api/v1/interactions"


def _interaction(client):
    body = {"channel": "voice", "direction": "inbound", "address": "+14155552671"}
    return client.post(URL, json=body).json()


def test_it_moves_state_agent_and_disposition(bob):
    created = _interaction(bob.client)
    response = bob.client.patch(
        f"{URL}/{created['id']}",
        json={"state": "completed", "agent": "bob@acme.example", "disposition": "resolved"},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["state"], body["disposition"], body["version"]) == ("completed", "resolved", 2)
    assert body["agent"]["email"] == "bob@acme.example"
    assert response.headers["ETag"] == '"2"'


def test_a_stale_if_match_answers_412(bob, sam):
    created = _interaction(bob.client)
    sam.client.patch(f"{URL}/{created['id']}", json={"state": "active"})
    stale = bob.client.patch(
        f"{URL}/{created['id']}", json={"state": "abandoned"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert bob.client.get(f"{URL}/{created['id']}").json()["state"] == "active"


def test_bad_values_and_other_fields_are_refused(bob):
    created = _interaction(bob.client)
    assert bob.client.patch(f"{URL}/{created['id']}", json={"state": "done"}).status_code == 422
    response = bob.client.patch(f"{URL}/{created['id']}", json={"agent": "ghost@acme.example"})
    assert response.json()["detail"][0]["loc"] == ["body", "agent"]
    assert bob.client.patch(f"{URL}/{created['id']}", json={"address": "x"}).status_code == 422


def test_charlie_gets_404(bob, charlie):
    created = _interaction(bob.client)
    response = charlie.client.patch(f"{URL}/{created['id']}", json={"state": "completed"})
    assert response.status_code == 404
