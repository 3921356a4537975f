"""Every main page fits a 360 px wide phone screen: no horizontal scrolling of the page."""

from __future__ import annotations

import pytest

from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser

PAGES = ("/workspace", "/contacts", "/contacts/new", "/contacts/{john}", "/contacts/{john}/edit",
         "/contacts/{john}/notes", "/contacts/{john}/history", "/contacts/{john}/activity",
         "/accounts", "/duplicates", "/search?q=john", "/settings", "/settings/users",
         "/contacts/import", "/board")  # fmt: skip


def test_every_page_fits_360_px(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, "alice@acme.example")  # the administrator sees every navigation item
    too_wide = {}
    for path in PAGES:
        page.goto(path.format(john=live_server.ids["john"]))
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[path] = width
    context.close()
    assert too_wide == {}
