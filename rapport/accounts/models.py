from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Index, Integer, String, Text
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
