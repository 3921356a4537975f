"""An integrator retries a POST with the same Idempotency-Key: the first answer comes back
and nothing is created twice; a key reused for another request is refused."""

from datetime import timedelta

import pytest
from sqlalchemy import update

from rapport.core.db import utcnow
from rapport.core.idempotency import IdempotencyKey
from tests.factories import make_contact

ADA = {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}


@pytest.fixture
def app(app, tmp_path):
    """Uploads go to the test's own directory, not the working tree."""
    app.state.settings = app.state.settings.model_copy(update={"data_dir": tmp_path / "data"})
    return app


def _names(persona) -> list[str]:
    return [c["first_name"] for c in persona.client.get("/api/v1/contacts").json()["items"]]


def test_the_same_key_and_body_answers_the_first_answer_again(bob):
    key = {"Idempotency-Key": "order-7c1f"}
    first = bob.client.post("/api/v1/contacts", json=ADA, headers=key)
    again = bob.client.post("/api/v1/contacts", json=dict(reversed(ADA.items())), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    for header in ("ETag", "Location"):
        assert again.headers[header] == first.headers[header]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _names(bob) == ["Ada"]


def test_the_same_key_with_another_body_is_422_and_changes_nothing(bob):
    key = {"Idempotency-Key": "order-7c1f"}
    bob.client.post("/api/v1/contacts", json=ADA, headers=key)
    other = bob.client.post("/api/v1/contacts", json={**ADA, "first_name": "Eve"}, headers=key)
    assert other.status_code == 422
    assert other.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert "different request" in other.json()["detail"][0]["msg"]
    assert _names(bob) == ["Ada"]


def test_without_a_key_each_post_creates(bob):
    for email in ("a@example.com", "b@example.com"):
        assert bob.client.post("/api/v1/contacts", json={"first_name": "Ada", "email": email}
                               ).status_code == 201  # fmt: skip
    assert _names(bob) == ["Ada", "Ada"]


def test_keys_belong_to_their_tenant(bob, charlie):
    key = {"Idempotency-Key": "shared-key"}
    ours = bob.client.post("/api/v1/contacts", json=ADA, headers=key)
    theirs = charlie.client.post("/api/v1/contacts", json=ADA, headers=key)
    assert theirs.status_code == 201 and theirs.json()["id"] != ours.json()["id"]
    assert "Idempotent-Replayed" not in theirs.headers


def test_a_key_older_than_a_day_runs_the_request_again(db, bob):
    key, body = {"Idempotency-Key": "yesterday"}, {"first_name": "Ada"}
    bob.client.post("/api/v1/contacts", json=body, headers=key)
    db.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=25)))
    db.commit()
    again = bob.client.post("/api/v1/contacts", json=body, headers=key)
    assert again.status_code == 201 and "Idempotent-Replayed" not in again.headers
    assert _names(bob) == ["Ada", "Ada"]


def test_a_failed_request_stores_nothing_and_may_be_retried(bob):
    key = {"Idempotency-Key": "retry-me"}
    failed = bob.client.post("/api/v1/contacts", json={**ADA, "email": "nope"}, headers=key)
    assert failed.status_code == 422
    fixed = bob.client.post("/api/v1/contacts", json={**ADA, "email": "nope"}, headers=key)
    assert fixed.status_code == 422 and "Idempotent-Replayed" not in fixed.headers


def test_a_bad_key_is_422(bob):
    answer = bob.client.post("/api/v1/contacts", json=ADA, headers={"Idempotency-Key": "x" * 256})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert _names(bob) == []


def test_every_creating_post_replays(db, alice, sam, tenant_a):
    contact = make_contact(db, tenant_a, first_name="Grace")
    csv = "First Name,Last Name,E-mail\nAlan,Turing,alan@example.com\n"
    posts = {
        "account": lambda h: sam.client.post("/api/v1/accounts", headers=h,
                                             json={"identifier": "ACME", "name": "Acme"}),
        "note": lambda h: sam.client.post(f"/api/v1/contacts/{contact.id}/notes", headers=h,
                                          json={"body": "Called"}),
        "interaction": lambda h: sam.client.post("/api/v1/interactions", headers=h, json={
            "channel": "voice", "direction": "inbound", "address": "+14155552671"}),
        "import": lambda h: sam.client.post("/api/v1/imports", headers=h,
                                            files={"file": ("c.csv", csv.encode())}),
        "token": lambda h: alice.client.post("/api/v1/tokens", headers=h, json={"name": "CTI"}),
        "webhook": lambda h: alice.client.post("/api/v1/webhooks", headers=h, json={
            "url": "https://crm.example.com/h", "event_types": ["note.created"]}),
    }  # fmt: skip
    for name, post in posts.items():
        key = {"Idempotency-Key": f"key-{name}"}
        first, again = post(key), post(key)
        assert first.status_code == 201, (name, first.text)
        assert (again.status_code, again.json()) == (201, first.json()), name
        assert again.headers["Idempotent-Replayed"] == "true", name
    assert len(sam.client.get("/api/v1/imports").json()) == 1
    assert len(alice.client.get("/api/v1/webhooks").json()) == 1
    other_file = sam.client.post("/api/v1/imports", headers={"Idempotency-Key": "key-import"},
                                 files={"file": ("c.csv", csv.replace("Alan", "Alma").encode())})
    assert other_file.status_code == 422  # the same key with another file


def test_the_header_is_declared_on_every_creating_post(anonymous):
    spec = anonymous.get("/openapi.json").json()
    for path in ("/api/v1/contacts", "/api/v1/accounts", "/api/v1/contacts/{contact_id}/notes",
                 "/api/v1/interactions", "/api/v1/imports", "/api/v1/tokens", "/api/v1/webhooks"):
        parameters = spec["paths"][path]["post"].get("parameters", [])
        assert {"name": "Idempotency-Key", "in": "header"}.items() <= next(
            p for p in parameters if p["name"] == "Idempotency-Key"
        ).items(), path
