"""An endpoint failing for the whole retry window is switched off; Alice is told in Settings
and in the audit trail, switches it back on and sends the event again by hand."""

from datetime import timedelta

from rapport.webhooks import delivery
from tests.web.helpers import signed_in
from tests.webhooks.receiver import register, wait_for

NO_PATIENCE = delivery.Policy(timeout=5.0, backoff_seconds=0.01, retry_window=timedelta(0))


def test_persistent_failure_switches_the_endpoint_off(app, alice, bob, receiver, deliver):
    receiver.answers = [500]
    endpoint = register(alice, receiver.url, ["contact.created"])
    bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "last_name": "Byron"})
    assert deliver(NO_PATIENCE) == 1

    off = alice.client.get(f"/api/v1/webhooks/{endpoint['id']}").json()
    assert off["enabled"] is False and "switched off automatically" in off["disabled_reason"]
    [gave_up] = alice.client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries").json()
    assert gave_up["status"] == "failed"
    trail = alice.client.get("/api/v1/audit", params={"record_type": "webhook_endpoint"}).json()
    assert [e["action"] for e in trail["items"]][:1] == ["disable"]
    page = signed_in(app, alice).get("/settings/webhooks")
    assert "switched off" in page.text and receiver.url in page.text

    # Nothing more goes to a switched-off endpoint.
    bob.client.post("/api/v1/contacts", json={"first_name": "Grace", "last_name": "Hopper"})
    assert deliver() == 0

    alice.client.patch(f"/api/v1/webhooks/{endpoint['id']}", json={"enabled": True})
    again = alice.client.post(
        f"/api/v1/webhooks/{endpoint['id']}/deliveries/{gave_up['id']}/redeliver"
    )
    assert again.status_code == 202
    wait_for(lambda: any(r.event["id"] == gave_up["event_id"] for r in receiver.accepted()),
             step=deliver)  # fmt: skip
    assert alice.client.get(f"/api/v1/webhooks/{endpoint['id']}").json()["disabled_reason"] is None
