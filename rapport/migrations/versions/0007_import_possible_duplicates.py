"""imports flag new rows that look like a contact already there; name-ordered indexes

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_possible_duplicates",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("other_line", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "import_id"],
            ["import_jobs.tenant_id", "import_jobs.id"],
            name=op.f("fk_import_possible_duplicates_tenant_id_import_id_import_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "import_id", "line", name=op.f("pk_import_possible_duplicates")
        ),
    )
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("possible_duplicates", sa.Integer(), nullable=False, server_default="0")
        )
    # Similar names in the same city or account are probed as neighbours in both name orders.
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_tenant_city")
        batch_op.drop_index("ix_contacts_tenant_account")
        for place in ("account", "city"):
            column = "account_id" if place == "account" else "city"
            batch_op.create_index(
                f"ix_contacts_{place}_last_first", ["tenant_id", column, "last_key", "first_key"]
            )
            batch_op.create_index(
                f"ix_contacts_{place}_first_last", ["tenant_id", column, "first_key", "last_key"]
            )


def downgrade() -> None:
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        for place in ("account", "city"):
            batch_op.drop_index(f"ix_contacts_{place}_last_first")
            batch_op.drop_index(f"ix_contacts_{place}_first_last")
        batch_op.create_index("ix_contacts_tenant_account", ["tenant_id", "account_id"])
        batch_op.create_index("ix_contacts_tenant_city", ["tenant_id", "city"])
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_column("possible_duplicates")
    op.drop_table("import_possible_duplicates")
