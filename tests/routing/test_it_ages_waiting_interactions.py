from tests.factories import make_contact
from tests.routing.helpers import post_interaction, queue_ids


def test_a_long_wait_beats_a_better_priority_once_aging_is_on(db, alice, bob, tenant_a):
    vip = make_contact(db, tenant_a, phone="+14155550141", priority=1)
    patient = make_contact(db, tenant_a, phone="+14155550142", priority=5)
    waited_long = post_interaction(bob.client, address=patient.phone, waited=600)
    just_called = post_interaction(bob.client, address=vip.phone, waited=10)
    assert queue_ids(bob.client) == [just_called["id"], waited_long["id"]]

    response = alice.client.patch("/api/v1/tenant", json={"queue_aging_seconds": 60})
    assert response.status_code == 200, response.text
    assert response.json()["queue_aging_seconds"] == 60
    # Four steps of 60 s make up the gap from 5 to 1; 600 s waited is more than enough.
    assert queue_ids(bob.client) == [waited_long["id"], just_called["id"]]
    items = bob.client.get("/api/v1/queue").json()["items"]
    assert items[0]["aged_priority"] == 1 and items[0]["routing_priority"] == 5

    # A new call while aging is on is placed by the same rule.
    newer_vip = post_interaction(bob.client, address=vip.phone, waited=5)
    assert queue_ids(bob.client) == [waited_long["id"], just_called["id"], newer_vip["id"]]

    assert alice.client.patch("/api/v1/tenant", json={"queue_aging_seconds": None}).json()[
        "queue_aging_seconds"
    ] is None
    assert queue_ids(bob.client) == [just_called["id"], newer_vip["id"], waited_long["id"]]


def test_not_enough_waiting_keeps_priority_order(db, alice, bob, tenant_a):
    vip = make_contact(db, tenant_a, phone="+14155550151", priority=1)
    low = make_contact(db, tenant_a, phone="+14155550152", priority=5)
    alice.client.patch("/api/v1/tenant", json={"queue_aging_seconds": 3600})
    older_low = post_interaction(bob.client, address=low.phone, waited=600)
    vip_call = post_interaction(bob.client, address=vip.phone, waited=10)
    assert queue_ids(bob.client) == [vip_call["id"], older_low["id"]]
    accepted = bob.client.post("/api/v1/queue/accept").json()["interaction"]
    assert accepted["id"] == vip_call["id"]


def test_aging_setting_is_validated_and_for_admins(alice, bob):
    for bad in (0, -5, 10**9, "60", True):
        response = alice.client.patch("/api/v1/tenant", json={"queue_aging_seconds": bad})
        assert response.status_code == 422, (bad, response.text)
    response = bob.client.patch("/api/v1/tenant", json={"queue_aging_seconds": 60})
    assert response.status_code == 403
    assert alice.client.get("/api/v1/tenant").json()["queue_aging_seconds"] is None
