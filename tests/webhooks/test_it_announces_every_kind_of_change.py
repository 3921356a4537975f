"""Every subscribed kind of change lands in the outbox, in the transaction of the change,
whichever door it came through: API, import, merge, erasure, the queue."""

import pytest
from sqlalchemy import select

from rapport.webhooks.models import EVENT_TYPES, WebhookDelivery
from tests.factories import make_contact
from tests.imports.conftest import upload
from tests.webhooks.receiver import register


@pytest.fixture
def app(app, tmp_path):
    """Uploads go to the test's own directory, not the working tree."""
    app.state.settings = app.state.settings.model_copy(update={"data_dir": tmp_path / "data"})
    return app


def _outbox(db) -> list[WebhookDelivery]:
    db.expire_all()
    return list(db.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at)))


def _types(db) -> list[str]:
    return [d.event_type for d in _outbox(db)]


def test_contacts_notes_interactions_and_imports_are_announced(db, alice, sam, bob, tenant_a):
    register(alice, "https://crm.example.com/hooks", list(EVENT_TYPES))

    contact = bob.client.post("/api/v1/contacts", json={"first_name": "Ada",
                                                        "email": "ada@example.com"}).json()
    bob.client.patch(f"/api/v1/contacts/{contact['id']}", json={"city": "London"})
    notes = f"/api/v1/contacts/{contact['id']}/notes"
    note = bob.client.post(notes, json={"body": "Called back"}).json()
    bob.client.patch(f"{notes}/{note['id']}", json={"body": "Called back twice"})
    bob.client.delete(f"{notes}/{note['id']}")
    assert _types(db) == ["contact.created", "contact.updated", "note.created", "note.updated",
                          "note.deleted"]  # fmt: skip
    updated = _outbox(db)[1].payload
    assert updated["data"]["changes"] == {"city": [None, "London"]}
    assert _outbox(db)[2].payload["data"]["contact_id"] == contact["id"]

    calls = "/api/v1/interactions"
    body = {"channel": "voice", "direction": "inbound", "address": "+14155552671"}
    first = bob.client.post(calls, json=body).json()
    second = bob.client.post(calls, json=body).json()
    # States move only through the routing actions.
    assert bob.client.post(f"{calls}/{first['id']}/accept").status_code == 200
    completed = bob.client.post(f"{calls}/{first['id']}/complete", json={"disposition": "Done"})
    assert completed.status_code == 200, completed.text
    assert bob.client.post(f"{calls}/{second['id']}/abandon").status_code == 200
    assert _types(db)[5:] == ["interaction.created", "interaction.created",
                              "interaction.accepted", "interaction.completed",
                              "interaction.abandoned"]  # fmt: skip

    imported = upload(sam, "First Name,Last Name,E-mail\nAlan,Turing,alan@example.com\n")
    assert imported.status_code == 201, imported.text
    finished = [d for d in _outbox(db) if d.event_type == "import.finished"]
    assert [d.payload["data"]["created"] for d in finished] == [1]
    assert _types(db).count("contact.created") == 2  # imported rows are announced too

    assert sam.client.delete(f"/api/v1/contacts/{contact['id']}").status_code == 204
    assert _types(db)[-1] == "contact.deleted"


def test_merges_and_erasures_are_announced_without_the_erased_data(db, alice, sam, tenant_a):
    register(alice, "https://crm.example.com/hooks", ["contact.merged", "contact.erased",
                                                      "note.created"])  # fmt: skip
    survivor = make_contact(db, tenant_a, first_name="Jon", last_name="Smith")
    merged = make_contact(db, tenant_a, first_name="Jonathan", last_name="Smith")
    sam.client.post(f"/api/v1/contacts/{merged.id}/notes", json={"body": "Lives at 1 Elm St"})
    answer = sam.client.post("/api/v1/contacts/merge", json={
        "survivor_id": str(survivor.id), "merged_ids": [str(merged.id)], "fields": {}})
    assert answer.status_code == 200, answer.text
    assert _types(db) == ["note.created", "contact.merged"]
    assert _outbox(db)[1].payload["data"]["merged_into"] == str(survivor.id)

    erased = alice.client.post(f"/api/v1/contacts/{survivor.id}/erase", json={"confirm": True})
    assert erased.status_code == 200, erased.text
    outbox = _outbox(db)
    assert [d.event_type for d in outbox] == ["note.created", "contact.merged", "contact.erased"]
    assert "Elm St" not in str([d.payload for d in outbox])
    assert "Jonathan" not in str([d.payload for d in outbox])
    assert outbox[0].payload["data"]["erased"] is True


def test_a_tenant_without_endpoints_writes_nothing(db, bob, charlie):
    register(charlie, "https://globex.example.com/hooks", list(EVENT_TYPES))
    bob.client.post("/api/v1/contacts", json={"first_name": "Ada"})
    assert _outbox(db) == []
