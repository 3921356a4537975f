"""Existing addresses survive migration 0015 as primaries labelled work, up and down."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from rapport.core import migrate
from tests.contacts.test_it_migrates_contact_points import _insert

ADDRESS = ("Unter den Linden 5", "Berlin", None, "10117", "DE")


def _rows(engine, table_name: str, columns: list[str]) -> list[tuple]:
    with engine.connect() as connection:
        table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
        rows = connection.execute(sa.select(*(table.c[c] for c in columns))).all()
    # SQLite reflects a uuid as its 32 hex digits; its booleans as 0 and 1.
    return sorted(
        tuple(v.hex if isinstance(v, uuid.UUID) else bool(v) if isinstance(v, int) else v
              for v in row)
        for row in rows
    )  # fmt: skip


def _contact(connection, tenant_id, now, first_name: str, **address) -> uuid.UUID:
    contact_id = uuid.uuid4()
    _insert(
        connection, "contacts", tenant_id=tenant_id, id=contact_id, first_name=first_name,
        priority=3, preferred_channels=[], custom_attributes={}, custom_fields={},
        sort_name=first_name.lower(), first_key=first_name.lower(), last_key="", version=1,
        created_at=now, updated_at=now, **address,
    )  # fmt: skip
    return contact_id


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_an_existing_address_becomes_the_primary_and_stays_after_going_down(databases, backend):
    engine = databases.create(backend)
    migrate.upgrade(engine, "0014")
    now, tenant_id = datetime.now(UTC), uuid.uuid4()
    with engine.begin() as connection:
        _insert(
            connection, "tenants", id=tenant_id, slug="acme", name="Acme", time_zone="UTC",
            personality_insights_enabled=False, default_priority=3, created_at=now,
            updated_at=now,
        )  # fmt: skip
        vera = _contact(
            connection, tenant_id, now, "Vera", address=ADDRESS[0], city=ADDRESS[1],
            postal_code=ADDRESS[3], country=ADDRESS[4],
        )  # fmt: skip
        only_city = _contact(connection, tenant_id, now, "Olga", city="Paris")
        _contact(connection, tenant_id, now, "Nobody", address="")
    contact_columns = ["first_name", "address", "city", "state", "postal_code", "country"]
    before = _rows(engine, "contacts", contact_columns)

    migrate.upgrade(engine)
    stored = _rows(
        engine, "contact_addresses",
        ["contact_id", "position", "label", "is_primary", "address", "city", "state",
         "postal_code", "country"],
    )  # fmt: skip
    assert sorted(stored, key=lambda row: row[5] or "") == [
        (vera.hex, 0, "work", True, *ADDRESS),
        (only_city.hex, 0, "work", True, None, "Paris", None, None, None),
    ]
    # A second address: possible only now.
    with engine.begin() as connection:
        _insert(connection, "contact_addresses", tenant_id=tenant_id, contact_id=vera,
                position=1, label="home", is_primary=False, city="Potsdam",
                country="DE")  # fmt: skip

    migrate.downgrade(engine, "0014")
    assert _rows(engine, "contacts", contact_columns) == before  # the primaries stay
    with engine.connect() as connection:
        assert "contact_addresses" not in sa.inspect(connection).get_table_names()
    migrate.upgrade(engine)
    assert len(_rows(engine, "contact_addresses", ["contact_id"])) == 2
