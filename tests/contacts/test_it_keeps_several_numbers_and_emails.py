"""A contact has several labelled phones and emails; every one finds it, the primaries stay
the single fields older integrations read."""

from tests.routing.helpers import post_interaction
from tests.web.helpers import signed_in

CONTACTS = "/api/v1/contacts"
NUMBERS = ["+14155550101", "+14155550102", "+14155550103"]


def _create(client, **body) -> dict:
    response = client.post(CONTACTS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _three_numbers(client) -> dict:
    return _create(
        client, first_name="Vera", last_name="Stone", country="US",
        phones=[
            {"number": "(415) 555-0101", "label": "work"},
            {"number": "415 555 0102", "label": "Home"},
            {"number": "+1 415-555-0103", "label": "mobile"},
        ],
        emails=[
            {"address": "Vera@Example.com"},
            {"address": "vera.stone@home.example", "label": "Private", "primary": True},
        ],
    )  # fmt: skip


def test_a_contact_with_three_numbers_pops_up_for_a_call_from_any_of_them(bob):
    vera = _three_numbers(bob.client)
    assert [(p["number"], p["label"], p["primary"]) for p in vera["phones"]] == [
        ("+14155550101", "work", True),
        ("+14155550102", "home", False),
        ("+14155550103", "mobile", True),
    ]
    # The primaries of each kind are the single fields.
    assert (vera["phone"], vera["mobile"], vera["fax"]) == ("+14155550101", "+14155550103", None)
    assert vera["email"] == "vera.stone@home.example"
    assert [(e["address"], e["label"], e["primary"]) for e in vera["emails"]] == [
        ("Vera@Example.com", "work", False),
        ("vera.stone@home.example", "Private", True),
    ]
    for number in NUMBERS:
        call = post_interaction(bob.client, address=number)
        assert call["contact_id"] == vera["id"], number
        pop = bob.client.post("/api/v1/queue/accept")
        assert pop.status_code == 200, pop.text
        assert pop.json()["match"] == "one" and pop.json()["contact"]["id"] == vera["id"]
        # ... and says which of her numbers the caller used, with its label.
        assert pop.json()["reached_on"]["value"] == number
        assert pop.json()["reached_on"]["label"] == {"+14155550102": "home"}.get(
            number, "work" if number.endswith("1") else "mobile")  # fmt: skip
        found = bob.client.get(CONTACTS, params={"phone": number[2:]}).json()["items"]
        assert [c["id"] for c in found] == [vera["id"]]
    mail = post_interaction(bob.client, channel="email", address="VERA@example.com")
    assert mail["contact_id"] == vera["id"]


def test_the_single_fields_change_the_primaries_and_keep_the_others(bob):
    vera = _three_numbers(bob.client)
    changed = bob.client.patch(f"{CONTACTS}/{vera['id']}", json={"phone": "415-555-0104"})
    assert changed.status_code == 200, changed.text
    phones = [(p["number"], p["label"], p["primary"]) for p in changed.json()["phones"]]
    assert phones == [
        ("+14155550104", "work", True),
        ("+14155550102", "home", False),
        ("+14155550103", "mobile", True),
    ]
    # Clearing the primary email makes the other one primary.
    cleared = bob.client.patch(f"{CONTACTS}/{vera['id']}", json={"email": None}).json()
    assert cleared["email"] == "Vera@Example.com"
    assert [e["primary"] for e in cleared["emails"]] == [True]
    # A list sent replaces every number; the single fields follow it.
    replaced = bob.client.patch(
        f"{CONTACTS}/{vera['id']}",
        json={"phones": [{"number": "+14155550105"}, {"number": "+14155550106", "primary": True}]},
    ).json()
    assert (replaced["phone"], replaced["mobile"]) == ("+14155550106", None)
    assert bob.client.get(CONTACTS, params={"phone": "4155550101"}).json()["items"] == []
    # Sending the same again changes nothing.
    again = bob.client.patch(
        f"{CONTACTS}/{vera['id']}",
        json={"phones": [{"number": "+14155550105"}, {"number": "+14155550106", "primary": True}]},
    ).json()
    assert again["version"] == replaced["version"]


def test_bad_entries_are_named_and_change_nothing(bob):
    response = bob.client.post(
        CONTACTS,
        json={
            "first_name": "Nope", "country": "GB", "email": "a@example.com",
            "phones": [
                {"number": "020 7946 0958"},
                {"number": "12"},
                {"number": "+44 20 7946 0959", "label": "x" * 41},
                {"number": "07400 123456", "label": "mobile", "primary": True},
                {"number": "07400 123457", "label": "Mobile", "primary": True},
            ],
            "emails": [{"address": "not-an-email"}, {"address": "b@example.com"}],
        },
    )  # fmt: skip
    assert response.status_code == 422, response.text
    where = {".".join(map(str, e["loc"])) for e in response.json()["detail"]}
    assert where == {
        "body.phones.1.number", "body.phones.2.label", "body.phones.4.primary",
        "body.emails.0.address",
    }  # fmt: skip
    assert bob.client.get(CONTACTS, params={"q": "Nope"}).json()["items"] == []
    not_a_flag = bob.client.post(
        CONTACTS,
        json={"first_name": "Nope", "emails": [{"address": "b@example.com", "primary": 1}]},
    )
    assert [e["loc"] for e in not_a_flag.json()["detail"]] == [["body", "emails", 0, "primary"]]
    twice = bob.client.post(
        CONTACTS,
        json={"first_name": "Twice", "phones": [{"number": "+14155550107"},
                                                 {"number": "(415) 555-0107"}]},
    )  # fmt: skip
    assert twice.status_code == 422
    assert [e["loc"] for e in twice.json()["detail"]] == [["body", "phones", "1", "number"]]
    mismatch = bob.client.post(
        CONTACTS,
        json={"first_name": "Odd", "phone": "+14155550108",
              "phones": [{"number": "+14155550109"}]},
    )  # fmt: skip
    assert mismatch.status_code == 422
    assert [e["loc"] for e in mismatch.json()["detail"]] == [["body", "phone"]]


def test_every_number_and_email_is_found_by_filters_search_and_the_duplicate_check(bob):
    vera = _three_numbers(bob.client)
    by_email = bob.client.get(CONTACTS, params={"email": "VERA@example.com"}).json()["items"]
    assert [c["id"] for c in by_email] == [vera["id"]]  # not her primary email
    by_digits = bob.client.get(CONTACTS, params={"q": "415 555 0102"}).json()["items"]
    assert [c["id"] for c in by_digits] == [vera["id"]]
    found = bob.client.post(
        "/api/v1/duplicates/check",
        json={"first_name": "Someone", "phones": [{"number": "+1 (415) 555-0102"}]},
    ).json()
    assert [(m["contact"]["id"], m["reasons"]) for m in found] == [
        (vera["id"], ["same phone number"])
    ]
    found = bob.client.post(
        "/api/v1/duplicates/check",
        json={"first_name": "Someone", "emails": [{"address": "x@example.org"},
                                                  {"address": "vera@example.com"}]},
    ).json()  # fmt: skip
    assert [(m["contact"]["id"], m["reasons"]) for m in found] == [(vera["id"], ["same email"])]


def test_the_contact_page_shows_the_other_numbers_and_emails_with_their_labels(app, bob):
    vera = _three_numbers(bob.client)
    page = signed_in(app, bob).get(f"/contacts/{vera['id']}")
    assert page.status_code == 200
    others = page.text.split("Other numbers", 1)[1].split("</dd>", 1)[0]
    assert 'href="tel:+14155550102"' in others and "home" in others
    assert "+14155550101" not in others  # the primary has its own row
    emails = page.text.split("Other emails", 1)[1].split("</dd>", 1)[0]
    assert 'href="mailto:Vera@Example.com"' in emails and "work" in emails


def test_one_number_as_both_phone_and_mobile_stays_editable(bob):
    both = _create(bob.client, first_name="Ann", phone="+14155550110", mobile="+14155550110")
    assert [(p["number"], p["label"]) for p in both["phones"]] == [
        ("+14155550110", "work"),
        ("+14155550110", "mobile"),
    ]
    changed = bob.client.patch(f"{CONTACTS}/{both['id']}", json={"first_name": "Anne"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["phone"], changed.json()["mobile"]) == ("+14155550110",) * 2


def test_a_merge_keeps_every_number_and_email_of_both(db, sam, bob):
    keep = _create(bob.client, first_name="Vera", phone="+14155550120", email="v@example.com")
    other = _create(
        bob.client, first_name="Vera", last_name="Stone", email="vs@example.com",
        phones=[{"number": "+14155550121"}, {"number": "+14155550122", "label": "home"}],
    )  # fmt: skip
    response = sam.client.post(
        "/api/v1/contacts/merge",
        json={"survivor_id": keep["id"], "merged_ids": [other["id"]],
              "fields": {"phone": other["id"], "email": keep["id"]}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    merged = response.json()["contact"]
    assert merged["phone"] == "+14155550121" and merged["email"] == "v@example.com"
    assert sorted((p["number"], p["primary"]) for p in merged["phones"]) == [
        ("+14155550120", False), ("+14155550121", True), ("+14155550122", False),
    ]  # fmt: skip
    assert [(e["address"], e["primary"]) for e in merged["emails"]] == [
        ("v@example.com", True), ("vs@example.com", False),
    ]  # fmt: skip
    for number in ("+14155550120", "+14155550122"):
        assert post_interaction(bob.client, address=number)["contact_id"] == keep["id"]
