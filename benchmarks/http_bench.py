"""Rapport's API beside its bare limit, both served as in production and loaded from outside.

Starts `rapport serve` and `benchmarks.bare_app` (the same operations as a framework-less
ASGI app: one indexed token query, the same statements, plain JSON) on the same database
with the same uvicorn settings and worker count, drives each operation with wrk (Lua
scripts vary ids, numbers and agents), alternating Rapport and bare (A, B, A, B, ...), and
prints requests/s, p50/p99 latency and server CPU time per request, with the ratio.

    apt-get install wrk          # Debian's package; the benchmark installs nothing itself
    .venv/bin/python benchmarks/http_bench.py --contacts 100000 --database postgresql
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import httpx
from rich.table import Table
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import _free_port, bench_database, console  # noqa: E402
from benchmarks.contacts_bench import COUNTRIES, generate, phone_of  # noqa: E402
from rapport.core.db import make_session_factory, utcnow  # noqa: E402
from rapport.core.ids import new_id  # noqa: E402
from rapport.interactions.models import Interaction  # noqa: E402
from rapport.notes.models import Note  # noqa: E402
from rapport.tenants import service as tenants_service  # noqa: E402
from rapport.users import service as users_service  # noqa: E402

AGENTS = 8
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Each script: the request one wrk connection sends next, and a JSON line of results.
LUA_COMMON = """
local tokens = {%(tokens)s}
local ids = {}
for line in io.lines("%(ids)s") do ids[#ids + 1] = line end
local conversations = {}
for line in io.lines("%(conversations)s") do conversations[#conversations + 1] = line end
counter, thread_id = 0, 0  -- globals: setup() gives each thread its own thread_id
local threads = {}
function setup(thread) thread:set("thread_id", #threads + 1); threads[#threads + 1] = thread end
function auth() return {["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
                        ["Content-Type"] = "application/json"} end
function phone(i)
  return string.format("(415) %%03d-%%04d", 200 + math.floor(i / 10000), i %% 10000)
end
function done(summary, latency, requests)
  io.write(string.format('{"requests": %%d, "seconds": %%f, "non2xx": %%d, "errors": %%d, '
    .. '"p50": %%f, "p99": %%f}\\n', summary.requests, summary.duration / 1e6,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""
OPERATIONS = {
    "GET /contacts/{id}": """
function request()
  return wrk.format("GET", "/api/v1/contacts/" .. ids[math.random(#ids)], auth())
end""",
    "GET /contacts?phone=": """
function request()
  local p = phone(math.random(%(contacts)d) - 1):gsub(" ", "%%%%20")
  return wrk.format("GET", "/api/v1/contacts?phone=" .. p, auth())
end""",
    "GET /contacts?country=&priority=": """
local countries = {%(countries)s}
function request()
  return wrk.format("GET", "/api/v1/contacts?country=" .. countries[math.random(#countries)]
    .. "&priority=" .. math.random(5), auth())
end""",
    "POST /contacts": """
function request()
  counter = counter + 1
  local body = string.format('{"first_name": "Ann", "last_name": "Lee %%d", '
    .. '"email": "%(run)s-%%d-%%d@bench.example", "phone": "+1 415 3%%02d %%04d"}',
    counter, thread_id, counter, math.random(99), math.random(9999))
  return wrk.format("POST", "/api/v1/contacts", auth(), body)
end""",
    "POST /interactions": """
function request()
  local body = string.format('{"channel": "voice", "direction": "inbound", "address": "%%s"}',
    phone(math.random(%(contacts)d) - 1))
  return wrk.format("POST", "/api/v1/interactions", auth(), body)
end""",
    "POST /queue/accept": """
function request() return wrk.format("POST", "/api/v1/queue/accept", auth()) end""",
    "POST /interactions/{id}/messages": """
function request()
  counter = counter + 1
  local body = string.format('{"sender": "contact", "text": "Message %%d from %%d: my order '
    .. '%%05d has not arrived yet, could you check where it is?"}',
    counter, thread_id, math.random(99999))
  return wrk.format("POST", "/api/v1/interactions/" .. conversations[math.random(#conversations)]
    .. "/messages", auth(), body)
end""",
}
CONVERSATIONS = 2_000  # chats in progress that the message appends go to


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its children (the workers)."""
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def start_server(command: list[str], port: int, env: dict, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{command[0]} exited:\n{log.read_text()}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/contacts/x", timeout=2)
            return process
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"{' '.join(command)} did not start:\n{log.read_text()}")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def setup(engine, contacts: int) -> tuple[uuid.UUID, list[uuid.UUID], list[str], uuid.UUID]:
    with make_session_factory(engine).begin() as db:
        tenant = tenants_service.create(db=db, slug="bench", name="Bench", default_country="US")
        tenant_id = tenant.id
        tokens, users = [], []
        for n in range(AGENTS):
            user = users_service.create(
                db=db, tenant_id=tenant.id, email=f"agent{n}@bench.io", role="supervisor"
            )
            tokens.append(users_service.create_token(db=db, user=user)[1])
            users.append(user.id)
    ids = generate(engine, tenant_id, contacts)
    return tenant_id, ids, tokens, users[0]


def fill_queue(engine, tenant_id: uuid.UUID, count: int, ids: list[uuid.UUID],
               author_id: uuid.UUID) -> None:
    """Waiting calls for the accept runs, so no run ever finds the queue empty: three in four
    from a known contact's number (linked at intake, as Rapport's intake does), one in four
    from a number no contact has (matched again on accept, then a suggested new contact).
    Every other contact has a note, so the screen pop reads some history."""
    now = utcnow()
    rows = []
    for i in range(count):
        known = i % 4 != 3
        number = phone_of(i % len(ids) if known else len(ids) + i % 100_000)
        rows.append({"tenant_id": tenant_id, "id": new_id(), "channel": "voice",
                     "direction": "inbound", "address": number, "address_entered": number,
                     "contact_id": ids[i % len(ids)] if known else None,
                     "match_count": 1 if known else 0, "state": "queued", "started_at": now,
                     "version": 1, "queued_at": now - timedelta(seconds=i),
                     "routing_priority": 1 + i % 5, "created_at": now,
                     "updated_at": now})  # fmt: skip
    notes = [{"tenant_id": tenant_id, "id": new_id(), "contact_id": contact_id,
              "author_id": author_id, "body": "Called about the **invoice**.",
              "body_html": "<p>Called about the <strong>invoice</strong>.</p>",
              "body_text": "Called about the invoice.", "version": 1, "created_at": now,
              "updated_at": now} for contact_id in ids[::2]]  # fmt: skip
    with engine.begin() as connection:
        for start in range(0, count, 5000):
            connection.execute(insert(Interaction), rows[start : start + 5000])
        for start in range(0, len(notes), 5000):
            connection.execute(insert(Note), notes[start : start + 5000])


def open_conversations(engine, tenant_id: uuid.UUID, count: int) -> list[uuid.UUID]:
    """Chats being handled, for the message appends (spread over many interactions, as several
    integrations writing to the conversations in progress would)."""
    now = utcnow()
    rows = [{"tenant_id": tenant_id, "id": new_id(), "channel": "chat",
             "direction": "inbound", "address": f"visitor{i}", "address_entered": f"visitor{i}",
             "match_count": 0, "state": "active", "started_at": now, "version": 1,
             "routing_priority": 3, "created_at": now, "updated_at": now}
            for i in range(count)]  # fmt: skip
    with engine.begin() as connection:
        connection.execute(insert(Interaction), rows)
    return [row["id"] for row in rows]


def run_wrk(url: str, script: Path, seconds: int, connections: int) -> dict:
    threads = min(connections, os.cpu_count() or 2)
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s",
         str(script), url], capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def profile(server: subprocess.Popen, port: int, script: Path, args, out: Path) -> None:
    """py-spy samples of the server (and its workers) while wrk loads it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        raise SystemExit("--profile samples with py-spy: .venv/bin/pip install py-spy")
    sampler = subprocess.Popen(
        [spy, "record", "--pid", str(server.pid), "--subprocesses", "--gil", "--format", "raw",
         "--rate", "200", "--duration", str(args.seconds), "--output", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(0.5)
    run_wrk(f"http://127.0.0.1:{port}", script, args.seconds, args.connections)
    sampler.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--workers", type=lambda v: [int(n) for n in v.split(",")], default=[1],
                        help="server processes on each side; a list (1,2) measures each on the "
                             "same data")  # fmt: skip
    parser.add_argument("--seconds", type=int, default=10, help="length of each measured run")
    parser.add_argument("--rounds", type=int, default=3, help="A, B pairs per operation")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--only", action="append", help="operations to run (substring)")
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="also sample Rapport under each load with py-spy (GIL held; an extra, "
                             "unmeasured run) into DIR/<operation>.txt (collapsed stacks)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("This benchmark drives the servers with wrk: apt-get install wrk")

    operations = {k: v for k, v in OPERATIONS.items()
                  if not args.only or any(o in k for o in args.only)}  # fmt: skip
    database = f"rapport_http_bench_{os.getpid()}"  # never another run's database
    with tempfile.TemporaryDirectory() as tmp, bench_database(args.database, tmp,
                                                              database) as engine:
        tmp_dir = Path(tmp)
        tenant_id, ids, tokens, author_id = setup(engine, args.contacts)
        (tmp_dir / "ids.txt").write_text("\n".join(str(i) for i in ids))
        conversations = open_conversations(engine, tenant_id, CONVERSATIONS)
        (tmp_dir / "conversations.txt").write_text("\n".join(str(i) for i in conversations))
        if "POST /queue/accept" in operations:
            # Generous for the fastest side: every run of both must find calls waiting.
            fill_queue(engine, tenant_id,
                       2_500 * args.seconds * (args.rounds + 1) * 2 * len(args.workers), ids,
                       author_id)  # fmt: skip
        env = {**os.environ, "DATABASE_URL": engine.url.render_as_string(hide_password=False),
               "RAPPORT_SECRET_KEY": "benchmark-secret-key-" + "b" * 32,
               "RAPPORT_LOG_LEVEL": "warning", "RAPPORT_ACCESS_LOG": "false",
               "RAPPORT_DATA_DIR": str(tmp_dir / "data"),
               "PYTHONPATH": str(Path(__file__).resolve().parents[1])}  # fmt: skip
        values = {"tokens": ", ".join(f'"{t}"' for t in tokens), "ids": tmp_dir / "ids.txt",
                  "conversations": tmp_dir / "conversations.txt", "contacts": args.contacts,
                  "countries": ", ".join(f'"{c}"' for c in COUNTRIES)}  # fmt: skip
        for workers in args.workers:  # the same data for every worker count
            results = measure(operations, workers, env, values, tmp_dir, args)
            report(results, args, workers)


def measure(operations: dict, workers: int, env: dict, values: dict, tmp_dir: Path, args) -> dict:
    """Both servers with `workers` processes each, every operation alternated A, B, A, B."""
    ports = {"Rapport": _free_port(), "bare": _free_port()}
    commands = {
        "Rapport": [str(Path(sys.executable).with_name("rapport")), "serve",
                    "--port", str(ports["Rapport"]), "--workers", str(workers)],
        "bare": [sys.executable, "-m", "benchmarks.bare_app",
                 "--port", str(ports["bare"]), "--workers", str(workers)],
    }  # fmt: skip
    servers = {name: start_server(cmd, ports[name], env, tmp_dir / f"{name}-{workers}.log")
               for name, cmd in commands.items()}  # fmt: skip
    results: dict[str, dict[str, list[dict]]] = {}
    try:
        for op, body in operations.items():
            for name in servers:  # warm-up: caches, pools and plans on both sides
                script = tmp_dir / f"{name}-warm.lua"
                run = f"w{name[0]}{uuid.uuid4().hex[:6]}"  # part of an e-mail address
                script.write_text((LUA_COMMON + body) % {**values, "run": run})
                run_wrk(f"http://127.0.0.1:{ports[name]}", script, 2, args.connections)
            if args.profile:
                script = tmp_dir / "profile.lua"
                run = f"p{uuid.uuid4().hex[:6]}"
                script.write_text((LUA_COMMON + body) % {**values, "run": run})
                name = "".join(c if c.isalnum() else "_" for c in op) + ".txt"
                profile(servers["Rapport"], ports["Rapport"], script, args, args.profile / name)
            for round_ in range(args.rounds):
                for name, process in servers.items():
                    script = tmp_dir / f"{name}.lua"
                    run = f"{name[0]}{workers}{round_}{uuid.uuid4().hex[:6]}"
                    script.write_text((LUA_COMMON + body) % {**values, "run": run})
                    cpu = process_tree_cpu(process.pid)
                    out = run_wrk(f"http://127.0.0.1:{ports[name]}", script, args.seconds,
                                  args.connections)  # fmt: skip
                    out["cpu"] = process_tree_cpu(process.pid) - cpu
                    results.setdefault(op, {}).setdefault(name, []).append(out)
                    console.print(f"{op} {name} ({workers} worker(s)): "
                                  f"{out['requests'] / out['seconds']:,.0f}/s"
                                  f" non-2xx {out['non2xx']}", highlight=False)  # fmt: skip
    finally:
        for process in servers.values():
            stop_server(process)
    return results


def _median(runs: list[dict], key) -> float:
    return statistics.median(key(r) for r in runs)


def report(results: dict, args, workers: int) -> None:
    table = Table(title=f"{args.database}, {args.contacts:,} contacts, {workers} worker(s),"
                        f" wrk {args.connections} connections, median of {args.rounds} runs")
    for column in ("operation", "Rapport req/s", "bare req/s", "Rapport / bare",
                   "p50 ms R / bare", "p99 ms R / bare", "CPU ms/req R / bare", "non-2xx"):
        table.add_column(column, justify="left" if column == "operation" else "right")
    for op, sides in results.items():
        rate = {n: _median(runs, lambda r: r["requests"] / r["seconds"])
                for n, runs in sides.items()}  # fmt: skip
        p50 = {n: _median(runs, lambda r: r["p50"]) for n, runs in sides.items()}
        p99 = {n: _median(runs, lambda r: r["p99"]) for n, runs in sides.items()}
        cpu = {n: _median(runs, lambda r: 1000 * r["cpu"] / max(1, r["requests"]))
               for n, runs in sides.items()}  # fmt: skip
        bad = {n: sum(r["non2xx"] + r["errors"] for r in runs) for n, runs in sides.items()}
        table.add_row(
            op, f"{rate['Rapport']:,.0f}", f"{rate['bare']:,.0f}",
            f"{rate['Rapport'] / rate['bare']:.2f}",
            f"{p50['Rapport']:.1f} / {p50['bare']:.1f}",
            f"{p99['Rapport']:.1f} / {p99['bare']:.1f}",
            f"{cpu['Rapport']:.2f} / {cpu['bare']:.2f}", f"{bad['Rapport']} / {bad['bare']}",
        )  # fmt: skip
    console.print(table)


if __name__ == "__main__":
    main()
