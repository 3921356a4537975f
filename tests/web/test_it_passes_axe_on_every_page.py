"""Every main page has no serious or critical accessibility finding by axe-core.

axe-core is the npm package installed by scripts/ensure-axe.sh (`make test` runs it; so does
this test when the copy is missing) and injected from that file: nothing comes from a CDN.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.web.conftest import sign_in
from tests.web.test_it_fits_a_phone_in_a_browser import PAGES

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => v.id + ": " + v.nodes.map((n) => n.target.join(" ")).join(", "));
}"""


@pytest.fixture(scope="module")
def axe_script() -> Path:
    if not AXE.exists():
        subprocess.run([str(ROOT / "scripts" / "ensure-axe.sh")], check=True)
    return AXE


def test_every_main_page_has_no_serious_finding(browser, live_server, axe_script):
    # The page's policy forbids injected scripts, axe's own included: let the checker in.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    sign_in(page, "alice@acme.example")  # the administrator sees every navigation item
    found = {}
    for path in PAGES:
        page.goto(path.format(john=live_server.ids["john"]))
        page.add_script_tag(path=str(axe_script))
        if violations := page.evaluate(RUN_AXE):
            found[path] = violations
    context.close()
    assert found == {}
