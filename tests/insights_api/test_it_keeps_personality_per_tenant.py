"""Use case: another tenant never reads, changes or even detects our contacts' profiles."""

from tests.insights_api.helpers import profile_url, record, words


def test_charlie_gets_404_on_every_personality_endpoint(db, bob, charlie, enabled, contact):
    charlie.tenant.personality_insights_enabled = True
    db.commit()
    interaction_id = record(bob.client, contact.id, "sms", [("contact", words(200))])
    message_id = bob.client.get(f"/api/v1/interactions/{interaction_id}").json()["messages"][0][
        "id"
    ]
    example_id = bob.client.post(profile_url(contact.id) + "/examples", json={"text": "hi"}).json()[
        "id"
    ]
    base = profile_url(contact.id)
    for method, url in (
        ("get", base),
        ("get", base + "/examples"),
        ("delete", f"{base}/examples/{example_id}"),
        ("post", f"{base}/exclusions/{message_id}"),
        ("delete", f"{base}/exclusions/{message_id}"),
    ):
        response = getattr(charlie.client, method)(url)
        assert response.status_code == 404, (method, url, response.text)
    response = charlie.client.post(base + "/examples", json={"text": "planted words"})
    assert response.status_code == 404
    listed = bob.client.get(base + "/examples").json()["items"]
    assert {item["kind"] for item in listed} == {"message", "manual"} and len(listed) == 2
    assert not any(item["excluded"] for item in listed)


def test_a_message_of_another_tenant_cannot_be_excluded_from_ours(
    db, bob, charlie, enabled, contact
):
    from tests.factories import make_contact

    charlie.tenant.personality_insights_enabled = True
    db.commit()
    theirs = make_contact(db, charlie.tenant, email="vera@example.com")
    interaction_id = record(charlie.client, theirs.id, "sms", [("contact", words(10))])
    their_message = charlie.client.get(f"/api/v1/interactions/{interaction_id}").json()["messages"][
        0
    ]["id"]
    response = bob.client.post(f"{profile_url(contact.id)}/exclusions/{their_message}")
    assert response.status_code == 404
