"""Rapport on Citus (distributed PostgreSQL): which table goes where, done by `rapport migrate`.

Every tenant-owned table is distributed by tenant_id, all colocated, so one tenant's rows of
every table sit on the same worker and a query that names the tenant (every query of a
request) goes to that one shard, joins and foreign keys included. What is global and small
is a reference table, copied to every node: `tenants`, and the token digests that name a
token's tenant before it is known. Alembic's own bookkeeping stays on the coordinator.

Migrations run first, on the coordinator's ordinary tables of a fresh database, then each
table not yet in Citus is distributed, one table per transaction in foreign-key order, so a
run stopped half-way resumes. Migrations after that alter distributed tables: Citus carries
ALTER TABLE and CREATE INDEX to every shard. A migration that creates a tenant-owned table
with foreign keys to distributed tables must distribute it before adding them
(`distribute_table`, a no-op off Citus; see docs/scaling.md).
"""

from __future__ import annotations

from graphlib import TopologicalSorter

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


def _in_dependency_order(connection: Connection) -> list[str]:
    """Tables with the tables their foreign keys refer to first (Citus needs those placed)."""
    inspector = inspect(connection)
    graph: dict[str, set[str]] = {}
    for table in inspector.get_table_names():
        referred = {fk["referred_table"] for fk in inspector.get_foreign_keys(table)}
        graph[table] = referred - {table}
    return list(TopologicalSorter(graph).static_order())


def distribute_table(connection: Connection, table: str) -> str | None:
    """Put one table in its place on Citus; nothing off Citus or when it is placed already."""
    if not is_citus(connection):
        return None
    current = placement(connection).get(table)
    columns = [c["name"] for c in inspect(connection).get_columns(table)]
    kind = kind_of(table, columns)
    if kind is None or current == kind:
        return None
    if current == "local":  # made Citus-managed by a foreign key to a reference table
        connection.execute(text("SELECT undistribute_table(:t, cascade_via_foreign_keys => true)"),
                           {"t": table})  # fmt: skip
    if kind == "reference":
        connection.execute(text("SELECT create_reference_table(:t)"), {"t": table})
    else:
        # 'default' colocates every table distributed by a uuid with the same shard count.
        connection.execute(
            text("SELECT create_distributed_table(:t, :c, colocate_with => 'default')"),
            {"t": table, "c": DISTRIBUTION_COLUMN},
        )
    return kind


def distribute(engine: Engine) -> dict[str, str]:
    """Distribute every table not yet in Citus; returns what was placed where. Off Citus: {}."""
    with engine.connect() as connection:
        if not is_citus(connection):
            return {}
        order = _in_dependency_order(connection)
    placed: dict[str, str] = {}
    for table in order:
        with engine.begin() as connection:
            kind = distribute_table(connection, table)
        if kind:
            placed[table] = kind
    return placed
