"""Alice (admin) registers her receiver; Bob's new contact reaches it, signed, once."""

from tests.webhooks.receiver import register, verify, wait_for


def test_a_created_contact_reaches_the_receiver_signed(alice, bob, receiver, deliver):
    endpoint = register(alice, receiver.url, ["contact.created"])
    assert endpoint["secret"].startswith("whsec_")

    created = bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "last_name": "Byron",
                                                        "email": "ada@example.com"})  # fmt: skip
    assert created.status_code == 201
    wait_for(lambda: receiver.accepted(), step=deliver)

    [got] = receiver.received
    assert verify(endpoint["secret"], got.headers, got.body)
    assert not verify("whsec_someone-else-entirely", got.headers, got.body)
    assert not verify(endpoint["secret"], got.headers, got.body.replace(b"Ada", b"Eve"))
    event = got.event
    assert event["type"] == "contact.created"
    assert got.headers["Rapport-Event-Id"] == event["id"]
    assert event["data"]["id"] == created.json()["id"]
    assert event["data"]["changes"]["first_name"] == [None, "Ada"]
    assert event["data"]["actor"]["via"] == "api"

    log = alice.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json()
    assert [(d["status"], d["last_status_code"], d["attempts"]) for d in log] == [
        ("delivered", 200, 1)
    ]
    assert deliver() == 0  # nothing sent twice


def test_a_refused_change_announces_nothing(alice, bob, receiver, deliver):
    endpoint = register(alice, receiver.url, ["contact.created", "contact.updated"])
    refused = bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "email": "not-mail"})
    assert refused.status_code == 422
    assert deliver() == 0
    assert alice.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json() == []


def test_only_subscribed_events_of_enabled_endpoints_are_sent(alice, bob, receiver, deliver):
    notes_only = register(alice, receiver.url, ["note.created"])
    switched_off = register(alice, receiver.url, ["contact.created"])
    alice.client.patch(f"/api/v1/webhooks/{switched_off['id']}", json={"enabled": False})
    bob.client.post("/api/v1/contacts", json={"first_name": "Grace", "last_name": "Hopper"})
    assert deliver() == 0
    for endpoint in (notes_only, switched_off):
        assert alice.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json() == []


def test_only_http_urls_are_accepted(alice):
    for url in ("ftp://example.com/hook", "file:///etc/passwd", "example.com/hook",
                "https://user:pw@example.com/hook"):  # fmt: skip
        answer = alice.client.post("/api/v1/webhooks", json={"url": url,
                                                             "event_types": ["note.created"]})
        assert answer.status_code == 422, url
        assert answer.json()["detail"][0]["loc"] == ["body", "url"]
    unknown = alice.client.post("/api/v1/webhooks", json={"url": "https://example.com/h",
                                                          "event_types": ["contact.exploded"]})
    assert unknown.status_code == 422
    assert alice.client.get("/api/v1/webhooks").json() == []


def test_only_administrators_of_the_tenant_see_endpoints(alice, bob, charlie, receiver):
    endpoint = register(alice, receiver.url, ["contact.created"])
    assert bob.client.get("/api/v1/webhooks").status_code == 403
    assert bob.client.post("/api/v1/webhooks", json={
        "url": receiver.url, "event_types": ["contact.created"]}).status_code == 403
    assert charlie.client.get("/api/v1/webhooks").json() == []
    for path in ("", "/deliveries"):
        assert charlie.client.get(f"/api/v1/webhooks/{endpoint['id']}{path}").status_code == 404
    assert charlie.client.delete(f"/api/v1/webhooks/{endpoint['id']}").status_code == 404
    assert "secret" not in alice.client.get(f"/api/v1/webhooks/{endpoint['id']}").json()
