from tests.factories import make_contact
from tests.routing.helpers import post_interaction


def _url(interaction: dict, action: str) -> str:
    return f"/api/v1/interactions/{interaction['id']}/{action}"


def test_complete_with_a_disposition_and_a_wrap_up_note(db, bob, tenant_a):
    contact = make_contact(db, tenant_a, phone="+14155550171")
    item = post_interaction(bob.client, address=contact.phone)
    bob.client.post("/api/v1/queue/accept")
    response = bob.client.post(
        _url(item, "complete"),
        json={"disposition": "resolved", "note": {
            "body": "Refund **issued**", "outcome": "Refunded", "next_steps": "Call back Monday",
        }},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["interaction"]["state"] == "completed"
    assert body["interaction"]["disposition"] == "resolved"
    assert body["interaction"]["ended_at"] is not None
    assert body["note"]["interaction_id"] == item["id"]
    assert body["note"]["outcome"] == "Refunded"
    notes = bob.client.get(f"/api/v1/contacts/{contact.id}/notes").json()["items"]
    assert [n["next_steps"] for n in notes] == ["Call back Monday"]


def test_illegal_moves_answer_409_with_a_clear_message(bob):
    item = post_interaction(bob.client)
    waiting = bob.client.post(_url(item, "complete"), json={"disposition": "done"})
    assert waiting.status_code == 403  # not bob's yet: no agent holds it
    bob.client.post(_url(item, "accept"))
    assert bob.client.post(_url(item, "complete"), json={"disposition": "done"}).status_code == 200
    again = bob.client.post(_url(item, "complete"), json={"disposition": "done"})
    assert again.status_code == 409
    assert again.json()["detail"].startswith("An interaction that is completed cannot be completed")
    assert bob.client.post(_url(item, "transfer")).status_code == 409
    assert bob.client.post(_url(item, "accept")).status_code == 409


def test_a_note_needs_a_contact_and_a_body(bob):
    item = post_interaction(bob.client, address="+14155550172")
    bob.client.post(_url(item, "accept"))
    unlinked = bob.client.post(
        _url(item, "complete"), json={"disposition": "resolved", "note": {"body": "hi"}}
    )
    assert unlinked.status_code == 422
    assert unlinked.json()["detail"][0]["loc"] == ["body", "note"]
    assert bob.client.post(_url(item, "complete"), json={"disposition": " "}).status_code == 422
    # Nothing was half-written: it is still active.
    assert bob.client.get(f"/api/v1/interactions/{item['id']}").json()["state"] == "active"


def test_transfer_back_to_another_queue_and_abandon(bob, sam):
    item = post_interaction(bob.client, queue="billing", waited=120)
    bob.client.post("/api/v1/queue/accept")
    response = bob.client.post(_url(item, "transfer"), json={"queue": "retention"})
    assert response.status_code == 200, response.text
    moved = response.json()["interaction"]
    assert (moved["state"], moved["queue"], moved["agent"]) == ("queued", "retention", None)
    waiting = bob.client.get("/api/v1/queue", params={"queue": "retention"}).json()["items"]
    assert [i["id"] for i in waiting] == [item["id"]]
    assert waiting[0]["wait_seconds"] >= 110  # it kept its place by waiting time
    sam.client.post(_url(item, "accept"))
    assert bob.client.post(_url(item, "abandon")).status_code == 403  # sam's now
    assert sam.client.post(_url(item, "abandon")).json()["interaction"]["state"] == "abandoned"


def test_a_queued_caller_who_hangs_up_is_abandoned_by_the_integration(bob, charlie):
    item = post_interaction(bob.client)
    assert charlie.client.post(_url(item, "abandon")).status_code == 404
    assert bob.client.post(_url(item, "abandon")).json()["interaction"]["state"] == "abandoned"
    assert bob.client.post("/api/v1/queue/accept").status_code == 204
