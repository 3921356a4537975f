"""Use case: an agent leaves a message out of the analysis, and can take it back in."""

from tests.insights_api.helpers import profile_url, record, words


def _message_ids(client, contact_id):
    items = client.get(profile_url(contact_id) + "/examples").json()["items"]
    return {item["text"].split()[0]: item["id"] for item in items}


def test_an_excluded_message_no_longer_counts_and_can_come_back(bob, enabled, contact):
    record(bob.client, contact.id, "sms", [("contact", "Pasted " + words(199))])
    record(bob.client, contact.id, "chat", [("contact", "Mine " + words(149))])
    assert bob.client.get(profile_url(contact.id)).json()["word_count"] == 350
    pasted = _message_ids(bob.client, contact.id)["Pasted"]
    url = f"{profile_url(contact.id)}/exclusions/{pasted}"

    response = bob.client.post(url)
    assert response.status_code == 200, response.text
    assert response.json() == {"message_id": pasted, "excluded": True, "changed": True}
    assert bob.client.post(url).json()["changed"] is False  # idempotent
    assert bob.client.get(profile_url(contact.id)).json()["word_count"] == 150
    listed = bob.client.get(profile_url(contact.id) + "/examples").json()
    flags = {item["id"]: item["excluded"] for item in listed["items"]}
    assert flags[pasted] is True and listed["word_count"] == 150

    response = bob.client.delete(url)
    assert response.json() == {"message_id": pasted, "excluded": False, "changed": True}
    assert bob.client.delete(url).json()["changed"] is False
    assert bob.client.get(profile_url(contact.id)).json()["word_count"] == 350


def test_excluding_below_the_minimum_removes_the_profile(bob, enabled, contact):
    record(bob.client, contact.id, "sms", [("contact", words(120))])
    assert bob.client.get(profile_url(contact.id)).json()["status"] == "ready"
    (message_id,) = _message_ids(bob.client, contact.id).values()
    bob.client.post(f"{profile_url(contact.id)}/exclusions/{message_id}")
    body = bob.client.get(profile_url(contact.id)).json()
    assert (body["status"], body["word_count"], body["words_needed"]) == (
        "not_enough_text", 0, 100,
    )  # fmt: skip


def test_only_the_contacts_own_messages_can_be_excluded(bob, enabled, contact):
    interaction_id = record(bob.client, contact.id, "chat", [("agent", "Hello, how can I help")])
    agent_message = bob.client.get(f"/api/v1/interactions/{interaction_id}").json()["messages"][0]
    response = bob.client.post(f"{profile_url(contact.id)}/exclusions/{agent_message['id']}")
    assert response.status_code == 404
    unknown = "0190a000-0000-7000-8000-000000000000"
    assert bob.client.post(f"{profile_url(contact.id)}/exclusions/{unknown}").status_code == 404
