"""Import jobs and saved column mappings: create, find, list, report rejected rows."""

from __future__ import annotations

import csv
import io
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.contacts.models import Contact
from rapport.contacts.service import display_name_of
from rapport.core.auth import Actor
from rapport.core.errors import Conflict, FieldError, NotFound, ValidationFailed
from rapport.core.ids import new_id
from rapport.customfields import service as custom_fields
from rapport.imports import reader
from rapport.imports.accounts import POLICIES
from rapport.imports.models import (
    FINISHED,
    MATCH_KEYS,
    MODES,
    ImportChange,
    ImportJob,
    ImportMapping,
    ImportPossibleDuplicate,
    ImportRejection,
)

UPLOAD_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".jsonl", ".ndjson", ".vcf", ".vcard")


def get_job(*, db: Session, tenant_id: uuid.UUID, import_id: uuid.UUID) -> ImportJob:
    job = db.get(ImportJob, (tenant_id, import_id))
    if job is None:
        raise NotFound("Import not found.")
    return job


def list_jobs(*, db: Session, tenant_id: uuid.UUID, limit: int = 20) -> list[ImportJob]:
    """The most recent imports first."""
    query = (
        select(ImportJob)
        .where(ImportJob.tenant_id == tenant_id)
        .order_by(ImportJob.created_at.desc(), ImportJob.id.desc())
        .limit(limit)
    )
    return list(db.scalars(query))


