"""A contact has several labelled postal addresses, one primary; the primary stays the single
address fields that older integrations read and write."""

from tests.privacy.personal_data import tables_mentioning
from tests.web.helpers import signed_in

CONTACTS = "/api/v1/contacts"
HOME = {"address": "1 Main St", "city": "San Francisco", "state": "California",
        "postal_code": "94103", "country": "US"}  # fmt: skip
SHOP = {"address": "Unter den Linden 5", "city": "Berlin", "postal_code": "10117",
        "country": "Deutschland"}  # fmt: skip


def _create(client, **body) -> dict:
    response = client.post(CONTACTS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _places(contact: dict) -> list[tuple]:
    return [(a["label"], a["primary"], a["city"], a["country"]) for a in contact["addresses"]]


def _where(response) -> set[str]:
    return {".".join(map(str, e["loc"])) for e in response.json()["detail"]}


def test_an_integrator_sends_two_addresses_and_the_primary_fills_the_single_fields(app, bob):
    vera = _create(
        bob.client, first_name="Vera", phone="+14155550130",
        addresses=[{**HOME, "label": "Home"}, {**SHOP, "label": "shipping", "primary": True}],
    )  # fmt: skip
    assert _places(vera) == [("home", False, "San Francisco", "US"),
                             ("shipping", True, "Berlin", "DE")]  # fmt: skip
    # Each entry is normalised as the single fields are: ISO codes, the country's format.
    assert vera["addresses"][0]["state"] == "US-CA"
    assert vera["addresses"][0]["state_name"] == "California"
    assert vera["addresses"][1]["country_name"] == "Germany"
    assert vera["addresses"][1]["formatted"] == "Unter den Linden 5\n10117 Berlin\nGermany"
    # The primary is the contact's own address.
    assert (vera["address"], vera["city"], vera["postal_code"], vera["country"]) == (
        "Unter den Linden 5", "Berlin", "10117", "DE",
    )  # fmt: skip
    assert vera["state"] is None
    # Sending the same list again changes nothing.
    again = bob.client.patch(
        f"{CONTACTS}/{vera['id']}",
        json={"addresses": [{**HOME, "label": "home"}, {**SHOP, "label": "shipping",
                                                        "primary": True}]},
    )  # fmt: skip
    assert again.status_code == 200, again.text
    assert again.json()["version"] == vera["version"]
    page = signed_in(app, bob).get(f"/contacts/{vera['id']}")
    assert page.status_code == 200
    shown = page.text.split("Other addresses", 1)[1]
    assert "San Francisco" in shown and "home" in shown
    assert "Berlin" in page.text.split("Other addresses", 1)[0] and "shipping" in page.text


def test_the_single_fields_replace_the_primary_and_keep_the_others(bob):
    vera = _create(bob.client, first_name="Vera", addresses=[HOME, {**SHOP, "label": "billing"}])
    assert _places(vera) == [("work", True, "San Francisco", "US"),
                             ("billing", False, "Berlin", "DE")]  # fmt: skip
    # An integration that knows only the single fields moves the primary; it keeps its label.
    moved = bob.client.patch(f"{CONTACTS}/{vera['id']}", json={"city": "Oakland",
                                                               "postal_code": "94607"})
    assert moved.status_code == 200, moved.text
    assert _places(moved.json()) == [("work", True, "Oakland", "US"),
                                     ("billing", False, "Berlin", "DE")]  # fmt: skip
    # Clearing every single field makes the next address the primary.
    cleared = bob.client.patch(
        f"{CONTACTS}/{vera['id']}",
        json={"address": None, "city": None, "state": None, "postal_code": None, "country": None},
    ).json()
    assert _places(cleared) == [("billing", True, "Berlin", "DE")]
    assert (cleared["city"], cleared["country"]) == ("Berlin", "DE")
    # A contact created with the single fields only has them as its one, primary address.
    old_style = _create(bob.client, first_name="Olga", city="Paris", country="FR")
    assert _places(old_style) == [("work", True, "Paris", "FR")]
    assert _create(bob.client, first_name="Nobody")["addresses"] == []


def test_a_list_replaces_every_address_and_a_conflicting_single_field_is_refused(bob):
    vera = _create(bob.client, first_name="Vera", **HOME)
    conflicting = bob.client.patch(
        f"{CONTACTS}/{vera['id']}", json={"city": "Oakland", "addresses": [SHOP]}
    )
    assert conflicting.status_code == 422
    assert _where(conflicting) == {"body.city"}
    agreeing = bob.client.patch(
        f"{CONTACTS}/{vera['id']}", json={"city": "Berlin", "addresses": [SHOP]}
    )
    assert agreeing.status_code == 200, agreeing.text
    assert _places(agreeing.json()) == [("work", True, "Berlin", "DE")]
    # The numbers are then read in the primary address's country.
    assert agreeing.json()["country"] == "DE"
    none_left = bob.client.patch(f"{CONTACTS}/{vera['id']}", json={"addresses": []}).json()
    assert none_left["addresses"] == [] and none_left["city"] is None


def test_bad_entries_are_named_and_change_nothing(bob):
    response = bob.client.post(
        CONTACTS,
        json={
            "first_name": "Nope",
            "addresses": [
                HOME,
                {"city": "London", "postal_code": "not a code", "country": "GB"},
                {"city": "Nowhere", "country": "Atlantis"},
                {"city": "Lyon", "country": "FR", "label": "x" * 41},
                {"label": "home"},
                {**SHOP, "primary": True},
                {"city": "Rome", "country": "IT", "primary": True},
                {"city": "Austin", "state": "Narnia", "country": "US"},
            ],
        },
    )
    assert response.status_code == 422, response.text
    assert _where(response) == {
        "body.addresses.1.postal_code", "body.addresses.2.country", "body.addresses.3.label",
        "body.addresses.4", "body.addresses.6.primary", "body.addresses.7.state",
    }  # fmt: skip
    assert bob.client.get(CONTACTS, params={"q": "Nope"}).json()["items"] == []
    too_long = bob.client.post(
        CONTACTS, json={"first_name": "Nope", "addresses": [{"city": "x" * 101}]}
    )
    assert too_long.status_code == 422
    assert _where(too_long) == {"body.addresses.0.city"}
    not_a_flag = bob.client.post(
        CONTACTS, json={"first_name": "Nope", "addresses": [{"city": "Rome", "primary": "yes"}]}
    )
    assert _where(not_a_flag) == {"body.addresses.0.primary"}


def test_a_merge_keeps_every_address_of_both(sam, bob):
    keep = _create(bob.client, first_name="Vera", **HOME)
    other = _create(
        bob.client, first_name="Vera", last_name="Stone",
        addresses=[{**SHOP, "label": "shipping"}, {"city": "Paris", "country": "FR",
                                                   "label": "Holiday flat"}],
    )  # fmt: skip
    response = sam.client.post(
        "/api/v1/contacts/merge",
        json={"survivor_id": keep["id"], "merged_ids": [other["id"]],
              "fields": {"address": keep["id"], "city": keep["id"], "state": keep["id"],
                         "postal_code": keep["id"], "country": keep["id"]}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    merged = response.json()["contact"]
    assert merged["city"] == "San Francisco"
    assert sorted(_places(merged)) == [
        ("Holiday flat", False, "Paris", "FR"),
        ("shipping", False, "Berlin", "DE"),
        ("work", True, "San Francisco", "US"),
    ]  # fmt: skip


def test_the_persons_export_carries_every_address_and_erasure_removes_them(db, alice, sam):
    person = _create(
        sam.client, first_name="Zebulon",
        addresses=[{"address": "77 Sunflower Lane", "city": "Snowmass", "country": "US"},
                   {"address": "3 Quibble Row", "city": "Aspen", "label": "billing"}],
    )  # fmt: skip
    document = sam.client.get(f"/api/v1/contacts/{person['id']}/export").json()
    assert [a["address"] for a in document["contact"]["addresses"]] == [
        "77 Sunflower Lane", "3 Quibble Row",
    ]  # fmt: skip
    needles = ["Sunflower", "Quibble Row", "Aspen"]
    assert "contact_addresses" in tables_mentioning(db, needles)  # the check sees them
    erased = alice.client.post(f"/api/v1/contacts/{person['id']}/erase", json={"confirm": True})
    assert erased.status_code == 200, erased.text
    db.expire_all()
    assert tables_mentioning(db, needles) == {}
