"""The workspace driven in a real Chromium: what an agent, a supervisor and an admin do."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.contacts.models import Contact
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def _count(live_server, **where) -> int:
    with live_server.session_factory() as db:
        return db.query(Contact).filter_by(**where).count()


def test_it_signs_in_and_out(page):
    page.goto("/contacts")
    expect(page).to_have_url(re.compile(r"/login\?next=/contacts$"))
    page.locator("#f-email").fill("bob@acme.example")
    page.locator("#f-password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong email or password.")
    sign_in(page, "bob@acme.example")
    expect(page.locator(".whoami")).to_contain_text("Acme Support")
    expect(page.get_by_role("link", name="Settings")).to_have_count(0)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/contacts")
    expect(page).to_have_url(re.compile(r"/login"))


def test_it_shows_errors_beside_fields_then_saves_and_edits(page, live_server):
    sign_in(page, "bob@acme.example")
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("First name", exact=True).fill("Zoe")
    page.get_by_role("textbox", name="Email 1").fill("zoe@")
    page.get_by_label("Country 1", exact=True).select_option("DE")
    page.get_by_label("Postal code 1", exact=True).fill("1234")
    page.get_by_role("button", name="Create contact").click()

    email_error = page.locator("#f-emails-0-address-error")
    expect(email_error).to_contain_text("is not a valid email address")
    expect(page.locator("#f-addresses-0-postal_code-error")).to_contain_text(
        "not a valid postal code"
    )
    expect(page.get_by_role("textbox", name="Email 1")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("First name", exact=True)).to_have_value("Zoe")
    assert _count(live_server, first_name="Zoe") == 0

    page.get_by_role("textbox", name="Email 1").fill("zoe@example.de")
    page.get_by_label("Postal code 1", exact=True).fill("10117")
    page.get_by_label("State / province 1", exact=True).fill("Berlin")
    page.get_by_role("button", name="Create contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoe")
    expect(page.get_by_role("link", name="zoe@example.de")).to_have_attribute(
        "href", "mailto:zoe@example.de"
    )
    assert _count(live_server, first_name="Zoe") == 1

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Last name", exact=True).fill("Weber")
    page.get_by_label("Number 1", exact=True).fill("030 901820")
    page.get_by_label("Voice", exact=True).check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoe Weber")
    expect(page.get_by_role("link", name="030 901820")).to_have_attribute("href", "tel:+4930901820")
    expect(page.get_by_text("in Berlin, Europe/Berlin")).to_be_visible()


def test_it_finds_a_caller_by_a_national_number_and_filters(page):
    sign_in(page, "bob@acme.example")
    page.locator("#global-q").fill("(415) 555-2671")
    page.locator("#global-q").press("Enter")
    # One contact has this number: the search goes straight to it.
    expect(page.get_by_role("heading", level=1)).to_have_text("John Caller")

    page.goto("/contacts")
    results = page.locator("#results tbody tr")
    page.get_by_label("Search", exact=True).fill("ja")  # search as you type
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Jane Other")
    page.get_by_label("Search", exact=True).fill("")
    page.get_by_label("Priority", exact=True).select_option("1")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("John Caller")
    expect(page).to_have_url(re.compile(r"priority=1"))


def test_a_supervisor_deletes_and_an_agent_cannot(page, browser, live_server):
    sign_in(page, "sam@acme.example")
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("First name", exact=True).fill("Temporary")
    page.get_by_role("button", name="Create contact").click()
    page.get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Delete contact").click()
    expect(page.get_by_role("status")).to_contain_text("Contact Temporary deleted.")
    assert _count(live_server, first_name="Temporary") == 0

    agent = browser.new_context(base_url=live_server.url).new_page()
    sign_in(agent, "bob@acme.example")
    agent.goto(f"/contacts/{live_server.ids['john']}")
    expect(agent.get_by_role("link", name="Edit")).to_be_visible()
    expect(agent.get_by_role("link", name="Delete")).to_have_count(0)
    agent.context.close()


def test_another_tenants_contact_is_not_found(page, live_server):
    sign_in(page, "alice@acme.example")
    response = page.goto(f"/contacts/{live_server.ids['globex_contact']}")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_text("Gina")).to_have_count(0)


def test_a_forged_form_is_rejected(page, live_server):
    sign_in(page, "bob@acme.example")
    page.goto(f"/contacts/{live_server.ids['john']}/edit")
    page.locator("main input[name=csrf_token]").evaluate("e => e.value = 'forged'")
    page.get_by_label("First name", exact=True).fill("Hacked")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    assert _count(live_server, first_name="Hacked") == 0


def test_an_admin_creates_and_revokes_a_token(page):
    sign_in(page, "alice@acme.example")
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="API tokens").click()
    page.locator("#f-name").fill("Phone system")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_have_text(re.compile(r"^rpt_"))
    page.get_by_role("button", name="Copy").click()
    page.goto("/settings/tokens")
    expect(page.locator("#new-token")).to_have_count(0)
    page.get_by_role("button", name="Revoke Phone system").click()
    expect(page.get_by_role("status")).to_contain_text("revoked")
    row = page.locator("tr", has_text="Phone system")
    expect(row.get_by_text("Revoked")).to_be_visible()
