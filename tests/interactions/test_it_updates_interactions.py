URL = "/api/v1/interactions"


def _interaction(client, **values):
    body = {"channel": "voice", "direction": "inbound", "address": "+14155552671", **values}
    return client.post(URL, json=body).json()


def test_it_changes_subject_and_disposition(bob):
    created = _interaction(bob.client)
    response = bob.client.patch(
        f"{URL}/{created['id']}",
        json={"subject": "Billing question", "disposition": "resolved"},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["subject"], body["disposition"], body["version"]) == (
        "Billing question", "resolved", 2,
    )  # fmt: skip
    assert response.headers["ETag"] == '"2"'


def test_a_changed_subject_is_found_by_history_search(bob):
    created = _interaction(bob.client, subject="Question")
    bob.client.patch(f"{URL}/{created['id']}", json={"subject": "Refund for parcel"})
    contact = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Ann", "phone": "+14155552671"}
    ).json()
    bob.client.post(f"{URL}/{created['id']}/contact", json={"contact_id": contact["id"]})
    found = bob.client.get(f"/api/v1/contacts/{contact['id']}/interactions", params={"q": "refund"})
    assert [i["id"] for i in found.json()["items"]] == [created["id"]]


def test_a_supervisor_assigns_an_agent(sam, bob):
    created = _interaction(bob.client)
    response = sam.client.patch(f"{URL}/{created['id']}", json={"agent": "bob@acme.example"})
    assert response.status_code == 200, response.text
    assert response.json()["agent"]["email"] == "bob@acme.example"


def test_a_stale_if_match_answers_412(bob, sam):
    created = _interaction(bob.client)
    sam.client.patch(f"{URL}/{created['id']}", json={"subject": "Changed"})
    stale = bob.client.patch(
        f"{URL}/{created['id']}", json={"subject": "Mine"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    assert bob.client.get(f"{URL}/{created['id']}").json()["subject"] == "Changed"


def test_bad_values_and_other_fields_are_refused(bob, sam):
    created = _interaction(bob.client)
    assert bob.client.patch(f"{URL}/{created['id']}", json={"state": "done"}).status_code == 422
    response = sam.client.patch(f"{URL}/{created['id']}", json={"agent": "ghost@acme.example"})
    assert response.json()["detail"][0]["loc"] == ["body", "agent"]
    assert bob.client.patch(f"{URL}/{created['id']}", json={"address": "x"}).status_code == 422
    too_long = bob.client.patch(f"{URL}/{created['id']}", json={"subject": "x" * 501})
    assert too_long.json()["detail"][0]["loc"] == ["body", "subject"]


def test_charlie_gets_404(bob, charlie):
    created = _interaction(bob.client)
    response = charlie.client.patch(f"{URL}/{created['id']}", json={"subject": "Hacked"})
    assert response.status_code == 404
