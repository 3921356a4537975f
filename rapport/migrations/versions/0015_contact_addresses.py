"""contact addresses: several postal addresses per contact, each labelled, one primary

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 21:00:00

A contact's existing address becomes its primary address, labelled `work` (as migration 0014
labelled the existing phone and email). Going down drops the table: the primary stays in the
contact's own address fields, the others have no place to go.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rapport.core.citus import distribute_table

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIELDS = ("address", "city", "state", "postal_code", "country")


def upgrade() -> None:
    op.create_table(
        "contact_addresses",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False, server_default="work"),
        sa.Column("is_primary", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=100), nullable=True),
        sa.Column("postal_code", sa.String(length=20), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.PrimaryKeyConstraint(
            "tenant_id", "contact_id", "position", name="pk_contact_addresses"
        ),
    )
    # On Citus the table is placed beside the contacts before its key to them (docs/scaling.md).
    distribute_table(op.get_bind(), "contact_addresses")
    with op.batch_alter_table("contact_addresses", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_contact_addresses_tenant_id_contact_id_contacts", "contacts",
            ["tenant_id", "contact_id"], ["tenant_id", "id"], ondelete="CASCADE",
        )  # fmt: skip
    columns = ", ".join(FIELDS)
    any_set = " OR ".join(f"({f} IS NOT NULL AND {f} <> '')" for f in FIELDS)
    op.execute(
        f"INSERT INTO contact_addresses (tenant_id, contact_id, position, label, is_primary, "
        f"{columns}) SELECT tenant_id, id, 0, 'work', {_true()}, {columns} FROM contacts "
        f"WHERE {any_set}"
    )


def downgrade() -> None:
    # The primary address is the contact's own fields already; the others cannot be kept.
    op.drop_table("contact_addresses")


def _true() -> str:
    return "true" if op.get_bind().dialect.name == "postgresql" else "1"
