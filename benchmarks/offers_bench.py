"""Offers seen by an agent: API post → offer on screen, and Enter (accept) → caller on screen.

A real server (with its offers clock) on a fresh database of each backend, one agent's
workspace open in Chromium; each round posts a call for a known contact and waits for the
offer card, then presses Enter and waits for the contact's heading.

    .venv/bin/python benchmarks/offers_bench.py --rounds 20
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

import httpx
from playwright.sync_api import expect, sync_playwright

from benchmarks.common import bench_database, console, serve
from rapport.core.db import make_session_factory, transaction
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from tests.factories import make_contact

PASSWORD = "bench-password-123"


def _seed(engine) -> str:
    with transaction(make_session_factory(engine)) as db:
        tenant = tenants_service.create(db=db, slug="acme", name="Acme", default_country="US")
        tenant.routing_mode = "push"
        agent = users_service.create(db=db, tenant_id=tenant.id, email="agent@acme.example",
                                     role="agent", password=PASSWORD)  # fmt: skip
        _token, secret = users_service.create_token(db=db, user=agent, name="bench")
        make_contact(db, tenant, first_name="Vera", last_name="Stone", phone="+14155552671")
    return secret


def run(backend: str, rounds: int) -> tuple[list[float], list[float]]:
    to_offer: list[float] = []
    to_contact: list[float] = []
    auth = "Bearer "
    with tempfile.TemporaryDirectory() as tmp, bench_database(backend, tmp) as engine:
        token = _seed(engine)
        with serve(engine) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox"])  # fmt: skip
            page = browser.new_page(base_url=url)
            page.goto("/login")
            page.locator("#f-email").fill("agent@acme.example")
            page.locator("#f-password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/contacts")
            for _ in range(rounds):
                page.goto("/workspace")
                expect(page.locator("[data-live-offer][data-ready]")).to_be_attached()
                started = time.perf_counter()
                httpx.post(f"{url}/api/v1/interactions", headers={"Authorization": auth + token},
                           json={"channel": "voice", "address": "+14155552671",
                                 "direction": "inbound"}).raise_for_status()  # fmt: skip
                page.locator("[data-offer-accept]").wait_for()
                to_offer.append(time.perf_counter() - started)
                started = time.perf_counter()
                page.keyboard.press("Enter")
                page.get_by_role("heading", name="Vera Stone").wait_for()
                to_contact.append(time.perf_counter() - started)
                page.get_by_label("Disposition").fill("Resolved")
                page.get_by_role("button", name="Complete", exact=True).click()
                page.wait_for_url("**/workspace")
            browser.close()
    return to_offer, to_contact


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--database", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    for backend in [args.database] if args.database else ["sqlite", "postgresql"]:
        offer, contact = run(backend, args.rounds)
        for label, samples in (("post → offer on screen", offer),
                               ("Enter → contact on screen", contact)):  # fmt: skip
            ms = sorted(s * 1000 for s in samples)
            console.print(f"{backend:10} {label:28} median {statistics.median(ms):6.0f} ms  "
                          f"p90 {ms[int(len(ms) * 0.9) - 1]:6.0f} ms  (n={len(ms)})")  # fmt: skip


if __name__ == "__main__":
    main()
