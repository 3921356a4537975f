from __future__ import annotations

import uuid

from sqlalchemy import ForeignKeyConstraint, Index, Integer, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base


class HistoryDocument(Base):
    """The searchable text of one interaction: subject, transcript and the notes about it.

    Rebuilt by `search.index` in the same transaction as every write to its sources.
    PostgreSQL indexes it through a generated `vector` tsvector column with a GIN index;
    SQLite through the FTS5 table `history_fts`, whose rows are keyed by `fts_rowid`
    (both created by migration 0002, outside this model, because they are per-dialect).
    """

    __tablename__ = "history_documents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "interaction_id"],
            ["interactions.tenant_id", "interactions.id"],
            ondelete="CASCADE",
        ),
        # With tenant_id, so that Citus can keep it per shard; fts_rowid leads for SQLite.
        Index("uq_history_documents_fts_rowid", "fts_rowid", "tenant_id", unique=True),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    interaction_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
    # SQLite only: the FTS5 rowid of this document (FTS5 rows need an integer key).
    fts_rowid: Mapped[int | None] = mapped_column(Integer)
