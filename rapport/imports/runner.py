"""Running an import job: stream the file, apply rows in batches, checkpoint, report.

`valid_rows` commits every batch together with the job's counts and checkpoint line, so an
interrupted job resumes after its last committed batch and never leaves half a batch behind.
`all_or_nothing` and dry runs are one transaction: committed only when every row is valid
(never, for a dry run), so there is nothing to resume; a restarted one starts over.
"""

from __future__ import annotations

import gc
import json
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from rapport.core.auth import Actor
from rapport.core.db import refresh_statistics, utcnow
from rapport.imports import reader, service
from rapport.imports.columns import Layout, layout_of
from rapport.imports.models import (
    ImportChange,
    ImportJob,
    ImportPossibleDuplicate,
    ImportRejection,
)
from rapport.imports.rows import Batch, RowRejected, values_of
from rapport.tenants.models import Tenant

# Rows per batch, and per committed checkpoint: each commit waits for the disk (30 ms on
# SQLite), which at 500 rows was a tenth of an import.
BATCH_ROWS = 2000
# Tables an import grows; their planner statistics are refreshed each time the import has
# written four times as many rows as at the last refresh (a handful of times per job).
GROWN_TABLES = ("contacts", "contact_points", "contact_addresses")
STATISTICS_GROWTH = 4
COUNTS = ("created", "updated", "unchanged", "rejected")
ACCOUNTS_LISTED = 100


@dataclass
class Progress:
    rows_done: int
    total_rows: int | None
    created: int
    updated: int
    unchanged: int
    rejected: int
    rate: float | None


ProgressCallback = Callable[[Progress], None]


def import_actor(job: ImportJob) -> Actor:
    return Actor(via="import", label=job.actor_label or "import", user_id=job.created_by_user_id)


def _progress(job: ImportJob) -> Progress:
    return Progress(job.rows_done, job.total_rows, job.created, job.updated, job.unchanged,
                    job.rejected, job.rate)  # fmt: skip


def _batches(rows: Iterator, size: int) -> Iterator[list]:
    while batch := list(islice(rows, size)):
        yield batch


def _columns(db: Session, table: reader.Table, job: ImportJob) -> Layout:
    custom = service.custom_columns(db=db, tenant_id=job.tenant_id)
    mapping = reader.resolve_mapping(table.headers, job.options.get("mapping"), custom)
    return layout_of(table.headers, mapping, bool(job.options.get("keep_unmapped")))


Outcome = str | ImportRejection  # 'created', 'updated', 'unchanged' or why it was refused


def _apply_batch(
    db: Session, job: ImportJob, columns, lines: list
) -> tuple[list[Outcome], list[ImportPossibleDuplicate], list[str]]:
    """Each row's outcome, in order, the new rows that look like a contact already there, and
    the accounts the rows created. A rejected row leaves nothing written."""
    tenant = db.get(Tenant, job.tenant_id)
    parsed: list[dict | RowRejected] = []
    for _line, cells in lines:
        try:
            parsed.append(values_of(columns, cells))
        except RowRejected as exc:
            parsed.append(exc)
    batch = Batch(db=db, tenant=tenant, job=job, actor=import_actor(job),
                  rows=[v for v in parsed if isinstance(v, dict)])  # fmt: skip
    outcomes: list[Outcome] = []
    for (line, cells), values in zip(lines, parsed, strict=True):
        if isinstance(values, RowRejected):
            outcomes.append(_rejection(job, line, cells, values))
            continue
        try:
            outcomes.append(batch.apply(line, values))
        except RowRejected as exc:
            outcomes.append(_rejection(job, line, cells, exc))
    batch.write()
    return outcomes, batch.possible_duplicates, batch.accounts_created


def _note_accounts(options: dict, names: list[str]) -> dict:
    """The job's options with the accounts it created added: their count and the first names."""
    if not names:
        return options
    listed = options.get("accounts_created", [])
    return {**options, "accounts_created": [*listed, *names][:ACCOUNTS_LISTED],
            "accounts_created_count": options.get("accounts_created_count", 0) + len(names)}


def _rejection(job: ImportJob, line: int, cells: list, exc: RowRejected) -> ImportRejection:
    errors = [{"field": f, "message": m} for f, m in exc.errors]
    headers = job.options.get("headers", [])
    by_header = {h: cells[i] if i < len(cells) else None for i, h in enumerate(headers)}
    return ImportRejection(
        tenant_id=job.tenant_id, import_id=job.id, line=line, errors=errors, cells=by_header
    )


