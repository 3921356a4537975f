"""Agents read and write contacts; supervisors also delete them and manage accounts;
administrators also manage users, tokens and tenant settings."""

import pytest

from tests.factories import make_account, make_contact


def test_an_agent_reads_creates_and_updates_contacts_but_cannot_delete(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    assert bob.client.get(f"/api/v1/contacts/{contact.id}").status_code == 200
    assert (
        bob.client.patch(f"/api/v1/contacts/{contact.id}", json={"city": "Rome"}).status_code == 200
    )
    response = bob.client.delete(f"/api/v1/contacts/{contact.id}")
    assert response.status_code == 403
    assert "supervisor" in response.json()["detail"]
    assert bob.client.get(f"/api/v1/contacts/{contact.id}").status_code == 200


def test_an_agent_reads_accounts_but_cannot_manage_them(db, bob, tenant_a):
    account = make_account(db, tenant_a)
    assert bob.client.get(f"/api/v1/accounts/{account.id}").status_code == 200
    assert (
        bob.client.post("/api/v1/accounts", json={"identifier": "X", "name": "X"}).status_code
        == 403
    )
    assert bob.client.patch(f"/api/v1/accounts/{account.id}", json={"name": "Y"}).status_code == 403
    assert bob.client.delete(f"/api/v1/accounts/{account.id}").status_code == 403


def test_a_supervisor_deletes_contacts_and_manages_accounts(db, sam, tenant_a):
    contact = make_contact(db, tenant_a)
    assert sam.client.delete(f"/api/v1/contacts/{contact.id}").status_code == 204
    assert (
        sam.client.post("/api/v1/accounts", json={"identifier": "S", "name": "S"}).status_code
        == 201
    )


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("get", "/api/v1/users", None),
        ("post", "/api/v1/users", {"email": "new@acme.example", "role": "agent"}),
        ("get", "/api/v1/tokens", None),
        ("post", "/api/v1/tokens", {"name": "x"}),
        ("patch", "/api/v1/tenant", {"personality_insights_enabled": True}),
    ],
)
def test_only_an_admin_manages_users_tokens_and_settings(sam, bob, alice, method, path, body):
    for persona in (bob, sam):
        response = getattr(persona.client, method)(path, **({"json": body} if body else {}))
        assert response.status_code == 403, (persona.user.role, path)
    response = getattr(alice.client, method)(path, **({"json": body} if body else {}))
    assert response.status_code in (200, 201), response.text


def test_everyone_reads_the_tenant_settings(bob):
    settings = bob.client.get("/api/v1/tenant").json()
    assert settings["slug"] == "acme"
    assert settings["personality_insights_enabled"] is False


def test_an_admin_changes_tenant_settings_with_validation(alice):
    response = alice.client.patch(
        "/api/v1/tenant",
        json={"default_country": "germany", "time_zone": "europe/berlin",
              "personality_insights_enabled": True},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.json()["default_country"] == "DE"
    assert response.json()["time_zone"] == "Europe/Berlin"
    bad = alice.client.patch("/api/v1/tenant", json={"time_zone": "Nowhere/Land"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "time_zone"]
