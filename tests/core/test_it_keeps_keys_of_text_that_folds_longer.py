"""Names and identifiers at their length limit whose folded form is longer ("ß" folds to
"ss", "ﬃ" to "ffi") are stored and found, on both databases: their search and sort keys are
cut to their columns (PostgreSQL refused the longer key, and the request answered 500)."""

from __future__ import annotations

LIGATURES = "ﬃ" * 100  # 100 characters, 300 once folded
SHARP = "ß" * 100  # 100 characters, 200 once folded


def test_it_stores_and_finds_a_contact_named_in_ligatures(alice):
    created = alice.client.post(
        "/api/v1/contacts", json={"first_name": LIGATURES, "last_name": SHARP}
    )
    assert created.status_code == 201, created.text
    assert created.json()["first_name"] == LIGATURES
    found = alice.client.get("/api/v1/contacts", params={"q": "ffiffi"})
    assert [c["id"] for c in found.json()["items"]] == [created.json()["id"]]
    renamed = alice.client.patch(
        f"/api/v1/contacts/{created.json()['id']}", json={"last_name": LIGATURES}
    )
    assert renamed.status_code == 200, renamed.text


def test_it_stores_and_finds_an_account_with_a_long_sharp_s_identifier(alice):
    created = alice.client.post(
        "/api/v1/accounts", json={"identifier": SHARP, "name": "ﬃ" * 200}
    )
    assert created.status_code == 201, created.text
    assert created.json()["identifier"] == SHARP
    by_name = alice.client.get("/api/v1/accounts", params={"q": "ffiffiffi"})
    assert [a["id"] for a in by_name.json()["items"]] == [created.json()["id"]]
    by_identifier = alice.client.get("/api/v1/accounts", params={"q": "ssss"})
    assert [a["id"] for a in by_identifier.json()["items"]] == [created.json()["id"]]
    again = alice.client.post("/api/v1/accounts", json={"identifier": "ẞ" * 100, "name": "X"})
    assert again.status_code == 409  # the same identifier, whatever its case
