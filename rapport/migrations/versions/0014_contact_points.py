"""contact points: several phones and emails per contact, each labelled, one primary per kind

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The single number or address a contact had of each kind: its primary, labelled as it was.
LABELS = {"phone": ("work", 0), "mobile": ("mobile", 1), "fax": ("fax", 2), "email": ("work", 0)}


def upgrade() -> None:
    with op.batch_alter_table("contact_points", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("label", sa.String(length=40), nullable=False, server_default="other")
        )
        batch_op.add_column(
            sa.Column("is_primary", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
        # An email as written (the value is its folded look-up key); null for numbers.
        batch_op.add_column(sa.Column("shown", sa.String(length=320), nullable=True))
        batch_op.drop_constraint("pk_contact_points", type_="primary")
        batch_op.create_primary_key(
            "pk_contact_points", ["tenant_id", "contact_id", "kind", "value"]
        )
        # Covering the probe: else the new primary key, holding the value too, is chosen.
        batch_op.drop_index("ix_contact_points_lookup")
        batch_op.create_index(
            "ix_contact_points_lookup", ["tenant_id", "value", "kind", "contact_id"]
        )
    points = sa.table(
        "contact_points",
        sa.column("kind", sa.String()),
        sa.column("label", sa.String()),
        sa.column("position", sa.Integer()),
    )
    for kind, (label, position) in LABELS.items():
        op.execute(
            points.update().where(points.c.kind == kind).values(label=label, position=position)
        )
    # The primary email as written is on the contact.
    op.execute(
        "UPDATE contact_points SET shown = (SELECT contacts.email FROM contacts"
        " WHERE contacts.tenant_id = contact_points.tenant_id"
        " AND contacts.id = contact_points.contact_id) WHERE kind = 'email'"
    )


def downgrade() -> None:
    # Only the primaries have a place in the single fields; the others cannot be kept.
    op.execute(f"DELETE FROM contact_points WHERE is_primary = {_false()}")
    with op.batch_alter_table("contact_points", schema=None) as batch_op:
        batch_op.drop_constraint("pk_contact_points", type_="primary")
        batch_op.create_primary_key("pk_contact_points", ["tenant_id", "contact_id", "kind"])
        batch_op.drop_index("ix_contact_points_lookup")
        batch_op.create_index("ix_contact_points_lookup", ["tenant_id", "value"])
        batch_op.drop_column("shown")
        batch_op.drop_column("position")
        batch_op.drop_column("is_primary")
        batch_op.drop_column("label")


def _false() -> str:
    return "false" if op.get_bind().dialect.name == "postgresql" else "0"
