"""personality insights: manual examples, excluded messages, computed profiles

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "personality_examples",
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"],
            name=op.f("fk_personality_examples_tenant_id_contact_id_contacts"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "author_id"], ["users.tenant_id", "users.id"],
            name=op.f("fk_personality_examples_tenant_id_author_id_users"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_personality_examples")),
    )  # fmt: skip
    with op.batch_alter_table("personality_examples", schema=None) as batch_op:
        batch_op.create_index(
            "ix_personality_examples_contact", ["tenant_id", "contact_id", "created_at"]
        )

    op.create_table(
        "personality_exclusions",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("excluded_by_id", sa.Uuid(), nullable=True),
        sa.Column("excluded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "message_id"],
            ["interaction_messages.tenant_id", "interaction_messages.id"],
            name=op.f("fk_personality_exclusions_tenant_id_message_id_interaction_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "excluded_by_id"], ["users.tenant_id", "users.id"],
            name=op.f("fk_personality_exclusions_tenant_id_excluded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", "message_id", name=op.f("pk_personality_exclusions")),
    )  # fmt: skip

    op.create_table(
        "personality_profiles",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("input_digest", sa.String(length=64), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"],
            name=op.f("fk_personality_profiles_tenant_id_contact_id_contacts"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "contact_id", name=op.f("pk_personality_profiles")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("personality_profiles")
    op.drop_table("personality_exclusions")
    with op.batch_alter_table("personality_examples", schema=None) as batch_op:
        batch_op.drop_index("ix_personality_examples_contact")
    op.drop_table("personality_examples")
