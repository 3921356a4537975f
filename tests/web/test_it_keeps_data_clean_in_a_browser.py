"""Contact data kept clean, in a real Chromium: activity, merging duplicates, the warning
before creating one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.contacts.models import Contact
from rapport.core.db import transaction
from rapport.tenants.models import Tenant
from tests.factories import make_contact
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def _seed_contact(live_server, **values) -> str:
    with transaction(live_server.session_factory) as db:
        acme = db.query(Tenant).filter_by(slug="acme").one()
        return str(make_contact(db, acme, **values).id)


def _count(live_server, **where) -> int:
    with live_server.session_factory() as db:
        return db.query(Contact).filter_by(**where).count()


def test_it_shows_the_activity_of_a_contact_after_editing_it(page, live_server):
    contact_id = _seed_contact(live_server, first_name="Ariadne", last_name="Before")
    sign_in(page, "bob@acme.example")
    page.goto(f"/contacts/{contact_id}/edit")
    page.get_by_label("Last name", exact=True).fill("After")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("link", name="Activity").click()
    expect(page).to_have_url(re.compile(f"/contacts/{contact_id}/activity$"))
    newest = page.locator(".activity-item").first
    expect(newest).to_contain_text("Changed")
    expect(newest).to_contain_text("bob@acme.example")
    row = newest.get_by_role("row", name=re.compile("Last name"))
    expect(row).to_contain_text("Before")
    expect(row).to_contain_text("After")


def test_a_supervisor_merges_two_duplicates_picking_a_field(page, live_server):
    keep = _seed_contact(live_server, first_name="Merle", last_name="Twin",
                         phone="+1 312 555 0188", email="merle@old.example")  # fmt: skip
    other = _seed_contact(live_server, first_name="Merle", last_name="Twin",
                          mobile="+1 312 555 0188", email="merle@new.example")  # fmt: skip
    sign_in(page, "sam@acme.example")
    page.get_by_role("link", name="Duplicates").click()
    page.get_by_role("link", name="Review and merge Merle Twin and Merle Twin").click()
    page.get_by_role("radio", name="merle@old.example").check()
    page.get_by_role("radio", name="Keep Merle Twin").nth(
        0 if page.url.index(keep) < page.url.index(other) else 1
    ).check()
    page.get_by_role("button", name="Merge contacts").click()
    expect(page).to_have_url(re.compile(f"/contacts/{keep}$"))
    expect(page.get_by_role("status")).to_contain_text("Merged 2 contacts into Merle Twin.")
    expect(page.get_by_role("link", name="merle@old.example")).to_be_visible()
    assert _count(live_server, first_name="Merle") == 1


def test_it_warns_of_a_duplicate_before_saving_a_new_contact(page, live_server):
    _seed_contact(live_server, first_name="Dora", last_name="Dupe", phone="+1 646 555 0123")
    sign_in(page, "bob@acme.example")
    page.get_by_role("link", name="New contact").click()
    page.get_by_label("First name", exact=True).fill("Dorothea")
    page.get_by_label("Number 1", exact=True).fill("(646) 555-0123")
    page.get_by_label("Label of number 1", exact=True).fill("mobile")
    page.get_by_role("button", name="Create contact").click()
    expect(page.get_by_role("alert")).to_contain_text("This contact may already exist")
    expect(page.get_by_role("alert")).to_contain_text("same phone number")
    expect(page.get_by_role("link", name="Dora Dupe")).to_be_visible()
    assert _count(live_server, first_name="Dorothea") == 0
    page.get_by_label("Create anyway").check()
    page.get_by_role("button", name="Create contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dorothea")
    assert _count(live_server, first_name="Dorothea") == 1
