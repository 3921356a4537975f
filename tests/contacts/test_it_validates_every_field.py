"""A table of valid and invalid input for every field of the contact record."""

import pytest

VALID = [
    # (field input, field to read back, expected stored value)
    ({"first_name": "  Ann  "}, "first_name", "Ann"),
    ({"last_name": "O'Brien-Núñez"}, "last_name", "O'Brien-Núñez"),
    ({"address": "1 Main St\nSuite 4"}, "address", "1 Main St\nSuite 4"),
    ({"city": " Springfield "}, "city", "Springfield"),
    ({"country": "us"}, "country", "US"),
    ({"country": "USA"}, "country", "US"),
    ({"country": "united kingdom"}, "country", "GB"),
    ({"country": "Germany"}, "country", "DE"),
    ({"country": "Deutschland"}, "country", "DE"),  # the country's own name, as people write it
    ({"country": "Österreich"}, "country", "AT"),
    ({"country": "espana"}, "country", "ES"),
    ({"country": "Royaume-Uni"}, "country", "GB"),
    ({"country": "Deutschland", "mobile": "0151 23456789"}, "mobile", "+4915123456789"),
    ({"country": "US", "state": "CA"}, "state", "US-CA"),
    ({"country": "US", "state": "us-ca"}, "state", "US-CA"),
    ({"country": "US", "state": "California"}, "state", "US-CA"),
    ({"country": "CA", "state": "Ontario"}, "state", "CA-ON"),
    ({"country": "BM", "state": "Pembroke"}, "state", "Pembroke"),
    ({"state": "Somewhere"}, "state", "Somewhere"),
    ({"country": "GB", "postal_code": "sw1a1aa"}, "postal_code", "SW1A 1AA"),
    ({"country": "CA", "postal_code": "k1a0b1"}, "postal_code", "K1A 0B1"),
    ({"country": "US", "postal_code": "94103"}, "postal_code", "94103"),
    ({"country": "US", "state": "CA", "postal_code": "94103-1234"}, "postal_code", "94103-1234"),
    ({"country": "NL", "postal_code": "1234ab"}, "postal_code", "1234 AB"),
    ({"country": "DE", "postal_code": "10117"}, "postal_code", "10117"),
    ({"time_zone": "Europe/Berlin"}, "time_zone", "Europe/Berlin"),
    ({"time_zone": "asia/tokyo"}, "time_zone", "Asia/Tokyo"),
    ({"country": "FR"}, "time_zone", "Europe/Paris"),
    ({"country": "US"}, "time_zone", None),
    ({"email": "Mixed.Case@Example.COM"}, "email", "Mixed.Case@Example.COM"),
    ({"phone": "+44 20 7946 0958"}, "phone", "+442079460958"),
    ({"phone": "(212) 555-0147"}, "phone", "+12125550147"),
    ({"country": "DE", "phone": "030 901820"}, "phone", "+4930901820"),
    ({"country": "GB", "mobile": "07911 123456"}, "mobile", "+447911123456"),
    ({"fax": "+1 415 555 0100"}, "fax", "+14155550100"),
    ({"priority": 1}, "priority", 1),
    ({"priority": 5}, "priority", 5),
    ({}, "priority", 3),
    ({"email": "a@example.com", "preferred_channels": ["email"]}, "preferred_channels", ["email"]),
    ({"phone": "+1 212 555 0147", "preferred_channels": ["voice", "chat"]},
     "preferred_channels", ["voice", "chat"]),
    ({"mobile": "+44 7911 123456", "preferred_channels": ["sms"]}, "preferred_channels", ["sms"]),
    ({"custom_attributes": {"tier": "gold", "seats": 12}}, "custom_attributes",
     {"tier": "gold", "seats": 12}),
    ({"external_id": "crm-42"}, "external_id", "crm-42"),
]  # fmt: skip

