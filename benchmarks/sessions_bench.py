"""The cost a server-side session adds to each page request: resolving the cookie's session
(one query by primary key, joined to its user and tenant), with many sessions stored, beside
the two primary-key reads of user and tenant that a cookie-only session needed.

    .venv/bin/python benchmarks/sessions_bench.py [--sessions 100000] [--database both]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from rich.table import Table
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, console  # noqa: E402
from rapport.core.db import make_session_factory, utcnow  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.tenants.models import Tenant  # noqa: E402
from rapport.users import service as users_service  # noqa: E402
from rapport.users import sessions  # noqa: E402
from rapport.users.models import User, WebSession  # noqa: E402

USERS = 200
LOOKUPS = 3_000


def _fill(engine, count: int) -> tuple[list[tuple], list[str]]:
    factory = make_session_factory(engine)
    with factory() as db:
        tenant = tenants_service.create(db=db, slug="bench", name="Bench")
        users = [
            users_service.create(db=db, tenant_id=tenant.id, email=f"u{n}@b.example", role="agent")
            for n in range(USERS)
        ]
        db.commit()
        keys = [f"key-{n}" for n in range(count)]
        expires = utcnow() + timedelta(hours=12)
        rows = [
            {"tenant_id": tenant.id, "key_hash": sessions._digest(key),
             "user_id": users[n % USERS].id, "created_at": utcnow(), "expires_at": expires}
            for n, key in enumerate(keys)
        ]  # fmt: skip
        for start in range(0, count, 10_000):
            db.execute(insert(WebSession), rows[start : start + 10_000])
        db.commit()
        return [(tenant.id, u.id) for u in users], keys


def _per_second(factory, work) -> float:
    with factory() as db:
        started = time.perf_counter()
        for _ in range(LOOKUPS):
            work(db)
            db.expunge_all()
        return LOOKUPS / (time.perf_counter() - started)


def run(backend: str, count: int, table: Table) -> None:
    with (
        tempfile.TemporaryDirectory() as tmp,
        bench_database(backend, tmp, "rapport_bench_sessions") as engine,
    ):
        users, keys = _fill(engine, count)
        tenant_id = users[0][0]
        factory = make_session_factory(engine)
        resolve = _per_second(factory, lambda db: sessions.resolve(
            db=db, tenant_id=tenant_id, key=random.choice(keys)))  # fmt: skip

        def cookie_only(db) -> None:
            tenant, user = random.choice(users)
            db.get(User, (tenant, user))
            db.get(Tenant, tenant)

        before = _per_second(factory, cookie_only)
        table.add_row(backend, f"{count:,}", f"{resolve:,.0f}", f"{before:,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    table = Table(title="Resolving a page request's session (lookups per second, one client)")
    for column in ("database", "sessions stored", "session row + user + tenant",
                   "user + tenant only (cookie-only sessions)"):  # fmt: skip
        table.add_column(column, justify="right")
    for backend in ("sqlite", "postgresql") if args.database == "both" else (args.database,):
        run(backend, args.sessions, table)
    console.print(table)


if __name__ == "__main__":
    main()
