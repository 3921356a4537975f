def test_it_creates_a_contact_with_normalised_fields(bob):
    response = bob.client.post(
        "/api/v1/contacts",
        json={
            "first_name": "  Hannah ",
            "last_name": "Müller",
            "country": "deu",
            "postal_code": "10117",
            "phone": "030 901820",
            "email": "H.Mueller@Example.DE",
            "preferred_channels": ["email", "voice"],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["first_name"] == "Hannah"
    assert body["country"] == "DE"
    assert body["country_name"] == "Germany"
    assert body["phone"] == "+4930901820"
    assert body["phone_display"] == "030 901820"
    assert body["email"] == "H.Mueller@Example.DE"
    assert body["time_zone"] == "Europe/Berlin"
    assert body["time_zone_source"] == "inferred"
    assert body["priority"] == 3
    assert body["version"] == 1
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/v1/contacts/{body['id']}"

    fetched = bob.client.get(f"/api/v1/contacts/{body['id']}")
    assert fetched.status_code == 200
    assert fetched.json()["last_name"] == "Müller"


def test_it_accepts_a_caller_known_only_by_number(bob):
    response = bob.client.post("/api/v1/contacts", json={"phone": "(415) 555-2671"})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["phone"] == "+14155552671"
    assert body["display_name"] == "+14155552671"
    assert body["time_zone"] == "America/Los_Angeles"


def test_it_refuses_a_contact_with_nothing_to_know_it_by(bob):
    response = bob.client.post("/api/v1/contacts", json={"city": "Paris"})
    assert response.status_code == 422
    assert "at least one of" in response.json()["detail"][0]["msg"]


def test_it_refuses_a_second_contact_with_the_same_email(bob):
    first = bob.client.post("/api/v1/contacts", json={"email": "dup@example.com"})
    assert first.status_code == 201
    second = bob.client.post("/api/v1/contacts", json={"email": "DUP@example.com"})
    assert second.status_code == 409
    assert second.json()["existing_contact_id"] == first.json()["id"]


def test_it_links_an_account_by_identifier_or_id(bob, sam):
    account = sam.client.post(
        "/api/v1/accounts", json={"identifier": "ACME-7", "name": "Acme Seven"}
    ).json()
    by_identifier = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Ann", "account": "acme-7"}
    )
    assert by_identifier.status_code == 201
    assert by_identifier.json()["account"] == {
        "id": account["id"],
        "identifier": "ACME-7",
        "name": "Acme Seven",
    }
    by_id = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Ben", "account": account["id"]}
    )
    assert by_id.json()["account"]["id"] == account["id"]


def test_it_keeps_an_entered_time_zone_and_reinfers_an_inferred_one(bob):
    contact = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Tz", "phone": "+33 1 42 68 53 00"}
    ).json()
    assert (contact["time_zone"], contact["time_zone_source"]) == ("Europe/Paris", "inferred")
    moved = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"phone": "+81 3-1234-5678"}
    ).json()
    assert (moved["time_zone"], moved["time_zone_source"]) == ("Asia/Tokyo", "inferred")
    entered = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"time_zone": "america/new_york"}
    ).json()
    assert (entered["time_zone"], entered["time_zone_source"]) == ("America/New_York", "entered")
    kept = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"phone": "+49 30 901820"}
    ).json()
    assert kept["time_zone"] == "America/New_York"
    assert kept["local_time"].endswith(("-05:00", "-04:00"))
