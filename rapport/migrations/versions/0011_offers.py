"""offers: push routing with a countdown, agents' capacity per channel, tenant routing mode

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 18:00:00

Offers are rows (who holds which workitem until when), so they survive a restart and are
shared by every server process; a partial unique index allows one pending offer per workitem.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = sa.text("outcome = 'pending'")
CAPACITY = '{"voice": 1, "chat": 3, "email": 1, "sms": 3}'


def upgrade() -> None:
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("routing_mode", sa.String(length=4), nullable=False, server_default="pull"))
        batch_op.add_column(sa.Column("offer_seconds", sa.Integer(), nullable=False, server_default="20"))
        batch_op.add_column(sa.Column("offer_lapses_to_away", sa.Integer(), nullable=False, server_default="3"))
        batch_op.add_column(sa.Column("offer_cooldown_seconds", sa.Integer(), nullable=False, server_default="60"))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity", sa.JSON(), nullable=False, server_default=sa.text(f"'{CAPACITY}'")))
        batch_op.add_column(sa.Column("idle_since", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("lapses_in_row", sa.Integer(), nullable=False, server_default="0"))

    op.create_table(
        "routing_offers",
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], name="fk_routing_offers_tenant_id_tenants", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["tenant_id", "interaction_id"], ["interactions.tenant_id", "interactions.id"],
            name="fk_routing_offers_tenant_id_interaction_id_interactions", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "agent_id"], ["users.tenant_id", "users.id"],
            name="fk_routing_offers_tenant_id_agent_id_users", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", "id", name="pk_routing_offers"),
    )
    op.create_index("uq_routing_offers_pending", "routing_offers", ["tenant_id", "interaction_id"],
                    unique=True, sqlite_where=PENDING, postgresql_where=PENDING)
    op.create_index("ix_routing_offers_expiry", "routing_offers", ["expires_at"],
                    sqlite_where=PENDING, postgresql_where=PENDING)
    op.create_index("ix_routing_offers_agent", "routing_offers", ["tenant_id", "agent_id", "offered_at"])


def downgrade() -> None:
    op.drop_index("ix_routing_offers_agent", table_name="routing_offers")
    op.drop_index("ix_routing_offers_expiry", table_name="routing_offers")
    op.drop_index("uq_routing_offers_pending", table_name="routing_offers")
    op.drop_table("routing_offers")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("lapses_in_row")
        batch_op.drop_column("idle_since")
        batch_op.drop_column("capacity")
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("offer_cooldown_seconds")
        batch_op.drop_column("offer_lapses_to_away")
        batch_op.drop_column("offer_seconds")
        batch_op.drop_column("routing_mode")
