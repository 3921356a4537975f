"""account name words: accounts found by word prefixes of their name, and by identifier
prefix, from indexes (the search box, the accounts list)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 23:30:00

Each account's name is split into folded words (`accounts.names.words_of`), one row each.
Before, a name was matched as any part of it (`%q%`), which read every account of the tenant.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from rapport.core.citus import distribute_table
from rapport.core.text import fold

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
WORD_LENGTH = 200  # folding can lengthen a word ("ﬃ" → "ffi"): cut to the column
_WORD = re.compile(r"[^\W_]+")


def words_of(name: str | None) -> list[str]:
    """As `accounts.names.words_of` was written at this revision."""
    return list(dict.fromkeys(word[:WORD_LENGTH] for word in _WORD.findall(fold(name))))


def upgrade() -> None:
    op.create_table(
        "account_words",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("word", sa.String(length=WORD_LENGTH), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "account_id", "word", name="pk_account_words"),
    )
    # On Citus the table is placed beside the accounts before its key to them.
    distribute_table(op.get_bind(), "account_words")
    with op.batch_alter_table("account_words", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_account_words_tenant_id_account_id_accounts", "accounts",
            ["tenant_id", "account_id"], ["tenant_id", "id"], ondelete="CASCADE",
        )  # fmt: skip
    op.create_index(
        "ix_account_words_prefix",
        "account_words",
        ["tenant_id", "word", "account_id"],
        postgresql_ops={"word": "text_pattern_ops"},
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # LIKE 'abc%' on the identifier (SQLite: a range)
        op.create_index(
            "ix_accounts_tenant_identifier_prefix",
            "accounts",
            ["tenant_id", "identifier_key"],
            postgresql_ops={"identifier_key": "text_pattern_ops"},
        )
    accounts = sa.table(
        "accounts", sa.column("tenant_id", sa.Uuid()), sa.column("id", sa.Uuid()),
        sa.column("name", sa.String()),
    )  # fmt: skip
    words = sa.table(
        "account_words", sa.column("tenant_id", sa.Uuid()), sa.column("account_id", sa.Uuid()),
        sa.column("word", sa.String()),
    )  # fmt: skip
    rows = []
    for tenant_id, account_id, name in bind.execute(sa.select(accounts)).all():
        rows.extend(
            {"tenant_id": tenant_id, "account_id": account_id, "word": word}
            for word in words_of(name)
        )
    for start in range(0, len(rows), BATCH):
        bind.execute(sa.insert(words), rows[start : start + BATCH])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_accounts_tenant_identifier_prefix", table_name="accounts")
    op.drop_table("account_words")
