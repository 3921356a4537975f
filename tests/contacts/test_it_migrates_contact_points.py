"""Existing numbers and emails survive migration 0014 as labelled primaries, up and down."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from rapport.core import migrate


def _insert(connection, table_name: str, **values) -> None:
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    if connection.dialect.name == "sqlite":  # reflected as CHAR(32): the form sa.Uuid stores
        values = {k: v.hex if isinstance(v, uuid.UUID) else v for k, v in values.items()}
    connection.execute(table.insert().values(**values))


def _points(engine) -> list[tuple]:
    with engine.connect() as connection:
        table = sa.Table("contact_points", sa.MetaData(), autoload_with=connection)
        columns = [c for c in ("kind", "value", "label", "is_primary", "shown") if c in table.c]
        rows = connection.execute(sa.select(*(table.c[c] for c in columns))).all()
    return sorted(tuple(bool(v) if isinstance(v, int) else v for v in row) for row in rows)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_single_numbers_become_primaries_and_come_back(databases, backend):
    engine = databases.create(backend)
    migrate.upgrade(engine, "0013")
    now, tenant_id, contact_id = datetime.now(UTC), uuid.uuid4(), uuid.uuid4()
    with engine.begin() as connection:
        _insert(
            connection, "tenants", id=tenant_id, slug="acme", name="Acme", time_zone="UTC",
            personality_insights_enabled=False, default_priority=3, created_at=now,
            updated_at=now,
        )  # fmt: skip
        _insert(
            connection, "contacts", tenant_id=tenant_id, id=contact_id, first_name="Vera",
            email="Vera@Example.com", email_key="vera@example.com", phone="+14155550101",
            mobile="+14155550102", fax="+14155550103", priority=3, preferred_channels=[],
            custom_attributes={}, custom_fields={}, sort_name="vera", first_key="vera",
            last_key="", version=1, created_at=now, updated_at=now,
        )  # fmt: skip
        for kind, value in (("phone", "+14155550101"), ("mobile", "+14155550102"),
                            ("fax", "+14155550103"), ("email", "vera@example.com")):  # fmt: skip
            _insert(connection, "contact_points", tenant_id=tenant_id, contact_id=contact_id,
                    kind=kind, value=value)  # fmt: skip
    before = _points(engine)

    migrate.upgrade(engine)
    assert _points(engine) == [
        ("email", "vera@example.com", "work", True, "Vera@Example.com"),
        ("fax", "+14155550103", "fax", True, None),
        ("mobile", "+14155550102", "mobile", True, None),
        ("phone", "+14155550101", "work", True, None),
    ]
    # A second work number: possible only now.
    with engine.begin() as connection:
        _insert(connection, "contact_points", tenant_id=tenant_id, contact_id=contact_id,
                kind="phone", value="+14155550104", label="home", is_primary=False,
                position=3)  # fmt: skip

    migrate.downgrade(engine, "0013")
    assert _points(engine) == before  # the other number had no place to go
    with engine.connect() as connection:
        key = sa.inspect(connection).get_pk_constraint("contact_points")["constrained_columns"]
    assert key == ["tenant_id", "contact_id", "kind"]
    migrate.upgrade(engine)
