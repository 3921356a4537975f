"""The Personality tab and the import pages driven in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.core.db import transaction
from rapport.tenants.models import Tenant
from tests.factories import make_contact
from tests.insights_api.helpers import words
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def _switch(live_server, enabled: bool) -> None:
    with transaction(live_server.session_factory) as db:
        tenant = db.query(Tenant).filter_by(slug="acme").one()
        tenant.personality_insights_enabled = enabled


def _new_contact(live_server, first_name: str) -> str:
    with transaction(live_server.session_factory) as db:
        tenant = db.query(Tenant).filter_by(slug="acme").one()
        return str(make_contact(db, tenant, first_name=first_name, last_name="Writer").id)


def test_the_tab_says_how_to_enable_it_while_it_is_off(page, live_server):
    _switch(live_server, False)
    contact_id = _new_contact(live_server, "Olive")
    sign_in(page, "bob@acme.example")
    page.goto(f"/contacts/{contact_id}")
    page.get_by_role("link", name="Personality").click()
    message = page.get_by_text("A system administrator can enable Personality Insights")
    expect(message).to_be_visible()
    expect(page.get_by_role("button", name="Add example")).to_have_count(0)


def test_adding_examples_turns_a_word_count_into_a_profile(page, live_server):
    _switch(live_server, True)
    contact_id = _new_contact(live_server, "Petra")
    sign_in(page, "bob@acme.example")
    page.goto(f"/contacts/{contact_id}/personality")
    expect(page.get_by_text("100 more words needed")).to_be_visible()

    page.get_by_label("Text the contact wrote").fill(words(60))
    page.get_by_role("button", name="Add example").click()
    expect(page.get_by_text("40 more words needed")).to_be_visible()

    page.get_by_label("Text the contact wrote").fill(words(250))
    page.get_by_label("Source (optional)").fill("https://reviews.example/petra")
    page.get_by_role("button", name="Add example").click()
    expect(page.get_by_role("heading", name="How to talk to this person")).to_be_visible()
    expect(page.locator(".pi-low")).to_contain_text("310 words analysed")
    expect(page.locator(".pi-bar")).to_have_count(5 + 12 + 5)
    page.get_by_text("Why: words that moved openness").click()
    expect(page.get_by_text("Raised it").first).to_be_visible()


def test_a_supervisor_checks_a_file_then_imports_it(page, live_server):
    sign_in(page, "sam@acme.example")
    page.get_by_role("link", name="Import").click()
    content = (
        "Given name,Family name,Email address\n"
        "Quinn,Imported,quinn@example.com\n"
        "Broken,Row,not-an-email\n"
    )
    page.get_by_label("File").set_input_files(
        files=[{"name": "crm.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_role("button", name="Upload and check (dry run)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dry run of crm.csv")
    expect(page.locator('[data-field="created"]')).to_have_text("1")
    # the rejected row names its field (the column table lists "email" too)
    expect(page.get_by_role("cell", name="email", exact=True).first).to_be_visible()

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of crm.csv")
    expect(page.get_by_text(re.compile(r"Imported: 1 created"))).to_be_visible()
    expect(page.get_by_role("link", name="Download the rejected rows (CSV)")).to_be_visible()
    page.goto("/contacts?q=Quinn")
    expect(page.locator("#results tbody tr")).to_have_count(1)
