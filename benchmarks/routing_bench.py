"""Routing under load: accepts per second with 1, 8 and 32 agents accepting at once from a
queue of waiting interactions, beside the bare locking query in raw SQL in the same run, and
the intake rate of POST /api/v1/interactions.

    .venv/bin/python benchmarks/routing_bench.py [--queue 10000] [--database both]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import httpx
from rich.table import Table
from sqlalchemy import delete, insert, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, console, serve  # noqa: E402
from rapport.core.db import make_engine, make_session_factory, utcnow  # noqa: E402
from rapport.core.ids import new_id  # noqa: E402
from rapport.interactions.models import Interaction  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.users import service as users_service  # noqa: E402

CONCURRENCY = (1, 8, 32)
BATCH = 5_000


def setup_tenant(engine: Engine, agents: int) -> tuple[uuid.UUID, list[uuid.UUID], list[str]]:
    factory = make_session_factory(engine)
    with factory.begin() as db:
        tenant = tenants_service.create(db=db, slug="bench", name="Bench", default_country="US")
        ids, tokens = [], []
        for n in range(agents):
            user = users_service.create(
                db=db, tenant_id=tenant.id, email=f"agent{n}@bench.io", role="agent"
            )
            ids.append(user.id)
            tokens.append(users_service.create_token(db=db, user=user)[1])
        return tenant.id, ids, tokens


def fill_queue(engine: Engine, tenant_id: uuid.UUID, count: int) -> None:
    """`count` waiting calls with mixed priorities, as the lifecycle hooks would place them."""
    rng = random.Random(3)
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(delete(Interaction).where(Interaction.tenant_id == tenant_id))
    for start in range(0, count, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, count)):
            queued = now - timedelta(seconds=count - i)
            rows.append({
                "tenant_id": tenant_id, "id": new_id(), "channel": "voice",
                "direction": "inbound", "address": f"+1415{2000000 + i:07d}",
                "address_entered": f"+1415{2000000 + i:07d}", "match_count": 0,
                "state": "queued", "started_at": queued, "queued_at": queued,
                "routing_priority": rng.randint(1, 5), "version": 1,
                "created_at": now, "updated_at": now,
            })  # fmt: skip
        with engine.begin() as connection:
            connection.execute(insert(Interaction), rows)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def run_concurrently(workers: int, total: int, make_worker: Callable[[int], Callable[[], bool]]):
    """Each worker calls its function until `total` successes overall; accepts per second."""
    remaining = [total]
    lock = threading.Lock()
    barrier = threading.Barrier(workers + 1)
    errors: list[BaseException] = []

    def loop(n: int) -> None:
        work = make_worker(n)
        barrier.wait()
        try:
            while True:
                with lock:
                    if remaining[0] <= 0:
                        return
                    remaining[0] -= 1
                if not work():
                    return
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(workers)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return total / (time.perf_counter() - started)


def sql_param(engine: Engine, value: uuid.UUID) -> object:
    return value.hex if engine.dialect.name == "sqlite" else value


def raw_accept(
    engine: Engine, tenant_id: uuid.UUID, agent_id: uuid.UUID, opened: list
) -> Callable[[], bool]:
    """The bare locking statement(s) the service issues, on a connection of its own."""
    connection = engine.raw_connection()
    opened.append(connection)
    tenant, agent = sql_param(engine, tenant_id), sql_param(engine, agent_id)
    if engine.dialect.name == "postgresql":
        sql = (
            "UPDATE interactions SET state = 'active', agent_id = %s, accepted_at = now(), "
            "version = version + 1 WHERE tenant_id = %s AND id = (SELECT id FROM interactions "
            "WHERE tenant_id = %s AND state = 'queued' AND channel IN ('voice', 'chat', "
            "'email', 'sms') ORDER BY routing_priority, queued_at, id LIMIT 1 "
            "FOR UPDATE SKIP LOCKED) RETURNING id"
        )

        def work() -> bool:
            cursor = connection.cursor()
            cursor.execute(sql, (agent, tenant, tenant))
            row = cursor.fetchone()
            connection.commit()
            return row is not None

        return work

    select_sql = (
        "SELECT id, version FROM interactions WHERE tenant_id = ? AND state = 'queued' AND "
        "channel IN ('voice', 'chat', 'email', 'sms') ORDER BY routing_priority, queued_at, id "
        "LIMIT 1"
    )
    update_sql = (
        "UPDATE interactions SET state = 'active', agent_id = ?, accepted_at = ?, "
        "version = version + 1 WHERE tenant_id = ? AND id = ? AND version = ?"
    )

    def work_sqlite() -> bool:
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE")
        row = cursor.execute(select_sql, (tenant,)).fetchone()
        if row is not None:
            now = utcnow().replace(tzinfo=None).isoformat(" ")
            cursor.execute(update_sql, (agent, now, tenant, row[0], row[1]))
        cursor.execute("COMMIT")
        return row is not None

    return work_sqlite


def app_accept(base: str, token: str, failures: list) -> Callable[[], bool]:
    client = httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )

    def work() -> bool:
        response = client.post("/api/v1/queue/accept")
        if response.status_code >= 500:  # counted and reported, not hidden
            failures.append(response.status_code)
            return True
        response.raise_for_status()
        return response.status_code == 200

    return work


def app_intake(base: str, token: str) -> Callable[[], bool]:
    client = httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )
    rng = random.Random(token)

    def work() -> bool:
        number = f"+1415{rng.randrange(3000000, 3999999)}"
        body = {"channel": "voice", "direction": "inbound", "address": number}
        client.post("/api/v1/interactions", json=body).raise_for_status()
        return True

    return work


def run(engine: Engine, queue: int, accepts: int, intake: int) -> list[tuple]:
    tenant_id, agent_ids, tokens = setup_tenant(engine, max(CONCURRENCY))
    name = engine.dialect.name
    rows = []
    # A pool as large as the server's worker threads, as a deployment would configure.
    url = engine.url.render_as_string(hide_password=False)
    pooled = make_engine(url, pool_size=max(CONCURRENCY) + 8, max_overflow=0)
    with serve(pooled) as base:
        for agents in CONCURRENCY:
            fill_queue(engine, tenant_id, queue)
            failures: list = []
            app_rate = run_concurrently(
                agents, accepts, lambda n, f=failures: app_accept(base, tokens[n], f)
            )
            fill_queue(engine, tenant_id, queue)
            opened: list = []
            raw_rate = run_concurrently(
                agents, accepts, lambda n, o=opened: raw_accept(pooled, tenant_id, agent_ids[n], o)
            )
            for connection in opened:
                connection.close()
            label = f"accept next, queue {queue:,}"
            if failures:
                label += f" ({len(failures)} of {accepts} failed: lock wait over busy_timeout)"
            rows.append((name, label, agents, app_rate, raw_rate))
            console.print(f"{name}: {agents} agents done")
        for clients in (1, 8):
            rate = run_concurrently(clients, intake, lambda n: app_intake(base, tokens[n]))
            rows.append((name, "intake POST /interactions", clients, rate, None))
    pooled.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queue", type=int, default=10_000, help="waiting interactions")
    parser.add_argument("--accepts", type=int, default=2_000, help="accepts timed per level")
    parser.add_argument("--intake", type=int, default=1_000, help="interactions posted")
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    accepts = min(args.accepts, args.queue)
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            with bench_database(backend, tmp, name="rapport_routing_bench") as engine:
                rows += run(engine, args.queue, accepts, args.intake)
    table = Table(title=f"Routing: {accepts:,} accepts per level from a queue of {args.queue:,}")
    for column in ("database", "operation", "concurrent", "app per s", "raw SQL per s", "ratio"):
        table.add_column(column, justify="left" if column in ("database", "operation") else "right")
    for database, operation, workers, app_rate, raw_rate in rows:
        table.add_row(
            database, operation, str(workers), f"{app_rate:,.0f}",
            f"{raw_rate:,.0f}" if raw_rate else "-",
            f"{raw_rate / app_rate:.1f}x" if raw_rate else "-",
        )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
