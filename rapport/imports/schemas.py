from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from rapport.core.schemas import InputModel, OutputModel
from rapport.imports.accounts import POLICIES
from rapport.imports.models import MATCH_KEYS, MODES
from rapport.imports.reader import MAPPABLE

# The values the server accepts, from the one place that defines them (a tuple given to
# Literal is its list of values). `full_name`: a name written whole, split in two.
ImportField = Literal[MAPPABLE]  # type: ignore[valid-type]
# A custom field of the workspace, `cf.KEY`; the import checks the key exists.
CustomTarget = Annotated[str, Field(pattern=r"^cf\.[a-z][a-z0-9_]{0,49}$")]
MatchKey = Literal[MATCH_KEYS]  # type: ignore[valid-type]
Mode = Literal[MODES]  # type: ignore[valid-type]
AccountPolicy = Literal[POLICIES]  # type: ignore[valid-type]


class RowErrorOut(OutputModel):
    field: str
    message: str


class RejectedRowOut(OutputModel):
    line: int = Field(description="The row's line in the file; the header is line 1.")
    errors: list[RowErrorOut]
    cells: dict[str, str | None] = Field(description="The row as the file had it, by column.")


class PossibleDuplicateOut(OutputModel):
    line: int = Field(description="The new row's line in the file.")
    new_contact_id: uuid.UUID | None = Field(
        description="The contact the row created (none for a dry run)."
    )
    contact_id: uuid.UUID | None = Field(
        description="The contact it looks like (for a dry run, only one already there)."
    )
    contact_name: str | None = Field(description="That contact's name, while it exists.")
    other_line: int | None = Field(description="The line of this file that contact came from.")
    score: float = Field(description="0 to 1: how alike they are.")
    reasons: list[str]


class ColumnOut(OutputModel):
    column: str = Field(description="The column's header in the file.")
    field: str | None = Field(description="The contact field it fills; null when ignored.")
    ignored: bool = Field(description="Mapped to no field: its cells are not imported (unless "
                                      "`keep_unmapped`, which keeps them in custom attributes).")
    note: str = Field(description="What happens to the column, in words.")


class ImportOut(OutputModel):
    id: uuid.UUID
    status: Literal["queued", "running", "completed", "failed", "rolled_back"]
    filename: str
    file_format: str
    match: MatchKey
    mode: Mode
    dry_run: bool
    columns: dict[str, str | None] = Field(
        description="How each column of the file was mapped to a contact field (null: ignored)."
    )
    column_report: list[ColumnOut] = Field(
        default_factory=list, description="Every column, in file order, with what it maps to."
    )
    source: str | None = Field(
        None, description="The system whose export the file is, when recognised by its headers."
    )
    accounts: str = Field("create", description="create or refuse accounts rows name that do "
                                                "not exist yet.")
    keep_unmapped: bool = False
    accounts_created: list[str] = Field(
        default_factory=list,
        description="Accounts the import created (a dry run: would create), the first 100.",
    )
    accounts_created_count: int = 0
    total_rows: int | None
    rows_done: int
    progress: float | None = Field(None, description="0 to 1.")
    created: int
    updated: int
    unchanged: int
    rejected: int
    possible_duplicates: int = Field(
        description="New rows that look like a contact already there or an earlier row."
    )
    rate: float | None = Field(None, description="Rows per second.")
    applied: bool = Field(description="Whether the import's changes are in the contacts.")
    message: str | None
    actor_label: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    rejected_rows: list[RejectedRowOut] = Field(
        default_factory=list, description="A page of rejected rows, by line."
    )
    next_errors_after: int | None = Field(
        None, description="Pass as `errors_after` for the next page of rejected rows."
    )
    possible_duplicate_rows: list[PossibleDuplicateOut] = Field(
        default_factory=list, description="The first 50 possible duplicates, by line."
    )


class RollbackOut(OutputModel):
    deleted: int
    restored: int
    kept: int
    gone: int
    import_: ImportOut = Field(alias="import")


class MappingIn(InputModel):
    mapping: dict[str, ImportField | CustomTarget | None] = Field(
        description="{column header: contact field, or null to ignore the column}"
    )


class MappingOut(OutputModel):
    id: uuid.UUID
    name: str
    mapping: dict[str, str | None]
    updated_at: datetime
