"""Shared benchmark plumbing: throw-away databases, a real server, timing and tables."""

from __future__ import annotations

import socket
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from rapport.core import migrate
from rapport.core.config import Settings
from rapport.core.db import make_engine
from rapport.main import create_app

POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
console = Console(width=150)


@contextmanager
def bench_database(backend: str, tmp_dir: str, name: str = "rapport_bench") -> Iterator[Engine]:
    """A fresh, migrated database of the backend, removed afterwards."""
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_dir}/{name}.db")
        migrate.upgrade(engine)
        yield engine
        engine.dispose()
        return
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    migrate.upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serve(engine: Engine) -> Iterator[str]:
    """The real app on a real socket, so numbers include HTTP parsing and serialisation."""
    settings = Settings(
        DATABASE_URL=engine.url.render_as_string(hide_password=False),
        RAPPORT_SECRET_KEY="benchmark-secret-key-" + "b" * 32,
        RAPPORT_LOG_LEVEL="warning",
    )
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, engine), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def timed(operation: Callable[[int], object], iterations: int) -> list[float]:
    """Milliseconds per call; a few warm-up calls first so caches are fair to both sides."""
    for i in range(min(20, iterations)):
        operation(i)
    samples = []
    for i in range(iterations):
        start = time.perf_counter()
        operation(i)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def summary(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def comparison_table(title: str, rows: list[tuple[str, str, list[float], list[float]]]) -> Table:
    """rows: (database, operation, app samples, raw SQL samples)."""
    table = Table(title=title)
    for column in ("database", "operation", "app median ms", "app p95 ms", "app req/s",
                   "raw SQL median ms", "raw SQL p95 ms", "ratio (median)"):  # fmt: skip
        table.add_column(column, justify="right" if "ms" in column or "/" in column else "left")
    for database, operation, app, raw in rows:
        app_median, app_p95 = summary(app)
        raw_median, raw_p95 = summary(raw)
        table.add_row(
            database, operation, f"{app_median:.2f}", f"{app_p95:.2f}",
            f"{1000 / app_median:,.0f}", f"{raw_median:.3f}", f"{raw_p95:.3f}",
            f"{app_median / raw_median:.1f}x",
        )  # fmt: skip
    return table