_frozen = {"runs": 0, "ours": False}
_freezing = threading.Lock()


@contextmanager
def _old_objects_left_alone() -> Iterator[None]:
    """Keep what the process held before the import out of the collector's full passes
    while it runs. An import allocates enough to set off many of them, and each walked every
    object the process had loaded (code, country and phone metadata): a quarter of an
    import's time. Released (collected as before) when the last running import ends.

    A server froze its long-lived objects when it started (`core.serving`): there the import
    leaves that alone, since unfreezing is all or nothing and would undo it."""
    with _freezing:
        if _frozen["runs"] == 0:
            _frozen["ours"] = gc.get_freeze_count() == 0
            if _frozen["ours"]:
                gc.freeze()
        _frozen["runs"] += 1
    try:
        yield
    finally:
        with _freezing:
            _frozen["runs"] -= 1
            if _frozen["runs"] == 0 and _frozen["ours"]:
                gc.unfreeze()


def run(
    *,
    session_factory: sessionmaker[Session],
    tenant_id: uuid.UUID,
    job_id: uuid.UUID,
    batch_rows: int = BATCH_ROWS,
    on_progress: ProgressCallback | None = None,
) -> ImportJob:
    """Run a claimed ('running') job to its end and return it as stored."""
    with _old_objects_left_alone():
        return _run(session_factory, tenant_id, job_id, batch_rows, on_progress)


def _run(session_factory, tenant_id, job_id, batch_rows, on_progress) -> ImportJob:
    started = time.perf_counter()
    try:
        with session_factory() as db, db.begin():
            job = db.get(ImportJob, (tenant_id, job_id))
            table = reader.open_table(Path(job.file_path), job.filename)
            job.options = {**job.options, "headers": table.headers}
            if job.total_rows is None:
                job.total_rows = table.count_rows()
            job.started_at = job.started_at or utcnow()
            columns = _columns(db, table, job)
        single = job.options.get("dry_run") or job.options.get("mode") == "all_or_nothing"
        if single:
            _run_in_one_transaction(session_factory, job, table, columns, batch_rows, on_progress)
        else:
            _run_in_batches(session_factory, job, table, columns, batch_rows, on_progress, started)
    except Exception as exc:  # noqa: BLE001 - any failure is the job's outcome, not a crash
        with session_factory() as db, db.begin():
            job = db.get(ImportJob, (tenant_id, job_id))
            job.status, job.finished_at = "failed", utcnow()
            job.message = f"The import stopped: {str(exc)[:500]}"
    with session_factory() as db:
        return db.get(ImportJob, (tenant_id, job_id))


class _Statistics:
    """Refreshes the planner's statistics as the import grows the contacts tables."""

    def __init__(self) -> None:
        self.next_at = 1

    def after(self, db: Session, rows_done: int) -> None:
        if rows_done >= self.next_at:
            refresh_statistics(db, *GROWN_TABLES)
            self.next_at = rows_done * STATISTICS_GROWTH


def _run_in_batches(factory, job, table, columns, batch_rows, on_progress, started) -> None:
    done_here = 0
    statistics = _Statistics()
    rows = (row for row in table.rows() if row[0] > job.checkpoint_line)
    for batch in _batches(rows, batch_rows):
        with factory() as db, db.begin():
            job = db.get(ImportJob, (job.tenant_id, job.id))
            statistics.after(db, done_here)
            outcomes, flagged, accounts = _apply_batch(db, job, columns, batch)
            job.options = _note_accounts(job.options, accounts)
            for outcome in outcomes:
                if isinstance(outcome, ImportRejection):
                    db.merge(outcome)  # a resumed batch may meet its rejections again
                    outcome = "rejected"
                setattr(job, outcome, getattr(job, outcome) + 1)
            for possible_duplicate in flagged:
                db.merge(possible_duplicate)
            job.possible_duplicates += len(flagged)
            done_here += len(batch)
            job.rows_done += len(batch)
            job.checkpoint_line = batch[-1][0]
            job.rate = done_here / max(time.perf_counter() - started, 1e-6)
            job.applied = True
        if on_progress:
            on_progress(_progress(job))
    with factory() as db, db.begin():
        job = db.get(ImportJob, (job.tenant_id, job.id))
        job.status, job.finished_at, job.applied = "completed", utcnow(), True
        job.message = _summary(job)


