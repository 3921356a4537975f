"""Webhooks at scale: what the outbox costs an import (the same file into a tenant without
endpoints and into one whose endpoint takes every contact.created), then how fast one worker
delivers the outbox to a local receiver that answers 200 at once.

    .venv/bin/python benchmarks/webhooks_bench.py [--rows 5000] [--database both]

The file is imported four times, into fresh tenants: none, endpoint, endpoint, none.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

from rich.table import Table
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, console  # noqa: E402
from benchmarks.import_bench import run_import, write_file  # noqa: E402
from rapport.core.db import make_session_factory, transaction  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.webhooks import delivery  # noqa: E402
from rapport.webhooks import service as webhooks_service  # noqa: E402
from rapport.webhooks.models import WebhookDelivery  # noqa: E402


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def bench(backend: str, rows: int, tmp: str) -> list[str]:
    path = Path(tmp) / "contacts.csv"
    write_file(path, rows)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    with bench_database(backend, tmp, "rapport_bench_webhooks") as engine:
        factory = make_session_factory(engine)
        # A, B, B, A into four fresh tenants: each import lands on bigger tables than the one
        # before it, so the order is balanced; a rate is the mean of the two runs of its kind.
        kinds = ("none", "endpoint", "endpoint", "none")
        with transaction(factory) as db:
            tenants = [tenants_service.create(db=db, slug=f"{kind}-{n}", name=kind)
                       for n, kind in enumerate(kinds)]  # fmt: skip
            for tenant in tenants:
                if tenant.name == "endpoint":
                    webhooks_service.create(db=db, tenant_id=tenant.id, values={
                        "url": url, "event_types": ["contact.created"]})  # fmt: skip
        rates: dict[str, list[float]] = {"none": [], "endpoint": []}
        for tenant in tenants:
            rate, _mb, _dups = run_import(factory, tenant.id, path, rows,
                                          f"{backend} {tenant.slug}")  # fmt: skip
            rates[tenant.name].append(rate)
        without, with_hook = (sum(rates[kind]) / 2 for kind in ("none", "endpoint"))
        with factory() as db:
            outbox = db.scalar(select(func.count()).select_from(WebhookDelivery))
        policy = delivery.Policy(batch=100)
        started = time.perf_counter()
        sent = 0
        while attempted := delivery.deliver_due(session_factory=factory, policy=policy):
            sent += attempted
        rate = sent / (time.perf_counter() - started)
    server.shutdown()
    return [backend, f"{rows:,}", f"{without:,.0f}", f"{with_hook:,.0f}",
            f"{(1 - with_hook / without) * 100:.0f}%", f"{outbox:,}", f"{rate:,.0f}"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    table = Table(title="Webhooks: the outbox's cost to an import, and delivery")
    columns = ("database", "rows", "import rows/s, no endpoint", "import rows/s, endpoint",
               "slower by", "outbox rows (2 imports)", "deliveries/s (one worker)")
    for column in columns:
        table.add_column(column)
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            table.add_row(*bench(backend, args.rows, tmp))
    console.print(table)


if __name__ == "__main__":
    main()
