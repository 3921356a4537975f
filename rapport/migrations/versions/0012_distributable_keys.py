"""keys a distributed database can enforce: token digests in a global table; tenant_id in
the search documents' unique key

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27 09:00:00

On Citus every unique key of a table distributed by tenant_id must include tenant_id.
api_tokens was unique on its digest alone, because a token is looked up before its tenant
is known: that look-up moves to api_token_digests (digest -> tenant, token), global and
small, a reference table on Citus. history_documents' SQLite FTS key becomes unique with
tenant_id (it stays unique on its own by how SQLite assigns it).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_token_digests",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("token_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"],
            name=op.f("fk_api_token_digests_tenant_id_tenants"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_api_token_digests")),
    )  # fmt: skip
    with op.batch_alter_table("api_token_digests", schema=None) as batch_op:
        batch_op.create_index(
            "uq_api_token_digests_token", ["tenant_id", "token_id"], unique=True
        )
    op.execute(
        "INSERT INTO api_token_digests (digest, tenant_id, token_id) "
        "SELECT token_hash, tenant_id, id FROM api_tokens"
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint("uq_api_tokens_token_hash", type_="unique")

    with op.batch_alter_table("history_documents", schema=None) as batch_op:
        batch_op.drop_index("uq_history_documents_fts_rowid")
        batch_op.create_index(
            "uq_history_documents_fts_rowid", ["fts_rowid", "tenant_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("history_documents", schema=None) as batch_op:
        batch_op.drop_index("uq_history_documents_fts_rowid")
        batch_op.create_index("uq_history_documents_fts_rowid", ["fts_rowid"], unique=True)

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_api_tokens_token_hash", ["token_hash"])
    with op.batch_alter_table("api_token_digests", schema=None) as batch_op:
        batch_op.drop_index("uq_api_token_digests_token")
    op.drop_table("api_token_digests")
