"""Bob adds a second phone number and a second address to a contact in a real Chromium: the
form's "Add another" and "Remove" buttons (rows.js), then the contact page shows them all."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from rapport.contacts.models import Contact
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_bob_adds_a_second_phone_and_a_second_address(page, live_server):
    sign_in(page, "bob@acme.example")
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("First name", exact=True).fill("Vera")
    page.get_by_label("Number 1", exact=True).fill("(415) 555-0160")
    page.get_by_label("City 1", exact=True).fill("San Francisco")
    page.get_by_label("Country 1", exact=True).select_option("US")
    page.get_by_label("State / province 1", exact=True).fill("CA")
    page.get_by_label("Postal code 1", exact=True).fill("94103")
    page.get_by_role("button", name="Create contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vera")

    page.get_by_role("link", name="Edit").click()
    # The saved number is row 1; the spare blank row 2 takes the next one.
    page.get_by_label("Number 2", exact=True).fill("415 555 0161")
    page.get_by_label("Label of number 2", exact=True).fill("home")
    # "Add another" gives row 3, focused; "Remove" takes it away again.
    page.get_by_role("button", name="Add another number").click()
    expect(page.get_by_label("Number 3", exact=True)).to_be_focused()
    page.get_by_label("Number 3", exact=True).fill("415 555 0199")
    page.get_by_role("button", name="Remove number 3").click()
    expect(page.get_by_label("Number 3", exact=True)).to_have_count(0)
    page.get_by_role("button", name="Add another address").click()
    page.get_by_label("City 3", exact=True).fill("Berlin")
    page.get_by_label("Postal code 3", exact=True).fill("10117")
    page.get_by_label("Country 3", exact=True).select_option("DE")
    page.get_by_label("Label of address 3", exact=True).fill("Summer house")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vera")
    expect(page.get_by_role("link", name="(415) 555-0160")).to_have_attribute(
        "href", "tel:+14155550160"
    )
    expect(page.get_by_role("link", name="(415) 555-0161")).to_have_attribute(
        "href", "tel:+14155550161"
    )
    expect(page.get_by_text("10117 Berlin")).to_be_visible()
    expect(page.get_by_text("Summer house")).to_be_visible()
    expect(page.get_by_text("San Francisco, CA 94103")).to_be_visible()
    with live_server.session_factory() as db:
        vera = db.query(Contact).filter_by(first_name="Vera").one()
        assert [p.value for p in vera.points] == ["+14155550160", "+14155550161"]
        assert [(a.city, a.label, a.is_primary) for a in vera.addresses] == [
            ("San Francisco", "work", True), ("Berlin", "Summer house", False),
        ]  # fmt: skip


def test_an_error_is_shown_on_its_row(page, live_server):
    sign_in(page, "bob@acme.example")
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("First name", exact=True).fill("Wendy")
    page.get_by_label("Email 1", exact=True).fill("wendy@example.com")
    page.get_by_role("button", name="Add another email").click()
    page.get_by_label("Email 2", exact=True).fill("wendy@")
    page.get_by_role("button", name="Create contact").click()
    error = page.locator("#f-emails-1-address-error")
    expect(error).to_contain_text("is not a valid email address")
    expect(page.get_by_label("Email 2", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email 1", exact=True)).to_have_value("wendy@example.com")
    with live_server.session_factory() as db:
        assert db.query(Contact).filter_by(first_name="Wendy").count() == 0
