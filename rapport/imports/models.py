"""Import jobs: the durable queue, the rows each job rejected, what it changed, saved mappings."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKeyConstraint, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from rapport.core.db import Base, TenantOwned, Timestamps, UTCDateTime

STATUSES = ("queued", "running", "completed", "failed", "rolled_back")
FINISHED = ("completed", "failed", "rolled_back")
MATCH_KEYS = ("email", "phone", "external_id")
MODES = ("valid_rows", "all_or_nothing")


class ImportJob(TenantOwned, Timestamps, Base):
    """One uploaded file and its progress; the worker's queue is this table."""

    __tablename__ = "import_jobs"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        Index("ix_import_jobs_tenant_created", "tenant_id", "created_at"),
        Index("ix_import_jobs_status", "status"),
    )

    status: Mapped[str] = mapped_column(String(20), default="queued")
    filename: Mapped[str] = mapped_column(String(300))
    file_path: Mapped[str] = mapped_column(Text)
    file_format: Mapped[str] = mapped_column(String(10))
    # match, mode, dry_run and the column mapping {header: field or None}
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    total_rows: Mapped[int | None] = mapped_column(Integer)
    rows_done: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    possible_duplicates: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The last file line whose row is committed; a resumed job starts after it.
    checkpoint_line: Mapped[int] = mapped_column(Integer, default=0)
    rate: Mapped[float | None] = mapped_column(Float)
    applied: Mapped[bool] = mapped_column(default=False)
    message: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    actor_label: Mapped[str] = mapped_column(String(320), default="")
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)


class OfImportJob:
    """Keyed first by the import job it belongs to, and removed with it."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (
            ForeignKeyConstraint(
                ["tenant_id", "import_id"],
                ["import_jobs.tenant_id", "import_jobs.id"],
                ondelete="CASCADE",
            ),
        )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, sort_order=-2)
    import_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, sort_order=-1)


class ImportRejection(OfImportJob, Base):
    """A row the import refused: its line, every field's reason, and the cells as given."""

    __tablename__ = "import_rejections"
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    errors: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    cells: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class ImportPossibleDuplicate(OfImportJob, Base):
    """A new row that looks like a contact already there, or like an earlier row of the file.

    Only ids and line numbers: the values themselves stay in the contacts and the file."""

    __tablename__ = "import_possible_duplicates"
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The contact it resembles (not a foreign key: it may be merged or erased later) ...
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # ... and, when that contact came from this file, its line.
    other_line: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)


class ImportChange(OfImportJob, Base):
    """What an import did to one contact, so it can be rolled back and duplicates found."""

    __tablename__ = "import_changes"
    # No foreign key to contacts: the contact may be deleted later; rollback then skips it.
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    line: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))  # created | updated | unchanged
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version_after: Mapped[int] = mapped_column(Integer)


class ImportMapping(TenantOwned, Timestamps, Base):
    """A column mapping saved by name, to reuse for the next file of the same shape."""

    __tablename__ = "import_mappings"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        Index("uq_import_mappings_tenant_name", "tenant_id", "name", unique=True),
    )

    name: Mapped[str] = mapped_column(String(100))
    mapping: Mapped[dict[str, str | None]] = mapped_column(JSON, default=dict)
