"""The statements a piece of code sends, and the plans the database makes for them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


@contextmanager
def statements_sent(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """Every (statement, parameters) the engine sends inside the block."""
    sent: list[tuple[str, Any]] = []

    def capture(conn, cursor_, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def plan_lines(db: Session, statement: str, parameters: Any, *, verbose: bool = False,
               prepared: bool = False) -> list[str]:  # fmt: skip
    """SQLite: the details of EXPLAIN QUERY PLAN; PostgreSQL: the lines of EXPLAIN (VERBOSE;
    `prepared` plans it as a prepared statement, as the driver runs it after a few runs)."""
    raw = db.connection().connection.driver_connection.cursor()
    if db.get_bind().dialect.name == "sqlite":
        raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return [str(row[-1]) for row in raw.fetchall()]
    options = {"prepare": True} if prepared else {}
    raw.execute(f"EXPLAIN {'VERBOSE ' if verbose else ''}{statement}", parameters, **options)
    return [row[0] for row in raw.fetchall()]
