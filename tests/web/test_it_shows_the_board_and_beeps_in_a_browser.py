"""In Chromium: the supervisors' board follows a post without a reload; an agent's sound
setting stays in the browser and an offer beeps."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from tests.web.conftest import sign_in
from tests.web.test_it_offers_work_in_a_browser import (  # noqa: F401 (push_mode: a fixture)
    _acme,
    _post,
    _workspace,
    push_mode,
)
from tests.web.test_it_takes_work_in_a_browser import _integration_token

pytestmark = pytest.mark.browser


def _abandon(live_server, token: str, item: dict) -> None:
    httpx.post(f"{live_server.url}/api/v1/interactions/{item['id']}/abandon",
               headers={"Authorization": f"Bearer {token}"})  # fmt: skip


def test_the_board_follows_a_post(page, live_server):
    token = _integration_token(live_server)
    sign_in(page, "sam@acme.example")
    page.get_by_role("link", name="Board").click()
    expect(page.locator("[data-live-board][data-ready]")).to_be_attached()
    row = page.locator('[data-waiting="sms-3"]')
    expect(row).to_have_count(0)
    item = _post(live_server, token, channel="sms", address="+14155550177")
    expect(row).to_be_visible()
    expect(row.locator("td").nth(2)).to_have_text("1")
    _abandon(live_server, token, item)
    expect(row).to_have_count(0)


@pytest.mark.usefixtures("push_mode")
def test_an_offer_beeps_when_the_agent_wants_sound(browser, live_server):
    with live_server.session_factory() as db:
        _, users = _acme(db)
        users["dana"].availability = "away"  # only Bob takes work
        db.commit()
    token = _integration_token(live_server)
    bob = _workspace(browser, live_server, "bob@acme.example")
    bob.get_by_text("Capacity and sound").click()
    bob.get_by_label("Sound when work is offered to you").check()
    bob.reload()  # the setting is kept by the browser
    expect(bob.locator("[data-live-offer][data-ready]")).to_be_attached()
    bob.get_by_text("Capacity and sound").click()
    expect(bob.get_by_label("Sound when work is offered to you")).to_be_checked()
    item = _post(live_server, token, subject="Beep")
    expect(bob.locator("[data-offer-id]")).to_be_visible()
    expect(bob.locator("html")).to_have_attribute("data-offer-beeps", "1")
    bob.keyboard.press("Escape")
    expect(bob.locator("[data-offer-id]")).to_have_count(0)
    _abandon(live_server, token, item)
