"""Contacts and their free-form custom attributes survive migration 0013, up and down."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from rapport.core import migrate

ATTRIBUTES = [
    {"Loyalty tier": "gold", "seats": 12, "VIP": True, "score": 1.5, "notes": "a\nb"},
    {"Loyalty tier": "silver", "seats": 3, "VIP": False, "score": 2, "ref": 7},
    {},
]


def _insert(connection, table_name: str, **values) -> None:
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    if connection.dialect.name == "sqlite":  # reflected as CHAR(32): the form sa.Uuid stores
        values = {k: v.hex if isinstance(v, uuid.UUID) else v for k, v in values.items()}
    connection.execute(table.insert().values(**values))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_attributes_become_typed_fields_and_come_back(databases, backend):
    engine = databases.create(backend)
    migrate.upgrade(engine, "0007")
    now, tenant_id = datetime.now(UTC), uuid.uuid4()
    ids = [uuid.uuid4() for _ in ATTRIBUTES]
    with engine.begin() as connection:
        _insert(
            connection,
            "tenants",
            id=tenant_id,
            slug="acme",
            name="Acme",
            time_zone="UTC",
            personality_insights_enabled=False,
            default_priority=3,
            created_at=now,
            updated_at=now,
        )
        for n, (contact_id, attributes) in enumerate(zip(ids, ATTRIBUTES, strict=True)):
            _insert(
                connection,
                "contacts",
                tenant_id=tenant_id,
                id=contact_id,
                first_name=f"P{n}",
                priority=3,
                preferred_channels=[],
                custom_attributes=attributes,
                sort_name=f"p{n}",
                first_key=f"p{n}",
                last_key="",
                version=1,
                created_at=now,
                updated_at=now,
            )

    migrate.upgrade(engine)
    with engine.connect() as connection:
        fields = {
            row.key: (row.label, row.type)
            for row in connection.execute(sa.text("SELECT key, label, type FROM custom_fields"))
        }
        contacts = sa.Table("contacts", sa.MetaData(), autoload_with=connection)
        rows = {uuid.UUID(str(row.id)): row for row in connection.execute(sa.select(contacts))}
    assert fields == {
        "loyalty_tier": ("Loyalty tier", "text"),
        "seats": ("seats", "number"),
        "vip": ("VIP", "boolean"),
        "score": ("score", "decimal"),
        "notes": ("notes", "long_text"),
        "ref": ("ref", "number"),
    }
    first = rows[ids[0]]
    assert _json(first.custom_fields) == {
        "loyalty_tier": "gold",
        "seats": 12,
        "vip": True,
        "score": 1.5,
        "notes": "a\nb",
    }
    assert _json(first.custom_attributes) == {}

    migrate.downgrade(engine, "0007")
    with engine.connect() as connection:
        contacts = sa.Table("contacts", sa.MetaData(), autoload_with=connection)
        restored = {
            uuid.UUID(str(row.id)): _json(row.custom_attributes)
            for row in connection.execute(sa.select(contacts))
        }
        assert "custom_fields" not in sa.inspect(connection).get_table_names()
    assert restored == dict(zip(ids, ATTRIBUTES, strict=True))


def _json(value):
    import json

    return json.loads(value) if isinstance(value, str) else value


def test_the_api_reads_a_migrated_attribute_under_its_old_name_and_key(alice, db):
    # A field made from an attribute: older clients still write and read the attribute name.
    from rapport.customfields import service

    field = service.create(
        db=db,
        tenant_id=alice.tenant.id,
        values={"key": "loyalty_tier", "label": "Loyalty tier", "type": "text"},
    )
    field.attribute_name = "Loyalty tier"
    db.commit()
    created = alice.client.post(
        "/api/v1/contacts",
        json={"first_name": "Ada", "custom_attributes": {"Loyalty tier": "gold", "other": "x"}},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["custom_fields"] == {"loyalty_tier": "gold"}
    assert body["custom_attributes"] == {"Loyalty tier": "gold", "other": "x"}
