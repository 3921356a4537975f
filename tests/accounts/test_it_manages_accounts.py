from tests.factories import make_contact


def test_it_creates_reads_updates_and_lists_accounts(sam):
    created = sam.client.post(
        "/api/v1/accounts",
        json={"identifier": " ACME-1 ", "name": "Acme", "description": "Key account"},
    )
    assert created.status_code == 201, created.text
    account = created.json()
    assert account["identifier"] == "ACME-1"
    got = sam.client.get(f"/api/v1/accounts/{account['id']}").json()
    assert got["contact_count"] == 0
    updated = sam.client.patch(
        f"/api/v1/accounts/{account['id']}", json={"name": "Acme Inc."}, headers={"If-Match": '"1"'}
    )
    assert updated.json()["name"] == "Acme Inc."
    assert updated.json()["version"] == 2
    stale = sam.client.patch(
        f"/api/v1/accounts/{account['id']}", json={"name": "Old"}, headers={"If-Match": '"1"'}
    )
    assert stale.status_code == 412
    listed = sam.client.get("/api/v1/accounts", params={"q": "acme"}).json()["items"]
    assert [a["identifier"] for a in listed] == ["ACME-1"]


def test_identifiers_are_unique_regardless_of_case(sam):
    assert (
        sam.client.post("/api/v1/accounts", json={"identifier": "Dup", "name": "A"}).status_code
        == 201
    )
    again = sam.client.post("/api/v1/accounts", json={"identifier": "DUP", "name": "B"})
    assert again.status_code == 409
    assert "already used" in again.json()["detail"]


def test_an_account_needs_an_identifier_and_a_name(sam):
    response = sam.client.post("/api/v1/accounts", json={"identifier": " ", "name": ""})
    assert response.status_code == 422
    assert {e["loc"][1] for e in response.json()["detail"]} == {"identifier", "name"}


def test_deleting_an_account_with_contacts_answers_409_with_the_count(db, sam, tenant_a):
    account = sam.client.post(
        "/api/v1/accounts", json={"identifier": "BUSY", "name": "Busy"}
    ).json()
    make_contact(db, tenant_a, account="BUSY")
    make_contact(db, tenant_a, account="BUSY")
    response = sam.client.delete(f"/api/v1/accounts/{account['id']}")
    assert response.status_code == 409
    assert response.json()["contact_count"] == 2
    assert "2 contacts" in response.json()["detail"]
    empty = sam.client.post("/api/v1/accounts", json={"identifier": "IDLE", "name": "Idle"}).json()
    assert sam.client.delete(f"/api/v1/accounts/{empty['id']}").status_code == 204
    assert sam.client.get(f"/api/v1/accounts/{empty['id']}").status_code == 404
