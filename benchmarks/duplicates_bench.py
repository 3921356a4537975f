"""Duplicate candidates at scale: the tenant-wide candidate pairs and the check of one new
contact, beside the bare SQL that reads the same rows, on the same database in the same run.
Planted near-duplicates (a typo in the name, the same city) measure what is found.

    .venv/bin/python benchmarks/duplicates_bench.py [--contacts 100000] [--database both]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from rich.progress import Progress
from rich.table import Table
from sqlalchemy import insert, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, console, summary, timed  # noqa: E402
from rapport.contacts.models import Contact  # noqa: E402
from rapport.core.db import make_session_factory, utcnow  # noqa: E402
from rapport.core.ids import new_id  # noqa: E402
from rapport.core.text import fold  # noqa: E402
from rapport.duplicates import service  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402

SYLLABLES = ["ka", "lo", "mi", "ra", "te", "vo", "su", "ne", "bi", "do", "fa", "gu", "ha", "jo"]
PLANTED_SHARE = 0.01


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word))
    return word[:i] + rng.choice("aeiou") + word[i + 1 :]


def generate(engine: Engine, tenant_id: uuid.UUID, count: int) -> set[frozenset]:
    """Contacts spread over 500 cities; a share of them planted twice with a typo."""
    rng = random.Random(3)
    cities = [f"City {i}" for i in range(500)]
    planted: set[frozenset] = set()
    now = utcnow()
    rows: list[dict] = []
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"{engine.dialect.name}: {count:,} contacts", total=count)
        while len(rows) < count:
            first, last, city = _name(rng, 2), _name(rng, 3), rng.choice(cities)
            batch = [(first, last)]
            if rng.random() < PLANTED_SHARE:
                batch.append((first, _typo(rng, last)))
            ids = []
            for f, la in batch:
                contact_id = new_id()
                ids.append(contact_id)
                rows.append({
                    "tenant_id": tenant_id, "id": contact_id, "first_name": f, "last_name": la,
                    "city": city, "priority": 3, "preferred_channels": [],
                    "custom_attributes": {}, "sort_name": fold(f"{f} {la}"),
                    "first_key": fold(f), "last_key": fold(la), "version": 1,
                    "created_at": now, "updated_at": now,
                })  # fmt: skip
            if len(ids) == 2:
                planted.add(frozenset(ids))
            if len(rows) >= 5_000 or len(rows) >= count:
                with engine.begin() as connection:
                    connection.execute(insert(Contact), rows[:count])
                progress.advance(task, len(rows))
                count -= len(rows)
                rows = []
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    return planted


def run(engine: Engine, count: int, checks: int) -> list[list[str]]:
    factory = make_session_factory(engine)
    with factory.begin() as db:
        tenant = tenants_service.create(db=db, slug="dups", name="Dups", default_country="US")
    planted = generate(engine, tenant.id, count)
    tenant_param = tenant.id.hex if engine.dialect.name == "sqlite" else tenant.id
    scan_sql = text(
        "SELECT city, id, first_name, last_name FROM contacts WHERE tenant_id = :t "
        "AND city IS NOT NULL ORDER BY city, last_key, first_key, id"
    )
    rows_out = []
    with factory() as db, engine.connect() as connection:
        start = time.perf_counter()
        pairs = service.list_pairs(db=db, tenant_id=tenant.id, limit=1_000_000)
        pairs_seconds = time.perf_counter() - start
        start = time.perf_counter()
        connection.execute(scan_sql, {"t": tenant_param}).fetchall()
        scan_seconds = time.perf_counter() - start
        found = {frozenset((p.first.id, p.second.id)) for p in pairs}
        recall = len(found & planted) / len(planted) if planted else 1.0

        sample = db.execute(
            text("SELECT first_name, last_name, city FROM contacts WHERE tenant_id = :t LIMIT :n"),
            {"t": tenant_param, "n": checks + 20},
        ).fetchall()
        check_sql = text("SELECT * FROM contacts WHERE tenant_id = :t AND city = :c LIMIT 5000")

        def check(i: int) -> None:
            first, last, city = sample[i]
            record = {"first_name": first, "last_name": _typo(random.Random(i), last), "city": city}
            service.find_for(db=db, tenant_id=tenant.id, record=record)

        app = timed(check, checks)
        raw = timed(
            lambda i: connection.execute(check_sql, {"t": tenant_param, "c": sample[i][2]}).all(),
            checks,
        )
    app_median, app_p95 = summary(app)
    raw_median, raw_p95 = summary(raw)
    rows_out.append(
        [
            engine.dialect.name,
            "candidate pairs, whole tenant",
            f"{pairs_seconds * 1000:,.0f}",
            "-",
            f"{scan_seconds * 1000:,.0f}",
            f"{pairs_seconds / scan_seconds:.1f}x",
            f"{len(pairs):,} pairs; {recall:.0%} of {len(planted):,} planted",
        ]
    )
    rows_out.append([engine.dialect.name, "check one new contact", f"{app_median:.1f}",
                     f"{app_p95:.1f}", f"{raw_median:.1f}", f"{app_median / raw_median:.1f}x",
                     "name typo, same city"])  # fmt: skip
    return rows_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    table = Table(title=f"Duplicate candidates: {args.contacts:,} contacts in one tenant")
    for column in ("database", "operation", "median ms", "p95 ms", "raw SQL read ms",
                   "ratio", "found"):  # fmt: skip
        table.add_column(column)
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            with bench_database(backend, tmp, name="rapport_bench_dups") as engine:
                for row in run(engine, args.contacts, args.checks):
                    table.add_row(*row)
    console.print(table)


if __name__ == "__main__":
    main()
