"""history: interactions, transcripts, notes and their full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:00:00

SQLite: an external-content FTS5 table over history_documents (unicode61, diacritics
removed). PostgreSQL: a text search configuration with unaccent, a generated tsvector
column on history_documents and a GIN index over it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS_CONFIG = "rapport_search"


def upgrade() -> None:
    op.create_table(
        "interactions",
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("address_entered", sa.String(length=320), nullable=False),
        sa.Column("match_count", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("queue", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disposition", sa.String(length=100), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["tenants.id"],
            name=op.f("fk_interactions_tenant_id_tenants"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"],
            name=op.f("fk_interactions_tenant_id_contact_id_contacts"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agent_id"], ["users.tenant_id", "users.id"],
            name=op.f("fk_interactions_tenant_id_agent_id_users"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_interactions")),
    )  # fmt: skip
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index("ix_interactions_tenant_address", ["tenant_id", "address"])
        batch_op.create_index(
            "uq_interactions_tenant_external_id", ["tenant_id", "external_id"], unique=True
        )
        batch_op.create_index(
            "ix_interactions_tenant_contact", ["tenant_id", "contact_id", "started_at", "id"]
        )
        batch_op.create_index("ix_interactions_tenant_started", ["tenant_id", "started_at", "id"])

    op.create_table(
        "interaction_messages",
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("sender", sa.String(length=10), nullable=False),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("content_type", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "interaction_id"], ["interactions.tenant_id", "interactions.id"],
            name=op.f("fk_interaction_messages_tenant_id_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_interaction_messages")),
    )  # fmt: skip
    with op.batch_alter_table("interaction_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interaction_messages_transcript",
            ["tenant_id", "interaction_id", "sent_at", "id"],
        )
        batch_op.create_index(
            "uq_interaction_messages_external_id", ["tenant_id", "external_id"], unique=True
        )

    op.create_table(
        "notes",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("interaction_id", sa.Uuid(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("next_steps", sa.Text(), nullable=True),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"],
            name=op.f("fk_notes_tenant_id_contact_id_contacts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "interaction_id"], ["interactions.tenant_id", "interactions.id"],
            name=op.f("fk_notes_tenant_id_interaction_id_interactions"),
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "author_id"], ["users.tenant_id", "users.id"],
            name=op.f("fk_notes_tenant_id_author_id_users"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_notes")),
    )  # fmt: skip
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notes_tenant_contact_created", ["tenant_id", "contact_id", "created_at", "id"]
        )
        batch_op.create_index("ix_notes_tenant_interaction", ["tenant_id", "interaction_id"])

    op.create_table(
        "history_documents",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("fts_rowid", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id", "interaction_id"], ["interactions.tenant_id", "interactions.id"],
            name=op.f("fk_history_documents_tenant_id_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "interaction_id", name=op.f("pk_history_documents")),
    )  # fmt: skip
    with op.batch_alter_table("history_documents", schema=None) as batch_op:
        batch_op.create_index("uq_history_documents_fts_rowid", ["fts_rowid"], unique=True)

    if op.get_bind().dialect.name == "sqlite":
        _upgrade_sqlite()
    else:
        _upgrade_postgresql()


def _upgrade_sqlite() -> None:
    # Word tokens with accents removed, like the PostgreSQL side, so both answer alike.
    op.execute(
        "CREATE VIRTUAL TABLE history_fts USING fts5(body, content='history_documents', "
        "content_rowid='fts_rowid', tokenize='unicode61 remove_diacritics 2')"
    )


def _extension_available(name: str) -> bool:
    bind = op.get_bind()
    found = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = :name"), {"name": name}
    ).first()
    if found is None:
        return False
    try:
        with bind.begin_nested():
            bind.execute(sa.text(f"CREATE EXTENSION IF NOT EXISTS {name}"))
        return True
    except sa.exc.DBAPIError:  # not allowed to create it: search works, accents count
        return False


def _upgrade_postgresql() -> None:
    op.execute(f"CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = pg_catalog.simple)")
    if _extension_available("unaccent"):
        op.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
    op.execute(
        "ALTER TABLE history_documents ADD COLUMN vector tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('{TS_CONFIG}'::regconfig, body)) STORED"
    )
    op.execute("CREATE INDEX ix_history_documents_vector ON history_documents USING gin (vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS history_fts")
    op.drop_table("history_documents")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {TS_CONFIG}")
    op.drop_table("notes")
    op.drop_table("interaction_messages")
    op.drop_table("interactions")
