"""Custom-field definitions and webhook subscriptions are kept in the process for a few
seconds (`core/tenant_cache.py`): a change made through this process applies to the very
next request, and a transaction older than a change never puts the old rows back."""

from sqlalchemy import select

from rapport.core.tenant_cache import TenantCache
from rapport.webhooks.models import WebhookDelivery
from tests.webhooks.receiver import register


def _deliveries(db) -> list[str]:
    db.expire_all()
    return [d.event_type for d in db.scalars(select(WebhookDelivery))]


def test_a_field_made_required_applies_to_the_next_contact(alice, bob):
    # Bob's contacts read the definitions (and keep them) before Alice changes them.
    assert bob.client.post("/api/v1/contacts", json={"first_name": "Ann"}).status_code == 201
    made = alice.client.post(
        "/api/v1/custom-fields", json={"key": "plan", "label": "Plan", "type": "text",
                                       "required": True},
    )  # fmt: skip
    assert made.status_code == 201, made.text
    refused = bob.client.post("/api/v1/contacts", json={"first_name": "Ben"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "custom_fields", "plan"]
    assert alice.client.delete("/api/v1/custom-fields/plan").status_code == 204
    assert bob.client.post("/api/v1/contacts", json={"first_name": "Ben"}).status_code == 201


def test_an_endpoint_gets_the_changes_made_right_after_it(db, alice, bob):
    assert bob.client.post("/api/v1/contacts", json={"first_name": "Ann"}).status_code == 201
    endpoint = register(alice, "https://crm.example.com/hooks", ["contact.created"])
    assert bob.client.post("/api/v1/contacts", json={"first_name": "Ben"}).status_code == 201
    assert _deliveries(db) == ["contact.created"]
    switched = alice.client.patch(f"/api/v1/webhooks/{endpoint['id']}", json={"enabled": False})
    assert switched.status_code == 200, switched.text
    assert bob.client.post("/api/v1/contacts", json={"first_name": "Cy"}).status_code == 201
    assert _deliveries(db) == ["contact.created"]


def test_a_reader_older_than_a_change_does_not_keep_what_it_read(session_factory, tenant_a):
    cache = TenantCache("test_probe")
    older = session_factory()
    older.execute(select(1))  # its transaction begins: what it reads may predate what follows
    cache.clear()  # a change to the cached rows is committed meanwhile
    cache.put(older, tenant_a.id, ["the rows as they were"])
    newer = session_factory()
    newer.execute(select(1))
    try:
        assert cache.get(newer, tenant_a.id) is None
        cache.put(newer, tenant_a.id, ["the rows as they are"])
        assert cache.get(older, tenant_a.id) == ["the rows as they are"]
    finally:
        newer.close()  # the tests' sessions are savepoints of one connection: last in, first out
        older.close()
