"""Every create, change and delete of contacts, accounts and tenant settings is in the trail,
with who, when, from where and the field-by-field before and after."""

from sqlalchemy import func, select

from rapport.audit.models import AuditEvent


def test_a_contact_s_activity_lists_its_changes_newest_first(bob, sam):
    contact = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Ada", "email": "ada@example.com"}
    ).json()
    sam.client.patch(f"/api/v1/contacts/{contact['id']}", json={"city": "London", "priority": 1})
    activity = bob.client.get(f"/api/v1/contacts/{contact['id']}/activity").json()["items"]
    assert [e["action"] for e in activity] == ["update", "create"]
    update, create = activity
    assert update["actor_label"] == "sam@acme.example"
    assert update["actor_user_id"] == str(sam.user.id)
    assert update["actor_token_id"] is not None
    assert update["via"] == "api"
    assert update["changes"] == {"city": [None, "London"], "priority": [3, 1]}
    assert create["changes"]["email"] == [None, "ada@example.com"]


def test_an_update_that_changes_nothing_leaves_no_event(bob):
    contact = bob.client.post("/api/v1/contacts", json={"first_name": "Same"}).json()
    bob.client.patch(f"/api/v1/contacts/{contact['id']}", json={"first_name": "Same"})
    activity = bob.client.get(f"/api/v1/contacts/{contact['id']}/activity").json()["items"]
    assert [e["action"] for e in activity] == ["create"]


def test_a_failed_change_leaves_no_event(db, bob):
    contact = bob.client.post("/api/v1/contacts", json={"first_name": "Keep"}).json()
    assert (
        bob.client.patch(f"/api/v1/contacts/{contact['id']}", json={"email": "broken"}).status_code
        == 422
    )
    count = db.scalar(select(func.count()).select_from(AuditEvent))
    assert count == 1


def test_admins_read_the_tenant_trail_filtered_by_user_and_record(alice, sam, bob):
    account = sam.client.post("/api/v1/accounts", json={"identifier": "A1", "name": "A"}).json()
    sam.client.delete(f"/api/v1/accounts/{account['id']}")
    alice.client.patch("/api/v1/tenant", json={"personality_insights_enabled": True})
    by_sam = alice.client.get("/api/v1/audit", params={"user_id": str(sam.user.id)}).json()
    assert [(e["record_type"], e["action"]) for e in by_sam["items"]] == [
        ("account", "delete"),
        ("account", "create"),
    ]
    settings = alice.client.get("/api/v1/audit", params={"record_type": "tenant"}).json()
    assert settings["items"][0]["changes"] == {"personality_insights_enabled": [False, True]}
    assert bob.client.get("/api/v1/audit").status_code == 403


def test_the_trail_is_read_only(alice):
    assert alice.client.delete("/api/v1/audit").status_code == 405
    assert alice.client.post("/api/v1/audit", json={}).status_code == 405


def test_charlie_sees_nothing_of_tenant_a_trail(bob, charlie):
    contact = bob.client.post("/api/v1/contacts", json={"first_name": "Mine"}).json()
    assert charlie.client.get(f"/api/v1/contacts/{contact['id']}/activity").status_code == 404
    assert charlie.client.get("/api/v1/audit").json()["items"] == []
