"""Alice registers her receiver in Settings → Webhooks in Chromium, sees the secret once,
and reads the delivery of a new contact in the endpoint's log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.contacts import service as contacts_service
from rapport.core.db import transaction
from rapport.tenants import service as tenants_service
from tests.factories import make_contact
from tests.web.conftest import sign_in
from tests.webhooks.receiver import Receiver, verify, wait_for

pytestmark = pytest.mark.browser


def test_an_admin_registers_an_endpoint_and_reads_its_log(page, live_server):
    with Receiver() as receiver:
        sign_in(page, "alice@acme.example")
        page.get_by_role("link", name="Settings").click()
        page.get_by_role("link", name="Webhooks").click()
        page.get_by_label("URL").fill(receiver.url)
        page.get_by_label("Description").fill("CRM sync")
        page.get_by_role("button", name="Add endpoint").click()
        secret = page.locator("#new-secret")
        expect(secret).to_have_text(re.compile(r"^whsec_"))
        signing_secret = secret.inner_text()

        with transaction(live_server.session_factory) as db:
            acme = tenants_service.get_by_slug(db=db, slug="acme")
            contact = make_contact(db, acme, first_name="Webhook", last_name="Receiver")
        wait_for(lambda: receiver.accepted(), deadline=30)  # the server's own worker sends it
        [got] = receiver.received
        assert got.event["type"] == "contact.created"
        assert verify(signing_secret, got.headers, got.body)

        page.get_by_role("link", name=receiver.url).click()
        row = page.locator("tr", has_text="contact.created")
        expect(row).to_contain_text("delivered")
        expect(row).to_contain_text("200")
        page.get_by_role("button", name="Remove endpoint").click()
        expect(page.get_by_role("status")).to_contain_text("removed")
    with transaction(live_server.session_factory) as db:  # other tests count the contacts
        contacts_service.delete_contact(db=db, contact=db.merge(contact))
