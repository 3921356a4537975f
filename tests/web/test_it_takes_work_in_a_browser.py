"""The workspace in a real Chromium: a workitem posted by an integration appears live, and
the agent accepts it to see the caller, or creates the caller from the pre-filled form."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from rapport.tenants.models import Tenant
from rapport.users import service as users_service
from rapport.users.models import User
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def _integration_token(live_server) -> str:
    with live_server.session_factory() as db:
        acme = db.scalar(select(Tenant).where(Tenant.slug == "acme"))
        alice = db.scalar(
            select(User).where(User.tenant_id == acme.id, User.email == "alice@acme.example")
        )
        _token, secret = users_service.create_token(db=db, user=alice, name="telephony")
        db.commit()
        return secret


def _post_call(live_server, token: str, address: str, subject: str) -> None:
    response = httpx.post(
        f"{live_server.url}/api/v1/interactions",
        headers={"Authorization": f"Bearer {token}"},
        json={"channel": "voice", "direction": "inbound", "address": address,
              "subject": subject, "state": "queued"},
    )  # fmt: skip
    assert response.status_code == 201, response.text


def _open_workspace(page) -> None:
    sign_in(page, "bob@acme.example")
    page.get_by_role("link", name="Workspace").click()
    expect(page.get_by_role("heading", name="Workspace")).to_be_visible()
    expect(page.locator("[data-live-queue][data-ready]")).to_be_attached()  # listening


def test_a_known_caller_appears_live_and_pops_on_accept(page, live_server):
    token = _integration_token(live_server)
    _open_workspace(page)
    _post_call(live_server, token, "+1 415 555 2671", "Where is my parcel")
    row = page.locator("tr", has_text="Where is my parcel")
    expect(row).to_contain_text("John Caller")  # no reload: the event brought it
    expect(page.locator("#queue-status")).to_contain_text("new workitem")
    row.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("heading", name="John Caller")).to_be_visible()
    expect(page.get_by_text("Global Shipping")).to_be_visible()
    page.get_by_label("Disposition").fill("Resolved")
    page.get_by_role("textbox", name="Note").fill("Parcel found")
    page.get_by_role("button", name="Complete", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Interaction completed.")


def test_an_unknown_caller_is_created_from_the_prefilled_form(page, live_server):
    token = _integration_token(live_server)
    _open_workspace(page)
    _post_call(live_server, token, "+44 20 7946 0958", "New caller")
    row = page.locator("tr", has_text="New caller")
    # Other browser tests share this server and may leave work queued: take this row.
    row.get_by_role("button", name="Accept").click()
    expect(page.get_by_label("Phone")).to_have_value("+442079460958")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Newman")
    page.get_by_role("button", name="Create contact").click()
    flash = page.get_by_role("status").first
    expect(flash).to_contain_text("Contact Nia Newman created and linked.")
    expect(page.get_by_role("heading", name="Nia Newman")).to_be_visible()