INVALID = [
    # (input, field named in the error, words in the message)
    ({"first_name": "x" * 101}, "first_name", "at most 100"),
    ({"first_name": "Ann\x00"}, "first_name", "control characters"),
    ({"city": "Paris\x07"}, "city", "control characters"),
    ({"first_name": 42}, "first_name", "string"),
    ({"country": "Atlantis"}, "country", "not a known country"),
    ({"country": "US", "state": "Kalifornia"}, "state", "California"),
    ({"country": "GB", "postal_code": "12345"}, "postal_code", "not a valid postal code"),
    ({"country": "US", "state": "CA", "postal_code": "10001"}, "postal_code", "California"),
    ({"country": "DE", "postal_code": "ABCDE"}, "postal_code", "Germany"),
    ({"time_zone": "Mars/Olympus"}, "time_zone", "IANA"),
    ({"email": "not-an-email"}, "email", "not a valid email"),
    ({"email": "a@b"}, "email", "not a valid email"),
    ({"phone": "12"}, "phone", "phone number"),
    ({"phone": "+1 999 555 0100"}, "phone", "not a valid phone number"),
    ({"phone": "hello"}, "phone", "not a phone number"),
    ({"mobile": "+44 7911"}, "mobile", "phone number"),
    ({"account": "NO-SUCH"}, "account", "no account"),
    ({"priority": 0}, "priority", "greater than or equal to 1"),
    ({"priority": 6}, "priority", "less than or equal to 5"),
    ({"priority": "3"}, "priority", "integer"),
    ({"priority": True}, "priority", "integer"),
    ({"preferred_channels": ["fax"]}, "preferred_channels", "email"),
    ({"email": "a@example.com", "preferred_channels": ["email", "email"]},
     "preferred_channels", "more than once"),
    ({"preferred_channels": ["email"]}, "preferred_channels", "email needs an email"),
    ({"preferred_channels": ["voice"]}, "preferred_channels", "phone or mobile"),
    ({"phone": "+49 30 901820", "mobile": "+49 30 901821", "preferred_channels": ["sms"]},
     "preferred_channels", "receive SMS"),
    ({"nickname": "Annie"}, "nickname", "Extra inputs"),
    ({"custom_attributes": {"note": {"nested": 1}}}, "custom_attributes", "valid"),
]  # fmt: skip


@pytest.mark.parametrize("values, field, expected", VALID)
def test_it_accepts_and_normalises(bob, values, field, expected):
    body = {"first_name": "Valid", **values} if "first_name" not in values else values
    response = bob.client.post("/api/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    assert response.json()[field] == expected


@pytest.mark.parametrize("values, field, words", INVALID)
def test_it_refuses_with_the_field_and_reason(bob, values, field, words):
    body = {"last_name": "Invalid", **values}
    response = bob.client.post("/api/v1/contacts", json=body)
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    named = [e for e in errors if e["loc"][:2] == ["body", field]]
    assert named, errors
    assert any(words.lower() in e["msg"].lower() for e in named), named
    assert bob.client.get("/api/v1/contacts").json()["items"] == []


def test_it_reports_every_bad_field_at_once(bob):
    response = bob.client.post(
        "/api/v1/contacts",
        json={"first_name": "A", "email": "nope", "country": "Narnia", "time_zone": "X/Y"},
    )
    assert response.status_code == 422
    fields = {e["loc"][1] for e in response.json()["detail"]}
    assert fields == {"email", "country", "time_zone"}


def test_a_failed_patch_changes_nothing(bob):
    contact = bob.client.post(
        "/api/v1/contacts", json={"first_name": "Keep", "email": "keep@example.com"}
    ).json()
    response = bob.client.patch(
        f"/api/v1/contacts/{contact['id']}", json={"first_name": "Changed", "email": "broken"}
    )
    assert response.status_code == 422
    again = bob.client.get(f"/api/v1/contacts/{contact['id']}").json()
    assert (again["first_name"], again["email"], again["version"]) == ("Keep", contact["email"], 1)


def test_clearing_the_only_way_to_reach_a_preferred_channel_is_refused(bob):
    contact = bob.client.post(
        "/api/v1/contacts",
        json={"first_name": "Em", "email": "em@example.com", "preferred_channels": ["email"]},
    ).json()
    response = bob.client.patch(f"/api/v1/contacts/{contact['id']}", json={"email": None})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "preferred_channels"]
