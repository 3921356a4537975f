from tests.factories import make_contact
from tests.routing.helpers import post_interaction


def _contact_url(interaction: dict) -> str:
    return f"/api/v1/interactions/{interaction['id']}/contact"


def test_create_the_caller_and_offer_the_other_calls_from_that_number(bob):
    earlier = post_interaction(bob.client, address="+14155550161", waited=3600)
    current = post_interaction(bob.client, address="(415) 555-0161")
    response = bob.client.post(
        _contact_url(current),
        json={"contact": {"first_name": "Rui", "last_name": "Costa", "phone": "+14155550161"}},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] is True
    assert body["interaction"]["contact_id"] == body["contact"]["id"]
    assert [i["id"] for i in body["other_interactions"]] == [earlier["id"]]
    assert body["others_linked"] is False
    still = bob.client.get(f"/api/v1/interactions/{earlier['id']}").json()
    assert still["contact_id"] is None


def test_link_an_existing_contact_and_the_others_in_one_request(db, bob, tenant_a):
    contact = make_contact(db, tenant_a)
    first = post_interaction(bob.client, channel="email", address="max@example.org", waited=60)
    second = post_interaction(bob.client, channel="email", address="MAX@example.org")
    response = bob.client.post(
        _contact_url(second), json={"contact_id": str(contact.id), "link_others": True}
    )
    assert response.status_code == 200, response.text
    assert response.json()["others_linked"] is True
    linked = bob.client.get(f"/api/v1/interactions/{first['id']}").json()
    assert linked["contact_id"] == str(contact.id)


def test_the_new_contact_is_validated_like_any_contact(bob):
    item = post_interaction(bob.client)
    response = bob.client.post(
        _contact_url(item), json={"contact": {"first_name": "X", "country": "Atlantis"}}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "country"]
    assert bob.client.get(f"/api/v1/interactions/{item['id']}").json()["contact_id"] is None
    both = bob.client.post(_contact_url(item), json={})
    assert both.status_code == 422


def test_charlie_can_neither_link_nor_be_linked(db, bob, charlie, tenant_a, tenant_b):
    theirs = make_contact(db, tenant_b)
    item = post_interaction(bob.client)
    assert charlie.client.post(
        _contact_url(item), json={"contact": {"first_name": "Eve"}}
    ).status_code == 404
    response = bob.client.post(_contact_url(item), json={"contact_id": str(theirs.id)})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "contact_id"]
