"""Charlie (tenant B) never sees, lists, changes or links to tenant A's records."""

import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from rapport.contacts.models import Contact
from tests.factories import make_account, make_contact


@pytest.fixture
def a_records(db, tenant_a):
    account = make_account(db, tenant_a, identifier="SECRET")
    contact = make_contact(
        db, tenant_a, first_name="Private", email="private@acme.example",
        phone="+1 212 555 0147", account="SECRET",
    )  # fmt: skip
    return account, contact


def test_charlie_gets_404_for_every_route_on_a_contact_of_tenant_a(charlie, a_records):
    _account, contact = a_records
    url = f"/api/v1/contacts/{contact.id}"
    assert charlie.client.get(url).status_code == 404
    assert charlie.client.patch(url, json={"first_name": "Hacked"}).status_code == 404
    assert charlie.client.delete(url).status_code == 404


def test_charlie_gets_404_for_every_route_on_an_account_of_tenant_a(charlie, a_records):
    account, _contact = a_records
    url = f"/api/v1/accounts/{account.id}"
    assert charlie.client.get(url).status_code == 404
    assert charlie.client.patch(url, json={"name": "Hacked"}).status_code == 404
    assert charlie.client.delete(url).status_code == 404


def test_charlie_cannot_find_tenant_a_records_in_lists_or_lookups(charlie, a_records):
    get = charlie.client.get
    assert get("/api/v1/contacts").json()["items"] == []
    assert get("/api/v1/contacts", params={"phone": "+1 212 555 0147"}).json()["items"] == []
    assert get("/api/v1/contacts", params={"email": "private@acme.example"}).json()["items"] == []
    assert get("/api/v1/contacts", params={"q": "Priv"}).json()["items"] == []
    assert get("/api/v1/contacts", params={"account": "SECRET"}).json()["items"] == []
    assert get("/api/v1/accounts").json()["items"] == []


def test_charlie_cannot_link_a_contact_to_an_account_of_tenant_a(charlie, a_records):
    account, _contact = a_records
    for reference in (str(account.id), "SECRET"):
        response = charlie.client.post(
            "/api/v1/contacts", json={"first_name": "Sneaky", "account": reference}
        )
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", "account"]


def test_the_same_email_may_exist_in_two_tenants(charlie, a_records):
    response = charlie.client.post("/api/v1/contacts", json={"email": "private@acme.example"})
    assert response.status_code == 201


def test_the_database_itself_refuses_a_reference_across_tenants(db, tenant_b, a_records):
    account, _contact = a_records
    db.add(
        Contact(
            tenant_id=tenant_b.id,
            id=uuid.uuid4(),
            first_name="Cross",
            account_id=account.id,
            priority=3,
            preferred_channels=[],
            custom_attributes={},
            sort_name="cross",
            first_key="cross",
            last_key="",
        )  # fmt: skip
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_tenant_a_admin_cannot_manage_tenant_b_users_or_tokens(alice, charlie):
    assert (
        alice.client.patch(f"/api/v1/users/{charlie.user.id}", json={"role": "agent"}).status_code
        == 404
    )
    charlie_tokens = charlie.client.get("/api/v1/tokens").json()
    assert alice.client.delete(f"/api/v1/tokens/{charlie_tokens[0]['id']}").status_code == 404
    assert all(
        t["user_id"] != str(charlie.user.id) for t in alice.client.get("/api/v1/tokens").json()
    )
