import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from rapport.core import migrate
from rapport.core.citus import REFERENCE_TABLES
from rapport.models import Base
from tests.factories import many_contacts_with_emails


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_migration_runs_up_down_and_up_again(databases, backend):
    engine = databases.create(backend)
    migrate.upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def _outside_the_models(diff) -> bool:
    """Full-text search objects and PostgreSQL-only indexes are made by each database's own
    SQL, not by the models."""
    name = getattr(diff[1], "name", None) or (diff[2] if len(diff) > 2 else "")
    return "history_fts" in str(name) or "history_documents" in str(name) or (
        diff[0] == "remove_index"
        and diff[1].name
        in (
            "ix_history_documents_vector",
            "ix_contacts_custom_fields",
            # PostgreSQL only: LIKE prefixes (text_pattern_ops), see the Contact model.
            "ix_contacts_tenant_sort_name_prefix",
            "ix_accounts_tenant_identifier_prefix",  # see migration 0017
        )
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_migrations_build_the_schema_the_models_describe(databases, backend):
    engine = databases.create(backend)
    migrate.upgrade(engine)
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if not _outside_the_models(d)] == []


def test_tenant_owned_tables_lead_their_primary_key_with_tenant_id(engine):
    inspector = inspect(engine)
    for table in Base.metadata.tables:
        if table in REFERENCE_TABLES:  # global: copied whole to every node on Citus
            continue
        key = inspector.get_pk_constraint(table)["constrained_columns"]
        assert key[0] == "tenant_id", (table, key)
        for foreign in inspector.get_foreign_keys(table):
            assert "tenant_id" in foreign["constrained_columns"], (table, foreign)


def test_the_phone_lookup_uses_an_index(db, engine, tenant_a):
    # A tenant with contacts: on an empty table every index leading with tenant_id looks as
    # good to PostgreSQL's planner as the look-up index.
    many_contacts_with_emails(db, tenant_a.id, 400)
    lookup = "SELECT contact_id FROM contact_points WHERE tenant_id = :t AND value = :v"
    if engine.dialect.name == "sqlite":
        plan = db.execute(text(f"EXPLAIN QUERY PLAN {lookup}"),
                          {"t": tenant_a.id.hex, "v": "+14155552671"}).fetchall()  # fmt: skip
    else:
        db.execute(text("ANALYZE contact_points"))
        db.execute(text("SET LOCAL enable_seqscan = off"))
        plan = db.execute(text(f"EXPLAIN {lookup}"),
                          {"t": tenant_a.id, "v": "+14155552671"}).fetchall()  # fmt: skip
    assert "ix_contact_points_lookup" in " ".join(str(row) for row in plan)


def test_every_unique_key_of_a_tenant_owned_table_includes_tenant_id(engine):
    """What Citus needs to enforce a key per shard of a table distributed by tenant_id."""
    inspector = inspect(engine)
    for table in set(Base.metadata.tables) - REFERENCE_TABLES:
        keys = [i["column_names"] for i in inspector.get_indexes(table) if i["unique"]]
        keys += [u["column_names"] for u in inspector.get_unique_constraints(table)]
        for columns in keys:
            assert "tenant_id" in columns, (table, columns)
