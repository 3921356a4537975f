"""routing: queue position of interactions, agents' channels and availability, queue aging

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00

Waiting interactions get their effective routing priority stored (backfilled here from the
interaction's own priority, else its contact's, else the tenant default), and two partial
indexes over `state = 'queued'` rows serve the queue in order, with and without aging.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("state = 'queued'")
ALL_CHANNELS = '["voice", "chat", "email", "sms"]'


def upgrade() -> None:
    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queue_aging_seconds", sa.Integer(), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("channels", sa.JSON(), nullable=False, server_default=sa.text(f"'{ALL_CHANNELS}'"))
        )
        batch_op.add_column(
            sa.Column("availability", sa.String(length=10), nullable=False, server_default="available")
        )

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("routing_priority", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("routing_due_at", sa.DateTime(timezone=True), nullable=True))

    # Interactions already waiting keep their place: queued since they started.
    op.execute(
        """
        UPDATE interactions SET
            queued_at = started_at,
            routing_priority = COALESCE(
                priority,
                (SELECT c.priority FROM contacts c
                  WHERE c.tenant_id = interactions.tenant_id AND c.id = interactions.contact_id),
                (SELECT t.default_priority FROM tenants t WHERE t.id = interactions.tenant_id)
            )
        WHERE state = 'queued'
        """
    )

    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interactions_queue",
            ["tenant_id", "routing_priority", "queued_at", "id"],
            unique=False,
            sqlite_where=WAITING,
            postgresql_where=WAITING,
        )
        batch_op.create_index(
            "ix_interactions_queue_aged",
            ["tenant_id", "routing_due_at", "id"],
            unique=False,
            sqlite_where=WAITING,
            postgresql_where=WAITING,
        )


def downgrade() -> None:
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_queue_aged")
        batch_op.drop_index("ix_interactions_queue")
        batch_op.drop_column("routing_due_at")
        batch_op.drop_column("routing_priority")
        batch_op.drop_column("accepted_at")
        batch_op.drop_column("queued_at")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("availability")
        batch_op.drop_column("channels")

    with op.batch_alter_table("tenants", schema=None) as batch_op:
        batch_op.drop_column("queue_aging_seconds")