def _run_in_one_transaction(factory, job, table, columns, batch_rows, on_progress) -> None:
    started = time.perf_counter()
    counts = dict.fromkeys(COUNTS, 0)
    flagged = 0
    accounts: list[str] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool, factory() as db:
        db.begin()
        job = db.get(ImportJob, (job.tenant_id, job.id))
        done = 0
        statistics = _Statistics()
        for batch in _batches(table.rows(), batch_rows):
            statistics.after(db, done)
            outcomes, possible_duplicates, created_accounts = _apply_batch(db, job, columns, batch)
            accounts += created_accounts
            for outcome in outcomes:
                if isinstance(outcome, ImportRejection):
                    _spool(spool, outcome)
                    outcome = "rejected"
                counts[outcome] += 1
            for possible_duplicate in possible_duplicates:
                _spool(spool, possible_duplicate)
            flagged += len(possible_duplicates)
            done += len(batch)
            if on_progress:
                rate = done / max(time.perf_counter() - started, 1e-6)
                on_progress(Progress(done, job.total_rows, **counts, rate=rate))
        apply = not job.options.get("dry_run") and counts["rejected"] == 0
        db.commit() if apply else db.rollback()
        rate = done / max(time.perf_counter() - started, 1e-6)
        with db.begin():
            job = db.get(ImportJob, (job.tenant_id, job.id))
            for name, value in counts.items():
                setattr(job, name, value)
            job.possible_duplicates = flagged
            job.options = _note_accounts(job.options, accounts)
            job.rows_done, job.rate, job.applied, job.finished_at = done, rate, apply, utcnow()
            failed = job.options.get("mode") == "all_or_nothing" and counts["rejected"] and not (
                job.options.get("dry_run")
            )
            job.status = "failed" if failed else "completed"
            job.message = _summary(job)
            _store_spooled(db, job, spool)
        if on_progress:
            on_progress(_progress(job))


# What a one-transaction run reports waits on disk: it must outlive the run's rollback.
SPOOLED = {"rejection": ImportRejection, "possible_duplicate": ImportPossibleDuplicate}
SPOOLED_COLUMNS = {
    "rejection": ("line", "errors", "cells"),
    "possible_duplicate": ("line", "contact_id", "other_line", "score", "reasons"),
}


def _spool(spool: IO[str], row: ImportRejection | ImportPossibleDuplicate) -> None:
    kind = "rejection" if isinstance(row, ImportRejection) else "possible_duplicate"
    values = [getattr(row, column) for column in SPOOLED_COLUMNS[kind]]
    spool.write(json.dumps([kind, *values], default=str) + "\n")


def _store_spooled(db: Session, job: ImportJob, spool: IO[str]) -> None:
    for model in SPOOLED.values():
        db.execute(delete(model).where(model.tenant_id == job.tenant_id,
                                       model.import_id == job.id))  # fmt: skip
    spool.seek(0)
    for number, text in enumerate(spool, start=1):
        kind, *values = json.loads(text)
        row = dict(zip(SPOOLED_COLUMNS[kind], values, strict=True))
        if row.get("contact_id"):
            row["contact_id"] = uuid.UUID(row["contact_id"])
        db.add(SPOOLED[kind](tenant_id=job.tenant_id, import_id=job.id, **row))
        if number % BATCH_ROWS == 0:
            db.flush()


def _summary(job: ImportJob) -> str:
    counts = (f"{job.created} created, {job.updated} updated, {job.unchanged} unchanged, "
              f"{job.rejected} rejected")  # fmt: skip
    flagged = job.possible_duplicates
    made = job.options.get("accounts_created_count", 0)
    if made:
        names = ", ".join(job.options.get("accounts_created", [])[:5])
        more = f" and {made - 5} more" if made > 5 else ""
        verb = "created" if job.applied and not job.options.get("dry_run") else "would create"
        noun = "account" if made == 1 else "accounts"
        counts += f"; {verb} {made} {noun} ({names}{more})"
    rows = "row looks" if flagged == 1 else "rows look"
    look_alike = (f" {flagged} new {rows} like a contact already there or an earlier row: "
                  "review before merging." if flagged else "")  # fmt: skip
    if job.options.get("dry_run"):
        return f"Dry run: would have {counts}. Nothing was written.{look_alike}"
    if not job.applied:
        return (f"{job.rejected} rows were rejected, so nothing was imported (all or nothing): "
                f"{counts}.")  # fmt: skip
    return f"Imported: {counts}.{look_alike}"


def clear_changes(db: Session, job: ImportJob) -> None:
    """Forget what a job did (after a rollback), so a new run starts clean."""
    db.execute(delete(ImportChange).where(
        ImportChange.tenant_id == job.tenant_id, ImportChange.import_id == job.id))  # fmt: skip
