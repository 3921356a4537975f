"""Addresses read in the order of the contact's country, on the contact page and the screen pop."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from rapport.contacts.present import address_lines
from tests.routing.helpers import post_interaction
from tests.web.helpers import signed_in


def _contact(**values: str) -> SimpleNamespace:
    blank = dict.fromkeys(("address", "city", "postal_code", "state", "country"))
    return SimpleNamespace(**{**blank, **values})


@pytest.mark.parametrize(
    ("values", "lines"),
    [
        (
            {
                "address": "1 Market St\nSuite 500",
                "city": "San Francisco",
                "postal_code": "94103",
                "state": "US-CA",
                "country": "US",
            },
            ["1 Market St", "Suite 500", "San Francisco, CA 94103", "United States"],
        ),
        (
            {
                "address": "Unter den Linden 1",
                "city": "Berlin",
                "postal_code": "10117",
                "state": "DE-BE",
                "country": "DE",
            },
            ["Unter den Linden 1", "10117 Berlin", "Germany"],
        ),
        (
            {
                "address": "10 Downing Street",
                "city": "London",
                "postal_code": "SW1A 2AA",
                "country": "GB",
            },
            ["10 Downing Street", "London", "SW1A 2AA", "United Kingdom"],
        ),
        (
            {
                "address": "1 rue de Rivoli",
                "city": "Paris",
                "postal_code": "75001",
                "country": "FR",
            },
            ["1 rue de Rivoli", "75001 Paris", "France"],
        ),
        (  # Japan in its own script: largest to smallest, the city goes with the street
            {
                "address": "千代田1-1",
                "city": "千代田区",
                "postal_code": "100-0001",
                "state": "JP-13",
                "country": "JP",
            },
            ["〒100-0001", "東京都", "千代田区 千代田1-1", "Japan"],
        ),
        (  # ... and in Latin script: its Latin order, the prefecture by its Latin name
            {
                "address": "1-1 Chiyoda",
                "city": "Chiyoda-ku",
                "postal_code": "100-0001",
                "state": "JP-13",
                "country": "JP",
            },
            ["1-1 Chiyoda, Chiyoda-ku, Tokyo", "100-0001", "Japan"],
        ),
    ],
    ids=["US", "DE", "GB", "FR", "JP", "JP-latin"],
)
def test_it_orders_the_address_by_the_countrys_convention(values, lines):
    assert address_lines(_contact(**values)) == lines


def test_it_leaves_out_what_is_not_known():
    assert address_lines(_contact()) == []
    assert address_lines(_contact(city="San Francisco", state="US-CA", country="US")) == [
        "San Francisco, CA", "United States",
    ]  # fmt: skip
    assert address_lines(_contact(address="Somewhere 1", city="Springfield")) == [
        "Somewhere 1", "Springfield",
    ]  # fmt: skip


US_ADDRESS = {
    "first_name": "Sam", "last_name": "Francisco", "phone": "+14155552671",
    "address": "1 Market St", "city": "San Francisco", "state": "California",
    "postal_code": "94103", "country": "US",
}  # fmt: skip


def test_the_contact_page_and_the_screen_pop_show_the_us_order(app, bob):
    created = bob.client.post("/api/v1/contacts", json=US_ADDRESS)
    assert created.status_code == 201, created.text
    ui = signed_in(app, bob)
    page = ui.get(f"/contacts/{created.json()['id']}").text
    assert "San Francisco, CA 94103" in page and "94103 San Francisco" not in page

    post_interaction(bob.client, address="+14155552671")
    accepted = ui.post("/workspace/accept")
    pop = ui.get(accepted.headers["location"]).text
    assert "<dt>Address</dt>" in pop and "San Francisco, CA 94103" in pop
