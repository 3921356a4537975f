from tests.factories import make_contact
from tests.routing.helpers import accept_all, post_interaction, queue_ids


def test_priority_first_then_longest_waiting(db, bob, tenant_a):
    urgent = make_contact(db, tenant_a, phone="+14155550101", priority=1)
    normal = make_contact(db, tenant_a, phone="+14155550103", priority=3)
    low = make_contact(db, tenant_a, phone="+14155550105", priority=5)
    oldest_low = post_interaction(bob.client, address=low.phone, waited=600)
    newest_urgent = post_interaction(bob.client, address=urgent.phone, waited=60)
    unlinked = post_interaction(bob.client, address="+14155550199", waited=300)
    old_normal = post_interaction(bob.client, address=normal.phone, waited=480)
    own_priority = post_interaction(bob.client, address=low.phone, waited=120, priority=2)

    expected = [newest_urgent, own_priority, old_normal, unlinked, oldest_low]
    assert queue_ids(bob.client) == [i["id"] for i in expected]

    items = bob.client.get("/api/v1/queue").json()["items"]
    assert [i["routing_priority"] for i in items] == [1, 2, 3, 3, 5]
    assert items[0]["caller"]["display_name"] == f"Test {urgent.last_name}"
    assert items[3]["caller"] is None  # unlinked: the tenant default priority
    assert 290 <= items[3]["wait_seconds"] <= 330

    assert accept_all(bob.client) == [i["id"] for i in expected]
    assert queue_ids(bob.client) == []


def test_an_agent_is_given_only_its_channels(db, alice, bob):
    chat = post_interaction(bob.client, channel="chat", address="@visitor", waited=100)
    call = post_interaction(bob.client, waited=10)
    assert alice.client.patch(
        f"/api/v1/users/{bob.user.id}", json={"channels": ["voice"]}
    ).json()["channels"] == ["voice"]
    assert accept_all(bob.client) == [call["id"]]
    assert queue_ids(bob.client) == [chat["id"]]
    assert queue_ids(bob.client, channel="voice") == []


def test_accepting_marks_the_interaction_active_for_the_agent(bob):
    item = post_interaction(bob.client)
    body = bob.client.post("/api/v1/queue/accept").json()
    taken = body["interaction"]
    assert taken["id"] == item["id"]
    assert taken["state"] == "active"
    assert taken["agent"]["email"] == "bob@acme.example"
    assert bob.client.post("/api/v1/queue/accept").status_code == 204


def test_charlie_neither_sees_nor_takes_tenant_a_work(bob, charlie):
    item = post_interaction(bob.client)
    assert queue_ids(charlie.client) == []
    assert charlie.client.post("/api/v1/queue/accept").status_code == 204
    response = charlie.client.post(f"/api/v1/interactions/{item['id']}/accept")
    assert response.status_code == 404
    assert queue_ids(bob.client) == [item["id"]]
