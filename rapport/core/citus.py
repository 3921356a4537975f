"""Rapport on Citus (distributed PostgreSQL): which table goes where, done by `rapport migrate`.

Every tenant-owned table is distributed by tenant_id, all colocated, so one tenant's rows of
every table sit on the same worker and a query that names the tenant (every query of a
request) goes to that one shard, joins and foreign keys included. What is global and small
is a reference table, copied to every node: `tenants`, and the token digests that name a
token's tenant before it is known. Alembic's own bookkeeping stays on the coordinator.

Migrations run first, on the coordinator's ordinary tables of a fresh database, then every
table not yet in its place is placed, in one transaction. Migrations after that alter
distributed tables: Citus carries ALTER TABLE and CREATE INDEX to every shard. A migration
that creates a tenant-owned table with foreign keys to distributed tables must distribute it
before adding them (`distribute_table`, a no-op off Citus; see docs/scaling.md).
"""

from __future__ import annotations

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

DISTRIBUTION_COLUMN = "tenant_id"
REFERENCE_TABLES = frozenset({"tenants", "api_token_digests"})
COORDINATOR_TABLES = frozenset({"alembic_version"})


def is_citus(connection: Connection) -> bool:
    if connection.dialect.name != "postgresql":
        return False
    found = connection.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'"))
    return found is not None


def placement(connection: Connection) -> dict[str, str]:
    """Each table in Citus: 'distributed', 'reference' or 'local' (a Citus-managed local)."""
    rows = connection.execute(
        text("SELECT table_name::text, citus_table_type FROM citus_tables")
    ).all()
    return dict(tuple(row) for row in rows)


def kind_of(table: str, columns: list[str]) -> str | None:
    """Where a table belongs: 'reference', 'distributed', or None (stays on the coordinator)."""
    if table in COORDINATOR_TABLES:
        return None
    if table in REFERENCE_TABLES or DISTRIBUTION_COLUMN not in columns:
        return "reference"
    return "distributed"


def _foreign_keys(connection: Connection, tables: set[str]) -> list[tuple[str, str, str]]:
    """(table, name, definition) of every foreign key from or to these tables."""
    rows = connection.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' "
            "AND (conrelid::regclass::text = ANY(:t) OR confrelid::regclass::text = ANY(:t))"
        ),
        {"t": sorted(tables)},
    ).all()
    return [(table, name, definition) for table, name, definition in rows]


def _place(connection: Connection, table: str, kind: str) -> None:
    if kind == "reference":
        connection.execute(text("SELECT create_reference_table(:t)"), {"t": table})
    else:
        # 'default' colocates every table distributed by a uuid with the same shard count.
        connection.execute(
            text("SELECT create_distributed_table(:t, :c, colocate_with => 'default')"),
            {"t": table, "c": DISTRIBUTION_COLUMN},
        )


def distribute_table(connection: Connection, table: str) -> str | None:
    """Put one new table in its place on Citus (in a migration, before adding its foreign
    keys to distributed tables); nothing off Citus or when it is placed already."""
    if not is_citus(connection):
        return None
    placed = placement(connection)
    if not placed:  # a new database: `distribute` places every table after the migrations
        return None
    columns = [c["name"] for c in inspect(connection).get_columns(table)]
    kind = kind_of(table, columns)
    if kind is None or placed.get(table) == kind:
        return None
    _place(connection, table, kind)
    return kind


def distribute(engine: Engine) -> dict[str, str]:
    """Distribute every table not yet in its place; returns what was placed. Off Citus: {}.

    Citus refuses a foreign key between a distributed table and one not yet distributed, in
    either direction, and the tables refer to each other: so the foreign keys of the tables
    being placed are dropped, the tables placed, and the same keys added again, in one
    transaction (all or nothing).
    """
    with engine.begin() as connection:
        if not is_citus(connection):
            return {}
        current = placement(connection)
        inspector = inspect(connection)
        todo: dict[str, str] = {}
        for table in inspector.get_table_names():
            kind = kind_of(table, [c["name"] for c in inspector.get_columns(table)])
            if kind is not None and current.get(table) != kind:
                todo[table] = kind
        if not todo:
            return {}
        # Keys to reference tables need one connection per node within a transaction.
        connection.execute(text("SET LOCAL citus.multi_shard_modify_mode TO 'sequential'"))
        keys = _foreign_keys(connection, set(todo))
        for table, name, _definition in keys:
            connection.execute(text(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"'))
        # Reference tables first: distributed tables' keys may point at them.
        for table in sorted(todo, key=lambda t: (todo[t] != "reference", t)):
            _place(connection, table, todo[table])
        for table, name, definition in keys:
            connection.execute(
                text(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            )
    return todo
