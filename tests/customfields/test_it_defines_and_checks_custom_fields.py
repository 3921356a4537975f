"""Alice defines a field of every type; values are checked by type and named in errors."""

import pytest


def test_it_stores_a_value_of_every_type_normalised(alice, every_type):
    response = alice.client.post(
        "/api/v1/contacts",
        json={
            "first_name": "Ada",
            "custom_fields": {
                "customer_no": " C-1 ",
                "history": "line one\nline two",
                "seats": "1,200",
                "balance": 12.5,
                "contract_end": "2026-12-31",
                "vip": "yes",
                "plan": "gold",
                "topics": ["sales", "billing"],
                "portal": "https://crm.example.com/a",
                "backup_email": "Ada@Example.COM",
                "assistant_phone": "(415) 555-2671",
            },
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["custom_fields"] == {
        "customer_no": "C-1",
        "history": "line one\nline two",
        "seats": 1200,
        "balance": 12.5,
        "contract_end": "2026-12-31",
        "vip": True,
        "plan": "Gold",
        "topics": ["billing", "sales"],
        "portal": "https://crm.example.com/a",
        "backup_email": "ada@example.com",
        "assistant_phone": "+14155552671",
    }
    listed = alice.client.get("/api/v1/custom-fields").json()
    assert [f["key"] for f in listed] == [f["key"] for f in every_type]


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("seats", "many", "not a number"),
        ("seats", 2.5, "not a whole number"),
        ("balance", True, "must be a number"),
        ("contract_end", "31/12/2026", "not a date"),
        ("vip", "maybe", "true or false"),
        ("plan", "Platinum", "not one of the choices"),
        ("topics", ["sales", "gossip"], "not one of the choices"),
        ("portal", "crm example", "not a web address"),
        ("backup_email", "ada@", "not a valid email"),
        ("assistant_phone", "12", "not a valid phone number"),
        ("customer_no", "x" * 1001, "at most 1000"),
        ("no_such_field", "x", "not a custom field"),
    ],
)
def test_it_refuses_a_bad_value_naming_the_field(alice, every_type, key, value, reason):
    response = alice.client.post(
        "/api/v1/contacts", json={"first_name": "Ada", "custom_fields": {key: value}}
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "custom_fields", key]
    assert reason in error["msg"]
    assert alice.client.get("/api/v1/contacts").json()["items"] == []


def test_it_requires_a_required_field_of_new_contacts_only(alice, bob):
    alice.client.post("/api/v1/contacts", json={"first_name": "Old"})
    assert (
        alice.client.post(
            "/api/v1/custom-fields",
            json={"key": "policy", "label": "Policy", "type": "text", "required": True},
        ).status_code
        == 201
    )
    refused = bob.client.post("/api/v1/contacts", json={"first_name": "New"})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "custom_fields", "policy"]
    old = alice.client.get("/api/v1/contacts").json()["items"][0]
    changed = bob.client.patch(f"/api/v1/contacts/{old['id']}", json={"last_name": "Timer"})
    assert changed.status_code == 200, changed.text


def test_only_the_roles_named_may_edit_a_field(alice, bob):
    alice.client.post(
        "/api/v1/custom-fields",
        json={
            "key": "credit_limit",
            "label": "Credit limit",
            "type": "number",
            "edit_roles": ["supervisor", "admin"],
        },
    )
    contact = alice.client.post(
        "/api/v1/contacts", json={"first_name": "Ada", "custom_fields": {"credit_limit": 500}}
    ).json()
    refused = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"custom_fields": {"credit_limit": 9000}}
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "custom_fields", "credit_limit"]
    # Bob may still change everything else on the contact.
    assert (
        bob.client.patch(
            f"/api/v1/contacts/{contact['id']}", json={"last_name": "Lovelace"}
        ).status_code
        == 200
    )


def test_a_renamed_label_keeps_values_and_a_deleted_field_keeps_them_until_purged(alice, bob):
    alice.client.post(
        "/api/v1/custom-fields", json={"key": "tier", "label": "Tier", "type": "text"}
    )
    contact = alice.client.post(
        "/api/v1/contacts", json={"first_name": "Ada", "custom_fields": {"tier": "gold"}}
    ).json()
    url = f"/api/v1/contacts/{contact['id']}"
    assert bob.client.patch("/api/v1/custom-fields/tier", json={"label": "x"}).status_code == 403
    assert (
        alice.client.patch("/api/v1/custom-fields/tier", json={"label": "Loyalty tier"}).status_code
        == 200
    )
    assert alice.client.get(url).json()["custom_fields"] == {"tier": "gold"}

    assert alice.client.delete("/api/v1/custom-fields/tier").status_code == 204
    assert alice.client.get(url).json()["custom_fields"] == {}
    assert alice.client.post("/api/v1/custom-fields/tier/restore").status_code == 200
    assert alice.client.get(url).json()["custom_fields"] == {"tier": "gold"}

    alice.client.delete("/api/v1/custom-fields/tier")
    purged = alice.client.post("/api/v1/custom-fields/tier/purge")
    assert purged.json() == {"purged_contacts": 1}
    assert alice.client.get("/api/v1/custom-fields/tier").status_code == 404
    trail = alice.client.get("/api/v1/audit", params={"record_type": "custom_field"})
    assert trail.status_code == 200
    assert {e["action"] for e in trail.json()["items"]} >= {"create", "update", "delete"}


def test_the_activity_tab_shows_a_custom_field_change(alice):
    alice.client.post(
        "/api/v1/custom-fields", json={"key": "tier", "label": "Tier", "type": "text"}
    )
    contact = alice.client.post("/api/v1/contacts", json={"first_name": "Ada"}).json()
    alice.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"custom_fields": {"tier": "gold"}}
    )
    events = alice.client.get(f"/api/v1/contacts/{contact['id']}/activity").json()["items"]
    assert events[0]["changes"]["custom_fields.tier"] == [None, "gold"]


def test_charlie_sees_none_of_tenant_a_fields(alice, charlie):
    alice.client.post(
        "/api/v1/custom-fields", json={"key": "tier", "label": "Tier", "type": "text"}
    )
    assert charlie.client.get("/api/v1/custom-fields").json() == []
    assert charlie.client.get("/api/v1/custom-fields/tier").status_code == 404
    assert charlie.client.delete("/api/v1/custom-fields/tier").status_code == 404
    refused = charlie.client.post(
        "/api/v1/contacts", json={"first_name": "Zed", "custom_fields": {"tier": "gold"}}
    )
    assert refused.status_code == 422
