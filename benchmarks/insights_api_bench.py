"""The profile endpoint through the real app on a real socket: a contact whose chat messages
hold 100, 1,000 or 10,000 words; the first computation beside the cached read.

Run through benchmarks/insights_bench.py (which prints the engine table first).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from sqlalchemy import delete

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, serve  # noqa: E402
from rapport.contacts import service as contacts_service  # noqa: E402
from rapport.core.db import make_session_factory, transaction  # noqa: E402
from rapport.insights.models import PersonalityProfile  # noqa: E402
from rapport.interactions import service as interactions_service  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.users import service as users_service  # noqa: E402

WORDS_PER_MESSAGE = 50  # a chat line or a short email: 10,000 words are 200 messages
FIRST_RUNS, CACHED_RUNS = 20, 100


def _seed(engine, sizes: list[int], text_of: Callable[[int], str]) -> tuple[str, dict]:
    factory = make_session_factory(engine)
    with transaction(factory) as db:
        tenant = tenants_service.create(db=db, slug="bench", name="Bench", default_country="US")
        tenant.personality_insights_enabled = True
        user = users_service.create(
            db=db, tenant_id=tenant.id, email="agent@bench.example", role="agent"
        )
        _token, secret = users_service.create_token(db=db, user=user)
        contacts = {}
        for n in sizes:
            contact = contacts_service.create(
                db=db, tenant=tenant, values={"first_name": "Words", "last_name": str(n)}
            )
            lines = [
                {"sender": "contact", "text": text_of(min(WORDS_PER_MESSAGE, n - start))}
                for start in range(0, n, WORDS_PER_MESSAGE)
            ]
            interactions_service.record(
                db=db, tenant=tenant, values={
                    "channel": "chat", "direction": "inbound", "address": f"words-{n}",
                    "contact_id": contact.id, "messages": lines,
                },
            )  # fmt: skip
            contacts[n] = contact.id
    return secret, contacts


def _median_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def api_bench(backends: list[str], sizes: list[int], text_of: Callable[[int], str]) -> None:
    print()
    print("GET /api/v1/contacts/{id}/personality (real HTTP server, one client)")
    print()
    header = (
        f"{'database':>10} | {'words':>6} | {'first median ms':>15} | {'first p95 ms':>12} | "
        f"{'cached median ms':>16} | {'cached p95 ms':>13}"
    )
    print(header)
    print("-" * len(header))
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp, bench_database(backend, tmp) as engine:
            secret, contacts = _seed(engine, sizes, text_of)
            factory = make_session_factory(engine)
            with (
                serve(engine) as base,
                httpx.Client(
                    base_url=base, headers={"Authorization": f"Bearer {secret}"}
                ) as client,
            ):
                for n, contact_id in contacts.items():
                    url = f"/api/v1/contacts/{contact_id}/personality"
                    client.get(url).raise_for_status()  # warm-up: model loaded, caches filled
                    first = []
                    for _ in range(FIRST_RUNS):
                        with transaction(factory) as db:  # forget the stored profile
                            db.execute(delete(PersonalityProfile))
                        started = time.perf_counter()
                        response = client.get(url)
                        first.append((time.perf_counter() - started) * 1000)
                        assert response.json()["word_count"] == n, response.text
                    cached = []
                    for _ in range(CACHED_RUNS):
                        started = time.perf_counter()
                        client.get(url).raise_for_status()
                        cached.append((time.perf_counter() - started) * 1000)
                    (f_med, f_p95), (c_med, c_p95) = _median_p95(first), _median_p95(cached)
                    print(
                        f"{backend:>10} | {n:>6} | {f_med:>15.1f} | {f_p95:>12.1f} | "
                        f"{c_med:>16.1f} | {c_p95:>13.1f}"
                    )
