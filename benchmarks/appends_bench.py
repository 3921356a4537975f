"""Message appends with several writers: the transcript service beside raw SQL doing the same.

Each writer is its own process (as each server worker is) appending messages to chats in
progress, one transaction per message: read the interaction, store the message, extend the
interaction's search document, announce the message to the other processes (PostgreSQL
`pg_notify` in the same transaction), commit. The bare writers run exactly those statements
with the driver alone. Rapport and bare runs alternate for each number of writers; the table
gives appends per second, and CPU per append in the writers and in the database server.

    .venv/bin/python benchmarks/appends_bench.py [--database postgresql|sqlite|both]
        [--writers 1,2,4,8] [--appends 3000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import bench_database, console  # noqa: E402
from rapport.core.db import make_engine, make_session_factory, transaction, utcnow  # noqa: E402
from rapport.interactions import service as interactions_service  # noqa: E402
from rapport.interactions import transcript  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.tenants.models import Tenant  # noqa: E402

CHATS = 2000
LINES = ["Thanks, that works", "My router keeps dropping the connection since Tuesday",
         "Could you check the refund for order 4471?", "One moment while I look at your account",
         "The technician never came", "I was charged twice this month"]  # fmt: skip


def _seed(url: str) -> tuple[uuid.UUID, list[uuid.UUID]]:
    factory = make_session_factory(make_engine(url))
    with transaction(factory) as db:
        tenant = tenants_service.create(db=db, slug="appends", name="Appends", default_country="US")
        chats = [
            interactions_service.record(db=db, tenant=tenant, values={
                "channel": "chat", "direction": "inbound", "address": f"web-{n}",
                "subject": "Chat from the help page",
            })[0].id
            for n in range(CHATS)
        ]  # fmt: skip
        return tenant.id, chats


def _backend_of(url: str, execute) -> int | None:
    """The PostgreSQL backend serving a writer's connection (SQLite runs inside the writer)."""
    return None if url.startswith("sqlite") else execute("SELECT pg_backend_pid()").fetchone()[0]


def _server_cpu(backend: int | None) -> float:
    """CPU seconds used so far by one PostgreSQL backend (the database is on this machine)."""
    if backend is None:
        return 0.0
    fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rapport_writer(url: str, tenant_id: uuid.UUID, chats: list, count: int, seed: int):
    """The service path of POST /interactions/{id}/messages, one transaction per message."""
    engine = make_engine(url)
    if url.startswith("sqlite"):  # as the app's writes: the write lock from the first statement
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    factory = make_session_factory(engine)
    with factory() as db:
        tenant = db.get(Tenant, tenant_id)
        db.expunge(tenant)
        backend = _backend_of(url, db.connection().exec_driver_sql)
    rng = random.Random(seed)
    started, server = time.process_time(), _server_cpu(backend)
    for n in range(count):
        with transaction(factory) as db:
            interaction = interactions_service.get_plain(
                db=db, tenant_id=tenant_id, interaction_id=rng.choice(chats)
            )
            values = {"sender": ("agent", "contact")[n % 2], "text": rng.choice(LINES)}
            transcript.append(
                db=db, tenant=db.merge(tenant, load=False), interaction=interaction, values=values
            )
    return time.process_time() - started, _server_cpu(backend) - server


_PG_STATEMENTS = {
    "read": "SELECT tenant_id, id, channel, state, agent_id, contact_id FROM interactions "
    "WHERE tenant_id = %s AND id = %s",
    "message": "INSERT INTO interaction_messages (tenant_id, id, interaction_id, sender, "
    "content_type, text, sent_at, created_at) VALUES (%s, %s, %s, %s, 'text/plain', %s, %s, %s)",
    "document": "INSERT INTO history_documents (tenant_id, interaction_id, body) VALUES "
    "(%s, %s, %s) ON CONFLICT (tenant_id, interaction_id) DO UPDATE SET body = CASE WHEN "
    "history_documents.body = '' THEN excluded.body "
    "ELSE history_documents.body || E'\\n\\n' || excluded.body END",
    "notify": "SELECT pg_notify('rapport_events', %s)",
}


def _bare_writer(url: str, tenant_id: uuid.UUID, chats: list, count: int, seed: int):
    """The same statements with the driver alone."""
    rng = random.Random(seed)
    started = time.process_time()
    if url.startswith("sqlite"):
        _bare_sqlite(url.split("///", 1)[1], tenant_id, chats, count, rng)
        return time.process_time() - started, 0.0
    import psycopg

    with psycopg.connect(url.replace("+psycopg", "")) as connection:
        backend = _backend_of(url, connection.execute)
        server = _server_cpu(backend)
        for n in range(count):
            chat = rng.choice(chats)
            row = connection.execute(_PG_STATEMENTS["read"], (tenant_id, chat)).fetchone()
            message_id, now, line = uuid.uuid4(), utcnow(), rng.choice(LINES)
            connection.execute(_PG_STATEMENTS["message"], (
                tenant_id, message_id, row[1], ("agent", "contact")[n % 2], line, now, now,
            ))  # fmt: skip
            connection.execute(_PG_STATEMENTS["document"], (tenant_id, chat, line))
            payload = {"t": str(tenant_id), "e": "message.appended",
                       "d": {"interaction_id": str(chat), "message_id": str(message_id)}}
            connection.execute(_PG_STATEMENTS["notify"], (json.dumps(payload),))
            connection.commit()
        return time.process_time() - started, _server_cpu(backend) - server


