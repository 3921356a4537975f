"""History search at scale: latency through the service and the HTTP app beside the bare
full-text query in raw SQL on the same database, and message-append throughput.

    .venv/bin/python benchmarks/history_bench.py --scale 0.1 --database both

Scale 1 is 100,000 contacts and 1,000,000 messages over 300,000 interactions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from history_data import generate  # noqa: E402

from rapport.core import migrate  # noqa: E402
from rapport.core.config import Settings  # noqa: E402
from rapport.core.db import make_engine, make_session_factory, transaction  # noqa: E402
from rapport.interactions import service as interactions_service  # noqa: E402
from rapport.interactions import transcript  # noqa: E402
from rapport.main import create_app  # noqa: E402
from rapport.search import fulltext, history  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.users import service as users_service  # noqa: E402

POSTGRES = os.environ.get(
    "RAPPORT_BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
QUERIES = ["refund", "modem outage", "warr", "charged twice", "thermostat leak", "cafe",
           "password reset login", "invoice overdue"]  # fmt: skip
RAW = {
    "sqlite": "SELECT rowid FROM history_fts WHERE history_fts MATCH :q ORDER BY rank LIMIT 20",
    "postgresql": "SELECT interaction_id FROM history_documents "
    "WHERE vector @@ to_tsquery('rapport_search', :q) "
    "ORDER BY ts_rank(vector, to_tsquery('rapport_search', :q)) DESC LIMIT 20",
}


def timed(fn, repeat: int) -> tuple[float, float]:
    samples = []
    for n in range(repeat):
        started = time.perf_counter()
        fn(n)
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def open_database(kind: str, workdir: Path):
    if kind == "sqlite":
        return make_engine(f"sqlite:///{workdir / 'history-bench.db'}"), None
    name = f"rapport_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return make_engine(POSTGRES.rsplit("/", 1)[0] + f"/{name}"), (admin, name)


def run(kind: str, scale: float, repeat: int, appends: int) -> list[tuple]:
    workdir = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    engine, cleanup = open_database(kind, workdir)
    print(f"\n[{kind}] generating scale {scale} ...", file=sys.stderr)
    try:
        migrate.upgrade(engine)
        factory = make_session_factory(engine)
        with transaction(factory) as db:
            tenant = tenants_service.create(db=db, slug="bench", name="Bench", default_country="US")
            user = users_service.create(
                db=db, tenant_id=tenant.id, email="a@b.example", role="admin"
            )
            _token, secret = users_service.create_token(db=db, user=user)
        started = time.perf_counter()
        data = generate(engine, tenant.id, scale)
        load_seconds = time.perf_counter() - started
        rng = random.Random(1)
        rows = []

        def raw(n):
            terms = fulltext.terms_of(QUERIES[n % len(QUERIES)])
            query = fulltext.for_session(factory(), terms).query
            with engine.connect() as connection:
                connection.execute(text(RAW[kind]), {"q": query}).all()

        def service(n):
            with transaction(factory) as db:
                filters = history.HistoryFilters(q=QUERIES[n % len(QUERIES)])
                history.history(db=db, tenant_id=tenant.id, filters=filters, limit=20)

        settings = Settings(DATABASE_URL=str(engine.url), RAPPORT_SECRET_KEY="b" * 40)
        client = TestClient(
            create_app(settings, engine), headers={"Authorization": f"Bearer {secret}"}
        )

        def http_tenant(n):
            client.get("/api/v1/search", params={"q": QUERIES[n % len(QUERIES)]}).raise_for_status()

        def http_contact(n):
            contact = rng.choice(data["contact_ids"])
            client.get(f"/api/v1/contacts/{contact}/interactions",
                       params={"q": QUERIES[n % len(QUERIES)]}).raise_for_status()  # fmt: skip

        def http_name(n):
            typed = ["whitaker", "witaker", "muller", "jose garc", "okafr"][n % 5]
            client.get("/api/v1/search", params={"q": typed}).raise_for_status()

        for label, fn in (
            ("raw SQL full-text, top 20", raw),
            ("service history search, top 20 + snippets", service),
            ("HTTP /search (contacts+accounts+interactions)", http_tenant),
            ("HTTP /contacts/{id}/interactions?q=", http_contact),
            ("HTTP /search by name with typo", http_name),
        ):
            fn(0)  # warm the caches once
            median, p95 = timed(fn, repeat)
            rows.append((kind, label, f"{median:.1f}", f"{p95:.1f}"))

        targets = rng.sample(data["interaction_ids"], appends)
        started = time.perf_counter()
        for n, interaction_id in enumerate(targets):
            with transaction(factory) as db:
                interaction = interactions_service.get(
                    db=db, tenant_id=tenant.id, interaction_id=interaction_id
                )
                values = {"sender": "agent", "text": f"Follow-up {n} on the refund"}
                transcript.append(db=db, tenant=tenant, interaction=interaction, values=values)
        rate = appends / (time.perf_counter() - started)
        rows.append(
            (kind, f"message appends, one transaction each ({appends})", f"{rate:.0f}/s", "")
        )
        rows.append(
            (kind, f"bulk load ({data['messages']:,} messages)", f"{load_seconds:.0f} s", "")
        )
        return rows
    finally:
        engine.dispose()
        if cleanup:
            admin, name = cleanup
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=50, help="timed runs per measurement")
    parser.add_argument("--appends", type=int, default=500)
    args = parser.parse_args()
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    rows = [row for kind in kinds for row in run(kind, args.scale, args.repeat, args.appends)]
    print(f"\nHistory search, scale {args.scale}, {args.repeat} runs each\n")
    print("| database | measurement | median (ms) | p95 (ms) |\n|---|---|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
