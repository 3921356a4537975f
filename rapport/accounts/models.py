from __future__ import annotations

import uuid

from sqlalchemy import ForeignKeyConstraint, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, Timestamps


class Account(TenantOwned, Timestamps, Base):
    """The company or household a contact belongs to, chosen by its Account Identifier."""

    __tablename__ = "accounts"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        Index("uq_accounts_tenant_identifier", "tenant_id", "identifier_key", unique=True),
        Index("ix_accounts_tenant_name", "tenant_id", "name"),
    )

    identifier: Mapped[str] = mapped_column(String(100))
    identifier_key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class AccountWord(Base):
    """One word of an account's name, folded (no case, no accents): the search box and the
    accounts list find names by word prefix from this table's index. Kept in step with the
    name by `accounts.names`; removed with the account."""

    __tablename__ = "account_words"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"], ondelete="CASCADE"
        ),
        # The accounts of a word prefix from the index alone (LIKE 'abc%' on PostgreSQL,
        # whose collation is not "C", needs text_pattern_ops; SQLite asks for a range).
        Index(
            "ix_account_words_prefix",
            "tenant_id",
            "word",
            "account_id",
            postgresql_ops={"word": "text_pattern_ops"},
        ),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    word: Mapped[str] = mapped_column(String(200), primary_key=True)
