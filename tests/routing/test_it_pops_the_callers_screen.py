from tests.factories import make_account, make_contact
from tests.routing.helpers import ago, post_interaction


def _accept(client) -> dict:
    response = client.post("/api/v1/queue/accept")
    assert response.status_code == 200, response.text
    return response.json()


def test_one_match_from_a_national_number_shows_the_contact_with_history(db, bob, tenant_a):
    account = make_account(db, tenant_a, name="Initech")
    caller = make_contact(
        db, tenant_a, first_name="Vera", last_name="Stone", phone="+14155552671",
        account=account.identifier,
    )  # fmt: skip
    earlier = post_interaction(bob.client, address="+14155552671", subject="Earlier", waited=900)
    bob.client.post(f"/api/v1/interactions/{earlier['id']}/abandon")
    note = bob.client.post(f"/api/v1/contacts/{caller.id}/notes", json={"body": "Prefers mail"})
    assert note.status_code == 201, note.text

    post_interaction(bob.client, address="(415) 555-2671")  # national format, stored E.164
    pop = _accept(bob.client)
    assert pop["match"] == "one"
    assert pop["contact"]["id"] == str(caller.id)
    assert pop["contact"]["local_time"] is not None
    assert pop["account"]["name"] == "Initech"
    assert [n["body"] for n in pop["notes"]] == ["Prefers mail"]
    assert [i["id"] for i in pop["recent_interactions"]] == [earlier["id"]]
    assert pop["candidates"] == [] and pop["suggested_contact"] is None


def test_many_matches_are_ranked_candidates(db, bob, tenant_a):
    make_contact(db, tenant_a, first_name="Ann", last_name="Home", phone="+14155552672")
    shared = make_contact(db, tenant_a, first_name="Bo", last_name="Work", mobile="+14155552672")
    # Bo called from this number before: likelier to be the caller again.
    post_interaction(bob.client, address="+14155552672", contact_id=str(shared.id),
                     waited=999, ended_at=ago(900))  # fmt: skip
    post_interaction(bob.client, address="415-555-2672")
    pop = _accept(bob.client)
    assert pop["match"] == "many"
    names = [c["contact"]["display_name"] for c in pop["candidates"]]
    assert names == ["Bo Work", "Ann Home"]
    assert pop["candidates"][0]["reasons"] == ["same phone number"]
    assert pop["contact"] is None


def test_no_match_suggests_a_contact_from_the_number(bob):
    post_interaction(bob.client, address="+44 20 7946 0958")
    pop = _accept(bob.client)
    assert pop["match"] == "none"
    assert pop["suggested_contact"] == {
        "first_name": None, "last_name": None, "email": None, "phone": "+442079460958",
        "mobile": None, "country": "GB", "country_name": "United Kingdom",
        "time_zone": "Europe/London",
    }  # fmt: skip


def test_no_match_suggests_a_name_from_the_email_display_name(bob):
    post_interaction(bob.client, channel="email", address="Jane Doe <Jane.Doe@Example.com>")
    suggestion = _accept(bob.client)["suggested_contact"]
    assert suggestion["first_name"] == "Jane" and suggestion["last_name"] == "Doe"
    assert suggestion["email"] == "Jane.Doe@Example.com"
    assert suggestion["country"] == "US"  # the tenant's default


def test_no_match_suggests_a_name_from_a_chat_visitor(bob):
    post_interaction(bob.client, channel="chat", address="Doe, John")
    suggestion = _accept(bob.client)["suggested_contact"]
    assert (suggestion["first_name"], suggestion["last_name"]) == ("John", "Doe")


def test_a_contact_created_while_waiting_is_found_on_accept(db, bob, tenant_a):
    post_interaction(bob.client, address="+14155552673")
    contact = make_contact(db, tenant_a, phone="+14155552673")
    pop = _accept(bob.client)
    assert pop["match"] == "one" and pop["contact"]["id"] == str(contact.id)
    assert pop["interaction"]["contact_id"] == str(contact.id)


def test_accepting_a_specific_interaction_and_taken_ones(bob, sam, charlie):
    first = post_interaction(bob.client, waited=50)
    second = post_interaction(bob.client, waited=10)
    response = bob.client.post(f"/api/v1/interactions/{second['id']}/accept")
    assert response.status_code == 200, response.text
    assert response.json()["interaction"]["state"] == "active"
    again = sam.client.post(f"/api/v1/interactions/{second['id']}/accept")
    assert again.status_code == 409
    assert "already accepted by another agent" in again.json()["detail"]
    assert charlie.client.post(f"/api/v1/interactions/{first['id']}/accept").status_code == 404
    assert sam.client.post("/api/v1/queue/accept").json()["interaction"]["id"] == first["id"]
