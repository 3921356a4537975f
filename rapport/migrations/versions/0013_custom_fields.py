"""custom fields: typed fields per tenant; free-form custom attributes become fields

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 18:00:00
"""

import re
import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VALUES = sa.JSON().with_variant(JSONB(), "postgresql")
ROLES = ["agent", "supervisor", "admin"]

contacts = sa.table(
    "contacts",
    sa.column("tenant_id", sa.Uuid()),
    sa.column("id", sa.Uuid()),
    sa.column("custom_attributes", sa.JSON()),
    sa.column("custom_fields", VALUES),
)
definitions = sa.table(
    "custom_fields",
    *(sa.column(name, sa.Uuid()) for name in ("tenant_id", "id")),
    *(sa.column(name, sa.String()) for name in ("key", "label", "type", "attribute_name")),
    *(
        sa.column(name, sa.Boolean())
        for name in ("required", "show_in_list", "show_in_screen_pop", "show_in_exports")
    ),
    sa.column("choices", sa.JSON()),
    sa.column("edit_roles", sa.JSON()),
    sa.column("position", sa.Integer()),
    sa.column("version", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    op.create_table(
        "custom_fields",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("help_text", sa.Text(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("edit_roles", sa.JSON(), nullable=False),
        sa.Column("show_in_list", sa.Boolean(), nullable=False),
        sa.Column("show_in_screen_pop", sa.Boolean(), nullable=False),
        sa.Column("show_in_exports", sa.Boolean(), nullable=False),
        sa.Column("attribute_name", sa.String(length=50), nullable=True),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_custom_fields_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_custom_fields")),
    )
    op.create_index(
        "uq_custom_fields_tenant_key", "custom_fields", ["tenant_id", "key"], unique=True
    )
    op.add_column(
        "contacts",
        sa.Column("custom_fields", VALUES, nullable=False, server_default=sa.text("'{}'")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_contacts_custom_fields",
            "contacts",
            ["custom_fields"],
            postgresql_using="gin",
            postgresql_ops={"custom_fields": "jsonb_path_ops"},
        )
    _attributes_to_fields()


def _key(name: str, taken: set[str]) -> str:
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    key = re.sub(r"[^a-z0-9]+", "_", folded).strip("_")[:46] or "field"
    key = key if key[0].isalpha() else f"f_{key}"[:46]
    unique, n = key, 2
    while unique in taken:
        unique, n = f"{key}_{n}", n + 1
    taken.add(unique)
    return unique


def _type_of(values: list) -> str:
    """The narrowest type that holds every value as it is; text otherwise."""
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "number"
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "decimal"
    if any(isinstance(v, str) and "\n" in v for v in values):
        return "long_text"
    return "text"


def _as(kind: str, value):
    if kind in ("boolean", "number", "decimal"):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _attributes_to_fields() -> None:
    """Each tenant's attribute names become its fields; the values move, nothing is lost."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(contacts.c.tenant_id, contacts.c.id, contacts.c.custom_attributes)
    ).all()
    seen: dict[uuid.UUID, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for tenant_id, _id, attributes in rows:
        for name, value in (attributes or {}).items():
            if value is not None:
                seen[tenant_id][name].append(value)
    kinds: dict[uuid.UUID, dict[str, tuple[str, str]]] = {}
    now = datetime.now(UTC)
    for tenant_id, names in seen.items():
        taken: set[str] = set()
        kinds[tenant_id] = {}
        for position, name in enumerate(sorted(names), start=1):
            key, kind = _key(name, taken), _type_of(names[name])
            kinds[tenant_id][name] = (key, kind)
            bind.execute(
                definitions.insert().values(
                    tenant_id=tenant_id,
                    id=uuid.uuid4(),
                    key=key,
                    label=name[:100],
                    type=kind,
                    attribute_name=name,
                    required=False,
                    show_in_list=False,
                    show_in_screen_pop=False,
                    show_in_exports=True,
                    choices=[],
                    edit_roles=ROLES,
                    position=position * 10,
                    version=1,
                    created_at=now,
                    updated_at=now,
                )
            )
    for tenant_id, contact_id, attributes in rows:
        if not attributes:
            continue
        typed = {}
        for name, value in attributes.items():
            if value is not None:
                key, kind = kinds[tenant_id][name]
                typed[key] = _as(kind, value)
        bind.execute(
            contacts.update()
            .where(contacts.c.tenant_id == tenant_id, contacts.c.id == contact_id)
            .values(custom_attributes={}, custom_fields=typed)
        )


def _fields_to_attributes() -> None:
    """Every value goes back to the free-form attributes, under the name it came from."""
    bind = op.get_bind()
    names = {
        (tenant_id, key): attribute_name or key
        for tenant_id, key, attribute_name in bind.execute(
            sa.select(definitions.c.tenant_id, definitions.c.key, definitions.c.attribute_name)
        )
    }
    rows = bind.execute(
        sa.select(
            contacts.c.tenant_id,
            contacts.c.id,
            contacts.c.custom_attributes,
            contacts.c.custom_fields,
        )
    ).all()
    for tenant_id, contact_id, attributes, typed in rows:
        if not typed:
            continue
        restored = dict(attributes or {})
        for key, value in typed.items():
            plain = "; ".join(map(str, value)) if isinstance(value, list) else value
            restored[names.get((tenant_id, key), key)] = plain
        bind.execute(
            contacts.update()
            .where(contacts.c.tenant_id == tenant_id, contacts.c.id == contact_id)
            .values(custom_attributes=restored)
        )


def downgrade() -> None:
    _fields_to_attributes()
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_contacts_custom_fields", table_name="contacts")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_column("custom_fields")
    op.drop_index("uq_custom_fields_tenant_key", table_name="custom_fields")
    op.drop_table("custom_fields")
