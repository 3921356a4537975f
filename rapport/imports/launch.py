"""Starting an import, from the pages or `POST /api/v1/imports`: a job on an uploaded file,
run now or queued.

Small files run within the request, larger ones go to the background worker. A dry run and
the real import that follows it read the same stored upload, so the file is sent once.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from rapport.core.auth import Actor, Principal
from rapport.imports import runner, service
from rapport.imports.models import ImportJob
from rapport.imports.reader import open_table
from rapport.imports.worker import claim, owning

# Files up to this many rows are processed within the request; larger ones are queued.
INLINE_MAX_ROWS = 1000


def importer(principal: Principal) -> Actor:
    """The actor of an import; only supervisors and administrators import contacts."""
    principal.require("supervisor", "import contacts")
    return Actor(via="import", label=principal.user.email, user_id=principal.user.id,
                 token_id=principal.token_id)  # fmt: skip


def start(
    *,
    db: Session,
    session_factory: sessionmaker[Session],
    tenant_id: uuid.UUID,
    actor: Actor,
    filename: str,
    file_path: Path,
    match: str,
    mode: str,
    dry_run: bool,
    mapping: dict[str, str | None] | None = None,
    mapping_name: str | None = None,
    save_mapping_as: str | None = None,
    inline_max_rows: int = INLINE_MAX_ROWS,
    accounts: str = "create",
    keep_unmapped: bool = False,
) -> ImportJob:
    """Create the job (validating options and mapping), then run it now if it is small."""
    job = service.create_job(
        db=db, tenant_id=tenant_id, actor=actor, filename=filename, file_path=file_path,
        match=match, mode=mode, dry_run=dry_run, mapping=mapping, mapping_name=mapping_name,
        accounts=accounts, keep_unmapped=keep_unmapped,
    )  # fmt: skip
    if save_mapping_as:
        service.save_mapping(
            db=db, tenant_id=tenant_id, name=save_mapping_as, mapping=job.options["columns"]
        )
    job.total_rows = open_table(file_path, filename).count_rows()
    if job.total_rows > inline_max_rows:
        db.commit()  # queued: the worker picks it up
        return job
    with owning(session_factory, job.id) as owned:
        owned = owned and claim(db=db, tenant_id=tenant_id, job_id=job.id)
        db.commit()  # the runner works in its own transactions
        if not owned:
            return job
        return runner.run(session_factory=session_factory, tenant_id=tenant_id, job_id=job.id)


def again(
    *,
    db: Session,
    session_factory: sessionmaker[Session],
    job: ImportJob,
    actor: Actor,
    dry_run: bool,
    match: str | None = None,
    mode: str | None = None,
    mapping: dict[str, str | None] | None = None,
    save_mapping_as: str | None = None,
    accounts: str | None = None,
    keep_unmapped: bool | None = None,
) -> ImportJob:
    """A new job on the file of an earlier one: a dry run with another mapping, or the
    real import after a dry run (with the mapping that dry run used)."""
    service.ensure_file_kept(job)
    return start(
        db=db, session_factory=session_factory, tenant_id=job.tenant_id, actor=actor,
        filename=job.filename, file_path=Path(job.file_path),
        match=match or job.options.get("match", "email"),
        mode=mode or job.options.get("mode", "valid_rows"), dry_run=dry_run,
        mapping=mapping if mapping is not None else job.options.get("columns"),
        save_mapping_as=save_mapping_as,
        accounts=accounts or job.options.get("accounts", "create"),
        keep_unmapped=(job.options.get("keep_unmapped", False) if keep_unmapped is None
                       else keep_unmapped),
    )  # fmt: skip
