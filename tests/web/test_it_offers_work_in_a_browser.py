"""Push routing in real Chromium: two agents available, a workitem posted through the API is
offered to one with a countdown; Escape hands it to the other; a lapse hands it back; Enter
accepts and the caller pops with focus on their name; W, typing, Tab and Ctrl+Enter complete.
Then, in pull mode, a burst of 30 posts all appear in an open workspace without a reload."""

from __future__ import annotations

import re
import time

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from rapport.interactions.models import Interaction
from rapport.routing.models import Offer
from rapport.tenants.models import Tenant
from rapport.users import service as users_service
from rapport.users.models import User
from tests.web.conftest import PASSWORD, sign_in
from tests.web.test_it_takes_work_in_a_browser import _integration_token

pytestmark = pytest.mark.browser


def _acme(db) -> tuple[Tenant, dict[str, User]]:
    acme = db.scalar(select(Tenant).where(Tenant.slug == "acme"))
    rows = db.scalars(select(User).where(User.tenant_id == acme.id))
    users = {u.email.split("@")[0]: u for u in rows}
    return acme, users


@pytest.fixture
def push_mode(live_server):
    """Acme in push mode with a short countdown; only Bob and Dana take work, and only what
    this test posts (work other browser tests left waiting in the shared server is closed)."""
    with live_server.session_factory() as db:
        acme, users = _acme(db)
        db.execute(update(Interaction).where(
            Interaction.tenant_id == acme.id, Interaction.state.in_(("queued", "offered")),
        ).values(state="abandoned"))  # fmt: skip
        db.execute(update(Offer).where(Offer.tenant_id == acme.id, Offer.outcome == "pending")
                   .values(outcome="withdrawn"))  # fmt: skip
        if "dana" not in users:
            users_service.create(db=db, tenant_id=acme.id, email="dana@acme.example",
                                 role="agent", password=PASSWORD)  # fmt: skip
        acme.routing_mode, acme.offer_seconds = "push", 4
        acme.offer_cooldown_seconds, acme.offer_lapses_to_away = 2, 0
        for name in ("alice", "sam"):
            users[name].availability = "away"
        db.commit()
    yield
    with live_server.session_factory() as db:
        acme, users = _acme(db)
        acme.routing_mode = "pull"
        for user in users.values():
            user.availability = "available"
        db.commit()


def _workspace(browser, live_server, email: str):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(8000)
    page = context.new_page()
    sign_in(page, email)
    page.goto("/workspace")
    expect(page.locator("[data-live-offer][data-ready]")).to_be_attached()
    return page


def _post(live_server, token: str, **values) -> dict:
    body = {"channel": "voice", "direction": "inbound", "address": "+1 415 555 2671", **values}
    response = httpx.post(f"{live_server.url}/api/v1/interactions", json=body,
                          headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()


def _holder(pages):
    """Wait until exactly one page shows an offer; that page and the other."""
    deadline = time.monotonic() + 30  # a bound, not a timing: a busy machine is slow
    while time.monotonic() < deadline:
        shown = [p for p in pages if p.locator("[data-offer-id]").count()]
        if len(shown) == 1:
            return shown[0], next(p for p in pages if p is not shown[0])
        time.sleep(0.05)
    raise AssertionError("no single agent was offered the workitem")


def test_offers_pass_between_agents_and_keyboard_completes(browser, live_server, push_mode):
    token = _integration_token(live_server)
    bob, dana = (_workspace(browser, live_server, f"{who}@acme.example") for who in ("bob", "dana"))
    _post(live_server, token, subject="Offer me")
    first, second = _holder([bob, dana])
    offer = first.locator("[data-offer-id]")
    expect(offer).to_contain_text("John Caller")
    expect(offer.locator("[data-countdown]")).to_have_text(re.compile(r"^\d+$"))
    expect(first.locator("[data-offer-accept]")).to_be_focused()
    first.keyboard.press("Escape")  # reject: straight to the other agent
    expect(second.locator("[data-offer-id]")).to_be_visible()
    expect(first.locator("[data-offer-id]")).to_have_count(0)
    # Nobody answers on the second page: the offer lapses and comes back to the first agent.
    expect(first.locator("[data-offer-id]")).to_be_visible(timeout=15000)
    expect(second.locator("[data-offer-id]")).to_have_count(0)
    first.keyboard.press("Enter")  # accept
    heading = first.get_by_role("heading", name="John Caller")
    expect(heading).to_be_focused()
    first.keyboard.press("w")
    expect(first.get_by_label("Disposition")).to_be_focused()
    first.keyboard.type("Resolved")
    first.keyboard.press("Tab")
    first.keyboard.type("Called about the offer")
    first.keyboard.press("Control+Enter")
    expect(first.get_by_role("status").first).to_contain_text("Interaction completed.")


def test_a_burst_of_posts_all_appear_without_reload(page, live_server):
    token = _integration_token(live_server)
    sign_in(page, "bob@acme.example")
    page.goto("/workspace")
    expect(page.locator("[data-live-queue][data-ready]")).to_be_attached()
    posted = [_post(live_server, token, address="+14155550123", subject=f"Burst {n:02d}")
              for n in range(30)]  # fmt: skip
    expect(page.locator("tr", has_text="Burst ")).to_have_count(30)
    for item in posted:  # leave the shared queue as it was
        httpx.post(f"{live_server.url}/api/v1/interactions/{item['id']}/abandon",
                   headers={"Authorization": f"Bearer {token}"})  # fmt: skip
