"""In a real Chromium: a session cookie copied before sign-out is dead after it, and the pages
run under the Content-Security-Policy without a single violation."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from rapport.web.session import COOKIE_NAME
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_cookie_copied_before_sign_out_opens_nothing_after_it(page, browser, live_server):
    sign_in(page, "sam@acme.example")
    stolen = [c for c in page.context.cookies() if c["name"] == COOKIE_NAME]
    assert stolen and stolen[0]["httpOnly"]

    other = browser.new_context(base_url=live_server.url)
    try:
        other.add_cookies(stolen)
        thief = other.new_page()
        thief.goto("/contacts")
        expect(thief).to_have_url(re.compile(r"/contacts$"))  # the copy works while signed in

        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(r"/login$"))

        thief.goto("/contacts")
        expect(thief).to_have_url(re.compile(r"/login\?next=/contacts$"))
        other.clear_cookies()
        other.add_cookies(stolen)  # the exact cookie again, not one the server cleared
        thief.goto("/accounts")
        expect(thief).to_have_url(re.compile(r"/login\?next=/accounts$"))
    finally:
        other.close()


def test_pages_run_without_content_policy_violations(page, live_server):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    sign_in(page, "alice@acme.example")
    john = live_server.ids["john"]
    for path in (
        "/contacts",
        f"/contacts/{john}",
        f"/contacts/{john}/history",
        "/accounts",
        "/workspace",
        "/contacts/import",
        "/settings/users",
        "/search?q=john",
    ):
        page.goto(path)
        expect(page.locator("main")).to_be_visible()
    page.goto("/contacts")
    page.keyboard.press("/")  # app.js is running: "/" focuses the global search
    expect(page.locator("#global-q")).to_be_focused()
    assert violations == []