def _bare_sqlite(path: str, tenant_id: uuid.UUID, chats: list, count: int, rng) -> None:
    connection = sqlite3.connect(path, isolation_level=None, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    tid = tenant_id.hex
    for n in range(count):
        chat, line = rng.choice(chats).hex, rng.choice(LINES)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute(
            "SELECT tenant_id, id, channel, state, agent_id, contact_id FROM interactions "
            "WHERE tenant_id = ? AND id = ?", (tid, chat),
        ).fetchone()
        now = utcnow().replace(tzinfo=None).isoformat(sep=" ")
        connection.execute(
            "INSERT INTO interaction_messages (tenant_id, id, interaction_id, sender, "
            "content_type, text, sent_at, created_at) VALUES (?, ?, ?, ?, 'text/plain', ?, ?, ?)",
            (tid, uuid.uuid4().hex, chat, ("agent", "contact")[n % 2], line, now, now),
        )
        body, rowid = connection.execute(
            "SELECT body, fts_rowid FROM history_documents WHERE tenant_id = ? AND "
            "interaction_id = ?", (tid, chat),
        ).fetchone()
        connection.execute("INSERT INTO history_fts(history_fts, rowid, body) "
                           "VALUES ('delete', ?, ?)", (rowid, body))  # fmt: skip
        body = f"{body}\n\n{line}"
        connection.execute("UPDATE history_documents SET body = ? WHERE tenant_id = ? AND "
                           "interaction_id = ?", (body, tid, chat))  # fmt: skip
        connection.execute("INSERT INTO history_fts(rowid, body) VALUES (?, ?)", (rowid, body))
        connection.execute("COMMIT")
    connection.close()


def _run(pool, writer, url: str, tenant_id, chats, writers: int, appends: int, seed: int):
    per_writer = appends // writers
    jobs = [(url, tenant_id, chats, per_writer, seed * 100 + k) for k in range(writers)]
    started = time.perf_counter()
    cpu = pool.starmap(writer, jobs, chunksize=1)
    wall = time.perf_counter() - started
    done = per_writer * writers
    client, server = (sum(c[i] for c in cpu) / done * 1000 for i in (0, 1))
    return done / wall, client, server


def measure(database: str, writer_counts: list[int], appends: int, rounds: int) -> Table:
    table = Table(title=f"Message appends, {database}, one transaction each, {CHATS:,} chats")
    for column in ("writers", "Rapport appends/s", "bare appends/s", "Rapport / bare",
                   "CPU ms/append writers, Rapport / bare", "database server CPU ms/append"):
        table.add_column(column, justify="right")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp, bench_database(database, tmp, "appends_bench") as e:
        url = e.url.render_as_string(hide_password=False)
        tenant_id, chats = _seed(url)
        context = multiprocessing.get_context("spawn")
        for writers in writer_counts:
            # Writers are started once per row and warmed, so no run pays for imports.
            with context.Pool(writers) as pool:
                warm = [(url, tenant_id, chats, 20, k) for k in range(writers)]
                pool.starmap(_rapport_writer, warm)
                pool.starmap(_bare_writer, warm)
                results: dict[str, list] = {"rapport": [], "bare": []}
                for round_ in range(rounds):
                    for name, writer in (("rapport", _rapport_writer), ("bare", _bare_writer)):
                        results[name].append(
                            _run(pool, writer, url, tenant_id, chats, writers, appends, round_)
                        )
            rapport, bare = ([statistics.median(r[i] for r in results[n]) for i in range(3)]
                             for n in ("rapport", "bare"))  # fmt: skip
            console.print(f"[dim]{database} writers={writers}: {results}[/dim]")
            table.add_row(
                str(writers), f"{rapport[0]:,.0f}", f"{bare[0]:,.0f}",
                f"[bold]{rapport[0] / bare[0]:.2f}[/bold]",
                f"{rapport[1]:.2f} / {bare[1]:.2f}",
                f"{rapport[2]:.2f} / {bare[2]:.2f}" if database == "postgresql" else "in-process",
            )  # fmt: skip
    return table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database", choices=["postgresql", "sqlite", "both"],
                        default="postgresql")  # fmt: skip
    parser.add_argument("--writers", default="1,2,4,8")
    parser.add_argument("--appends", type=int, default=3000, help="per run")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    writer_counts = [int(n) for n in args.writers.split(",")]
    for database in databases:
        console.print(measure(database, writer_counts, args.appends, args.rounds))
    console.print(f"[dim]{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}[/dim]")


if __name__ == "__main__":
    main()