def store_upload(*, data_dir: Path, tenant_id: uuid.UUID, filename: str, source: IO[bytes]) -> Path:
    """Copy the upload (in chunks) under the data directory, where the worker finds it."""
    suffix = Path(filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValidationFailed([FieldError("file", reader.FILE_KINDS)])
    folder = Path(data_dir) / "imports" / str(tenant_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{new_id()}{suffix}"
    with path.open("wb") as target:
        shutil.copyfileobj(source, target, 1 << 20)
    return path


def is_stored_upload(job: ImportJob) -> bool:
    """Whether the job's file is an upload kept by `store_upload` (not a file of the user's,
    named on the command line, which is never changed)."""
    path = Path(job.file_path)
    return path.parent.name == str(job.tenant_id) and path.parent.parent.name == "imports"


def create_job(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    actor: Actor,
    filename: str,
    file_path: Path,
    match: str = "email",
    mode: str = "valid_rows",
    dry_run: bool = False,
    mapping: dict[str, str | None] | None = None,
    mapping_name: str | None = None,
    accounts: str = "create",
    keep_unmapped: bool = False,
) -> ImportJob:
    """A queued job, after checking the file opens and its columns map to contact fields.

    `accounts`: 'create' the accounts rows name that do not exist yet, or 'refuse' such rows.
    `keep_unmapped`: keep the cells of columns mapped to no field in custom attributes."""
    problems = []
    if accounts not in POLICIES:
        problems.append(FieldError("accounts", f"must be one of {', '.join(POLICIES)}"))
    if match not in MATCH_KEYS:
        problems.append(FieldError("match", f"must be one of {', '.join(MATCH_KEYS)}"))
    if mode not in MODES:
        problems.append(FieldError("mode", f"must be one of {', '.join(MODES)}"))
    if problems:
        raise ValidationFailed(problems)
    table, mapping, columns = mapping_of_file(db=db, tenant_id=tenant_id, filename=filename,
                                              file_path=file_path, mapping=mapping,
                                              mapping_name=mapping_name)  # fmt: skip
    job = ImportJob(
        tenant_id=tenant_id, id=new_id(), status="queued", filename=filename[:300],
        file_path=str(file_path), file_format=table.file_format,
        options={"match": match, "mode": mode, "dry_run": dry_run, "mapping": mapping or {},
                 "columns": columns, "headers": table.headers, "accounts": accounts,
                 "keep_unmapped": keep_unmapped, "source": reader.source_of(table.headers),
                 "encoding": table.encoding, "delimiter": table.delimiter},
        created_by_user_id=actor.user_id, actor_label=actor.label,
    )  # fmt: skip
    db.add(job)
    db.flush()
    return job


def mapping_of_file(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    filename: str,
    file_path: Path,
    mapping: dict[str, str | None] | None = None,
    mapping_name: str | None = None,
) -> tuple[reader.Table, dict[str, str | None] | None, dict[str, str | None]]:
    """The opened file, the user's mapping (with a saved one's columns this file has) and the
    mapping an import of it would use, column by column."""
    table = reader.open_table(Path(file_path), filename)
    if mapping_name:
        saved = get_mapping(db=db, tenant_id=tenant_id, name=mapping_name)
        # The saved mapping may name columns this file lacks; keep those it has.
        mapping = {h: f for h, f in saved.mapping.items() if h in table.headers} | (mapping or {})
    custom = custom_columns(db=db, tenant_id=tenant_id)
    return table, mapping, reader.resolve_mapping(table.headers, mapping, custom)


def custom_columns(*, db: Session, tenant_id: uuid.UUID) -> list[tuple[str, str]]:
    """(key, label) of the workspace's custom fields: the `cf.KEY` targets of a mapping."""
    return [(f.key, f.label) for f in custom_fields.definitions(db=db, tenant_id=tenant_id)]


def requeue(*, db: Session, job: ImportJob) -> ImportJob:
    """Resume a failed job: it continues after its last committed batch."""
    if job.status != "failed" or (job.applied and job.options.get("mode") != "valid_rows"):
        raise Conflict(f"Only a failed import can be resumed; this one is {job.status}.")
    ensure_file_kept(job)
    job.status, job.message, job.finished_at = "queued", None, None
    return job


def file_kept(job: ImportJob) -> bool:
    return Path(job.file_path).exists()


def ensure_file_kept(job: ImportJob) -> None:
    """A job's file is read again (resume, import after a dry run) only while it is kept."""
    if not file_kept(job):
        raise Conflict(
            "The file of this import is no longer kept (uploads are removed some days after "
            "their import ends); upload it again."
        )


def remove_old_uploads(*, db: Session, finished_before: datetime) -> int:
    """Remove uploaded files whose every job ended before the cutoff; how many were removed.

    Contacts, reports, rejected rows and rollback records stay; only the file goes, so the
    customer data it holds is not kept longer than its imports need it."""
    ended = func.coalesce(ImportJob.finished_at, ImportJob.updated_at)
    still_needed = (
        select(ImportJob.file_path)
        .where(or_(ImportJob.status.not_in(FINISHED), ended >= finished_before))
    )
    old = db.scalars(
        select(ImportJob)
        .where(ImportJob.status.in_(FINISHED), ended < finished_before,
               ImportJob.file_path.not_in(still_needed))
        .order_by(ImportJob.file_path)
    )  # fmt: skip
    removed = 0
    for job in old:
        path = Path(job.file_path)
        if is_stored_upload(job) and path.exists():
            path.unlink()
            removed += 1
    return removed
    job.status, job.message, job.finished_at = "queued", None, None
    return job


def rejections(
    *, db: Session, job: ImportJob, after_line: int = 0, limit: int = 50
) -> list[ImportRejection]:
    query = (
        select(ImportRejection)
        .where(
            ImportRejection.tenant_id == job.tenant_id,
            ImportRejection.import_id == job.id,
            ImportRejection.line > after_line,
        )
        .order_by(ImportRejection.line)
        .limit(limit)
    )
    return list(db.scalars(query))


@dataclass
class PossibleDuplicate:
    line: int
    new_contact_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    contact_name: str | None
    other_line: int | None
    score: float
    reasons: list[str]


def possible_duplicates(*, db: Session, job: ImportJob, limit: int = 50) -> list[PossibleDuplicate]:
    """The job's new rows that look like another contact, by line, with that contact's name."""
    rows = db.execute(
        select(ImportPossibleDuplicate, Contact)
        .outerjoin(Contact, (Contact.tenant_id == ImportPossibleDuplicate.tenant_id)
                   & (Contact.id == ImportPossibleDuplicate.contact_id))
        .where(ImportPossibleDuplicate.tenant_id == job.tenant_id,
               ImportPossibleDuplicate.import_id == job.id)
        .order_by(ImportPossibleDuplicate.line)
        .limit(limit)
    ).all()  # fmt: skip
    lines = [row.line for row, _contact in rows]
    created = dict(db.execute(
        select(ImportChange.line, ImportChange.contact_id)
        .where(ImportChange.tenant_id == job.tenant_id, ImportChange.import_id == job.id,
               ImportChange.line.in_(lines))
    ).all()) if job.applied and lines else {}  # fmt: skip
    return [
        PossibleDuplicate(
            line=row.line, new_contact_id=created.get(row.line), contact_id=row.contact_id,
            contact_name=display_name_of(contact) if contact else None,
            other_line=row.other_line, score=row.score, reasons=row.reasons,
        )  # fmt: skip
        for row, contact in rows
    ]


def rejected_csv(
    *, session_factory: sessionmaker[Session], tenant_id: uuid.UUID, import_id: uuid.UUID
) -> Iterator[str]:
    """The rejected rows as the file had them, plus `line` and `reason`: fix and re-import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    with session_factory() as db:
        job = get_job(db=db, tenant_id=tenant_id, import_id=import_id)
        headers = job.options.get("headers", [])
        yield "\ufeff"  # spreadsheets read the BOM as "this is UTF-8"
        writer.writerow([*map(reader.as_text_cell, headers), "line", "reason"])
        after = 0
        while page := rejections(db=db, job=job, after_line=after, limit=500):
            for row in page:
                reason = "; ".join(f"{e['field']}: {e['message']}" for e in row.errors)
                cells = (reader.as_text_cell(row.cells.get(h) or "") for h in headers)
                writer.writerow([*cells, row.line, reason])
            after = page[-1].line
            yield flush()
        yield flush()


# --- saved mappings ------------------------------------------------------------------------


def list_mappings(*, db: Session, tenant_id: uuid.UUID) -> list[ImportMapping]:
    query = select(ImportMapping).where(ImportMapping.tenant_id == tenant_id)
    return list(db.scalars(query.order_by(ImportMapping.name)))


def get_mapping(*, db: Session, tenant_id: uuid.UUID, name: str) -> ImportMapping:
    found = db.scalar(
        select(ImportMapping).where(
            ImportMapping.tenant_id == tenant_id, ImportMapping.name == name.strip()
        )
    )
    if found is None:
        raise NotFound(f"No saved mapping named '{name}'.")
    return found


def save_mapping(
    *, db: Session, tenant_id: uuid.UUID, name: str, mapping: dict[str, str | None]
) -> ImportMapping:
    """Create or replace the tenant's mapping of that name."""
    name = name.strip()
    problems = [] if 0 < len(name) <= 100 else [FieldError("name", "must be 1 to 100 characters")]
    problems += reader.unknown_fields(mapping, custom_columns(db=db, tenant_id=tenant_id))
    if problems:
        raise ValidationFailed(problems)
    try:
        found = get_mapping(db=db, tenant_id=tenant_id, name=name)
    except NotFound:
        found = ImportMapping(tenant_id=tenant_id, id=new_id(), name=name)
        db.add(found)
    found.mapping = dict(mapping)
    db.flush()
    return found


def delete_mapping(*, db: Session, tenant_id: uuid.UUID, name: str) -> None:
    db.delete(get_mapping(db=db, tenant_id=tenant_id, name=name))
    db.flush()
