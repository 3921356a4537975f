"""`rapport migrate` on Citus: global tables are reference tables, every tenant-owned table is
distributed by tenant_id in one colocation group; and migrations written after a database
was distributed run on the distributed tables."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import text

from rapport.core import citus, migrate
from rapport.models import Base


def _placement(engine) -> dict[str, tuple[str, str | None, int]]:
    with engine.connect() as c:
        rows = c.execute(text("SELECT table_name::text, citus_table_type, distribution_column, "
                              "colocation_id FROM citus_tables")).all()  # fmt: skip
    return {name: (kind, column, group) for name, kind, column, group in rows}


def test_global_tables_are_reference_tables_and_the_rest_colocated_by_tenant(citus_engine):
    placed = _placement(citus_engine)
    assert set(Base.metadata.tables) <= set(placed)
    assert "alembic_version" not in placed  # stays on the coordinator
    for table in citus.REFERENCE_TABLES:
        assert placed[table][0] == "reference", table
    distributed = {t: p for t, p in placed.items() if t not in citus.REFERENCE_TABLES}
    assert {(kind, column) for kind, column, _ in distributed.values()} == {
        ("distributed", "tenant_id")
    }
    assert len({group for _, _, group in distributed.values()}) == 1, "not colocated"
    assert migrate.upgrade(citus_engine) == {}  # a second run has nothing to place


def test_a_later_migration_runs_on_the_distributed_tables(citus_engine):
    """What a migration written after distribution does, the way docs/scaling.md says: alter
    and index distributed tables; a new tenant-owned table is distributed before its keys."""
    engine = citus_engine
    try:
        with engine.begin() as connection:
            op = Operations(MigrationContext.configure(connection))
            with op.batch_alter_table("contacts") as batch:
                batch.add_column(sa.Column("nickname", sa.String(100), nullable=True))
                batch.create_index("ix_contacts_tenant_nickname", ["tenant_id", "nickname"])
            op.create_table(
                "contact_tags",
                sa.Column("tenant_id", sa.Uuid(), nullable=False),
                sa.Column("contact_id", sa.Uuid(), nullable=False),
                sa.Column("tag", sa.String(50), nullable=False),
                sa.PrimaryKeyConstraint("tenant_id", "contact_id", "tag"),
            )
            assert citus.distribute_table(connection, "contact_tags") == "distributed"
            op.create_foreign_key("fk_contact_tags_contact", "contact_tags", "contacts",
                                  ["tenant_id", "contact_id"], ["tenant_id", "id"],
                                  ondelete="CASCADE")  # fmt: skip
        placed = _placement(engine)
        assert placed["contact_tags"][:2] == ("distributed", "tenant_id")
        assert placed["contact_tags"][2] == placed["contacts"][2]  # colocated
        with engine.connect() as c:
            shards = c.scalar(text("SELECT count(*) FROM run_command_on_shards('contacts', "
                                   "$$SELECT count(nickname) FROM %s$$) WHERE success"))
        assert shards == placed_shards(engine, "contacts")
    finally:  # this database serves the other tests too: as the models describe it again
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS contact_tags"))
            connection.execute(text("DROP INDEX IF EXISTS ix_contacts_tenant_nickname"))
            connection.execute(text("ALTER TABLE contacts DROP COLUMN IF EXISTS nickname"))


def placed_shards(engine, table: str) -> int:
    with engine.connect() as c:
        return c.scalar(text("SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = "
                             "CAST(:t AS regclass)"), {"t": table})  # fmt: skip
