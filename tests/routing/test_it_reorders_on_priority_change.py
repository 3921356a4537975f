from tests.factories import make_contact
from tests.routing.helpers import post_interaction, queue_ids


def test_raising_a_contacts_priority_moves_its_waiting_calls_forward(db, bob, tenant_a):
    first = post_interaction(bob.client, address="+14155550111", waited=300)
    caller = make_contact(db, tenant_a, phone="+14155550112", priority=4)
    later = post_interaction(bob.client, address=caller.phone, waited=30)
    own = post_interaction(bob.client, address=caller.phone, waited=20, priority=5)
    assert queue_ids(bob.client) == [first["id"], later["id"], own["id"]]

    response = bob.client.patch(f"/api/v1/contacts/{caller.id}", json={"priority": 1})
    assert response.status_code == 200, response.text
    # Its waiting call jumps ahead; the one posted with its own priority keeps it.
    assert queue_ids(bob.client) == [later["id"], first["id"], own["id"]]
    items = bob.client.get("/api/v1/queue").json()["items"]
    assert [i["routing_priority"] for i in items] == [1, 3, 5]
    # An ETag is not disturbed by a re-order: the interaction itself did not change.
    assert bob.client.get(f"/api/v1/interactions/{later['id']}").headers["ETag"] == '"1"'


def test_changing_the_tenant_default_moves_unlinked_calls(db, alice, bob, tenant_a):
    caller = make_contact(db, tenant_a, phone="+14155550121", priority=3)
    linked = post_interaction(bob.client, address=caller.phone, waited=10)
    unlinked = post_interaction(bob.client, address="+14155550122", waited=5)
    assert queue_ids(bob.client) == [linked["id"], unlinked["id"]]
    assert alice.client.patch("/api/v1/tenant", json={"default_priority": 1}).status_code == 200
    assert queue_ids(bob.client) == [unlinked["id"], linked["id"]]


def test_linking_a_contact_gives_the_waiting_call_its_priority(db, bob, tenant_a):
    vip = make_contact(db, tenant_a, priority=1)
    first = post_interaction(bob.client, address="+14155550131", waited=100)
    second = post_interaction(bob.client, address="+14155550132", waited=50)
    response = bob.client.post(
        f"/api/v1/interactions/{second['id']}/contact", json={"contact_id": str(vip.id)}
    )
    assert response.status_code == 200, response.text
    assert queue_ids(bob.client) == [second["id"], first["id"]]
