"""Custom fields at scale: the contact list filtered and sorted by a custom field through the
HTTP app, each beside the same query in raw SQL on the same database in the same run.

    .venv/bin/python benchmarks/customfields_bench.py [--contacts 100000] [--database both]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, comparison_table, console, serve, timed  # noqa: E402
from benchmarks.contacts_bench import generate, setup_tenant, sql_param  # noqa: E402
from rapport.core.db import make_session_factory  # noqa: E402
from rapport.customfields import service as custom_fields  # noqa: E402

# One contact in 20 is a VIP; contract ends spread over two years; seats 0 to 499.
FILL = {
    "sqlite": "UPDATE contacts SET custom_fields = json_object("
    "'contract_end', date('2026-01-01', '+' || (abs(random()) % 730) || ' days'), "
    "'vip', json(CASE WHEN abs(random()) % 20 = 0 THEN 'true' ELSE 'false' END), "
    "'seats', abs(random()) % 500) WHERE tenant_id = :t",
    "postgresql": "UPDATE contacts SET custom_fields = jsonb_build_object("
    "'contract_end', (date '2026-01-01' + (random() * 730)::int)::text, "
    "'vip', random() < 0.05, 'seats', (random() * 500)::int) WHERE tenant_id = :t",
}
RAW = {
    "sqlite": {
        "all": "SELECT * FROM contacts WHERE tenant_id = :t ORDER BY sort_name, id LIMIT 51",
        "vip": "SELECT * FROM contacts WHERE tenant_id = :t AND "
        "json_extract(custom_fields, '$.vip') = 1 ORDER BY sort_name, id LIMIT 51",
        "ends": "SELECT * FROM contacts WHERE tenant_id = :t AND "
        "json_extract(custom_fields, '$.contract_end') < '2026-01-15' "
        "ORDER BY sort_name, id LIMIT 51",
    },
    "postgresql": {
        "all": "SELECT * FROM contacts WHERE tenant_id = :t ORDER BY sort_name, id LIMIT 51",
        "vip": "SELECT * FROM contacts WHERE tenant_id = :t AND "
        "custom_fields @> '{\"vip\": true}' ORDER BY sort_name, id LIMIT 51",
        "ends": "SELECT * FROM contacts WHERE tenant_id = :t AND "
        "custom_fields ->> 'contract_end' < '2026-01-15' ORDER BY sort_name, id LIMIT 51",
    },
}


def define_fields(engine: Engine, tenant_id: uuid.UUID) -> None:
    with make_session_factory(engine).begin() as db:
        for key, kind in (("contract_end", "date"), ("vip", "boolean"), ("seats", "number")):
            custom_fields.create(db=db, tenant_id=tenant_id,
                                 values={"key": key, "label": key, "type": kind})  # fmt: skip


def run(engine: Engine, count: int, iterations: int) -> list[tuple]:
    tenant_id, token = setup_tenant(engine)
    generate(engine, tenant_id, count)
    define_fields(engine, tenant_id)
    tenant = sql_param(engine, tenant_id)
    dialect = engine.dialect.name
    with engine.begin() as connection:
        connection.execute(text(FILL[dialect]), {"t": tenant})
        connection.execute(text("ANALYZE"))
    rows = []
    with serve(engine) as base, httpx.Client(
        base_url=base, headers={"Authorization": f"Bearer {token}"}
    ) as client, engine.connect() as connection:
        cases = [
            # The same page without a custom-field filter: what any 50-row page costs the app,
            # so the filter's own share is the difference from this row.
            ("no custom-field filter (reference; 50 rows)",
             lambda i: client.get("/api/v1/contacts", params={"limit": 50}).raise_for_status(),
             lambda i: connection.execute(text(RAW[dialect]["all"]), {"t": tenant}).fetchall()),
            ("cf.vip=true (equality; 50 rows)",
             lambda i: client.get("/api/v1/contacts", params={"cf.vip": "true", "limit": 50})
             .raise_for_status(),
             lambda i: connection.execute(text(RAW[dialect]["vip"]), {"t": tenant}).fetchall()),
            ("cf.contract_end[lt] (range; 50 rows)",
             lambda i: client.get("/api/v1/contacts", params={
                 "cf.contract_end[lt]": "2026-01-15", "limit": 50}).raise_for_status(),
             lambda i: connection.execute(text(RAW[dialect]["ends"]), {"t": tenant}).fetchall()),
        ]  # fmt: skip
        for name, app_call, raw_call in cases:
            rows.append((dialect, name, timed(app_call, iterations), timed(raw_call, iterations)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            with bench_database(backend, tmp, name="rapport_cf_bench") as engine:
                rows += run(engine, args.contacts, args.iterations)
    console.print(comparison_table(f"Custom fields: {args.contacts:,} contacts per tenant", rows))


if __name__ == "__main__":
    main()
