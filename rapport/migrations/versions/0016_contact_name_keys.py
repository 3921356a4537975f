"""contact name keys: indexes for name prefixes (the search box, the contacts list); email
prefixes are probed in contact_points, which holds every email

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 22:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# PostgreSQL answers LIKE 'abc%' from a btree only with text_pattern_ops (its collation is
# not "C"); SQLite asks for ranges, which its plain indexes already on these columns answer.
POSTGRESQL_ONLY = {
    "ix_contacts_tenant_sort_name_prefix": "sort_name",
}


def upgrade() -> None:
    for column in ("first_key", "last_key"):
        op.create_index(
            f"ix_contacts_tenant_{column}",
            "contacts",
            ["tenant_id", column, "id"],  # the ids of a prefix, from the index alone
            postgresql_ops={column: "text_pattern_ops"},
        )
    if op.get_bind().dialect.name == "postgresql":
        for name, column in POSTGRESQL_ONLY.items():
            op.create_index(
                name, "contacts", ["tenant_id", column], postgresql_ops={column: "text_pattern_ops"}
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in POSTGRESQL_ONLY:
            op.drop_index(name, table_name="contacts")
    for column in ("last_key", "first_key"):
        op.drop_index(f"ix_contacts_tenant_{column}", table_name="contacts")
