"""REST routes for contact imports and saved column mappings (supervisors and admins)."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile, status
from fastapi.responses import StreamingResponse

from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.errors import FieldError, ValidationFailed
from rapport.core.idempotency import IdempotencyKeyHeader
from rapport.core.inputs import json_field
from rapport.core.schemas import ERROR_RESPONSES, conflict
from rapport.imports import launch, service
from rapport.imports import rollback as rollback_service
from rapport.imports.columns import describe
from rapport.imports.models import FINISHED, ImportJob
from rapport.imports.schemas import (
    AccountPolicy,
    ImportOut,
    MappingIn,
    MappingOut,
    MatchKey,
    Mode,
    RejectedRowOut,
    RollbackOut,
)

router = APIRouter(prefix="/api/v1", tags=["imports"], responses=ERROR_RESPONSES)


def import_out(request: Request, db, job: ImportJob, errors_after: int = 0) -> ImportOut:
    live = getattr(request.app.state, "import_worker", None)
    progress = live.progress.get(job.id) if live and job.status == "running" else None
    counts = vars(progress) if progress else {}
    page = service.rejections(db=db, job=job, after_line=errors_after, limit=50)
    done = counts.get("rows_done", job.rows_done)
    return ImportOut.model_validate({
        **{c.key: getattr(job, c.key) for c in ImportJob.__table__.columns},
        **counts,
        "match": job.options.get("match"), "mode": job.options.get("mode"),
        "dry_run": bool(job.options.get("dry_run")), "columns": job.options.get("columns", {}),
        "column_report": describe(job.options.get("headers", []), job.options.get("columns", {}),
                                  bool(job.options.get("keep_unmapped"))),
        **{k: job.options[k] for k in ("source", "accounts", "keep_unmapped", "accounts_created",
                                       "accounts_created_count") if k in job.options},
        "progress": min(1.0, done / job.total_rows) if job.total_rows else None,
        "rejected_rows": [RejectedRowOut.model_validate(r) for r in page],
        "next_errors_after": page[-1].line if len(page) == 50 else None,
        "possible_duplicate_rows": [
            asdict(d) for d in service.possible_duplicates(db=db, job=job)
        ],
    })  # fmt: skip


def _mapping_field(text: str | None) -> dict | None:
    try:
        mapping = json_field("mapping", text)
    except FieldError as exc:
        raise ValidationFailed([exc]) from None
    if mapping is None or isinstance(mapping, dict):
        return mapping
    raise ValidationFailed([FieldError("mapping", 'must be a JSON object {"column": "field"}')])


@router.post(
    "/imports",
    response_model=ImportOut,
    status_code=status.HTTP_201_CREATED,
    responses={202: {"model": ImportOut, "description": "Queued: poll `GET /imports/{id}`."}},
)
def create_import(
    request: Request,
    response: Response,
    db: DbSession,
    principal: CurrentPrincipal,
    idempotency: IdempotencyKeyHeader,
    file: Annotated[UploadFile, File(description="A .csv (UTF-8 or Windows-1252; comma, "
                                                 "semicolon or tab), .xlsx, .jsonl or vCard "
                                                 "(.vcf) file.")],  # fmt: skip
    match: Annotated[
        MatchKey, Form(description="How rows find the contact they update.")
    ] = "email",
    mode: Annotated[
        Mode, Form(description="Import the valid rows, or nothing when any row is rejected.")
    ] = "valid_rows",
    dry_run: Annotated[bool, Form(description="Report only; change nothing.")] = False,
    mapping: Annotated[
        str | None, Form(description='JSON {"column header": "field" or null}')
    ] = None,
    mapping_name: Annotated[str | None, Form(description="Use a saved mapping.")] = None,
    save_mapping_as: Annotated[str | None, Form(description="Save the mapping by name.")] = None,
    accounts: Annotated[AccountPolicy, Form(
        description="create: accounts rows name that do not exist yet are created; "
                    "refuse: such rows are rejected")] = "create",  # fmt: skip
    keep_unmapped: Annotated[bool, Form(description="Keep the cells of columns mapped to no "
                                                    "field in custom attributes.")] = False,
) -> ImportOut:
    """Import contacts from a file. Rows are matched to existing contacts by `match` and
    updated (an empty cell leaves the field as it is), or created. Small files answer the
    finished report (201); larger ones are queued (202) and run in the background."""
    actor = launch.importer(principal)
    path = service.store_upload(
        data_dir=request.app.state.settings.data_dir, tenant_id=principal.tenant_id,
        filename=file.filename or "upload.csv", source=file.file,
    )  # fmt: skip
    try:
        job = launch.start(
            db=db, session_factory=request.app.state.session_factory,
            tenant_id=principal.tenant_id, actor=actor, filename=file.filename or "",
            file_path=path, match=match, mode=mode, dry_run=dry_run,
            mapping=_mapping_field(mapping), mapping_name=mapping_name,
            save_mapping_as=save_mapping_as, accounts=accounts, keep_unmapped=keep_unmapped,
        )  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if job.status not in FINISHED:  # left to the background worker
        response.status_code = status.HTTP_202_ACCEPTED
    out = import_out(request, db, job)
    idempotency.remember(response, out, status.HTTP_201_CREATED)
    return out


@router.get("/imports", response_model=list[ImportOut])
def list_imports(request: Request, db: DbSession, principal: CurrentPrincipal) -> list[ImportOut]:
    """The tenant's 20 most recent imports, newest first."""
    launch.importer(principal)
    jobs = service.list_jobs(db=db, tenant_id=principal.tenant_id)
    return [import_out(request, db, job) for job in jobs]


@router.get("/imports/{import_id}", response_model=ImportOut)
def get_import(
    request: Request,
    import_id: uuid.UUID,
    db: DbSession,
    principal: CurrentPrincipal,
    errors_after: int = 0,
) -> ImportOut:
    """Status, counts, progress and a page of rejected rows (line, field, reason)."""
    launch.importer(principal)
    job = service.get_job(db=db, tenant_id=principal.tenant_id, import_id=import_id)
    return import_out(request, db, job, errors_after)


@router.get(
    "/imports/{import_id}/rejected.csv",
    response_class=StreamingResponse,
    responses={200: {
        "description": "The rejected rows: the file's columns plus `line` and `errors`.",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }},
)  # fmt: skip
def rejected_csv(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> StreamingResponse:
    """The rejected rows with their line and reason: fix them and import this file again."""
    launch.importer(principal)
    job = service.get_job(db=db, tenant_id=principal.tenant_id, import_id=import_id)
    body = service.rejected_csv(session_factory=request.app.state.session_factory,
                                tenant_id=job.tenant_id, import_id=job.id)  # fmt: skip
    name = job.filename.rsplit(".", 1)[0] or "import"
    headers = {"Content-Disposition": f'attachment; filename="{name}-rejected.csv"'}
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.post(
    "/imports/{import_id}/rollback",
    response_model=RollbackOut,
    responses=conflict("The import is still running, or wrote nothing to roll back."),
)
def rollback_import(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> RollbackOut:
    """Delete the contacts the import created and put back the fields it changed. Contacts
    changed by someone since the import are kept as they are (counted as `kept`)."""
    launch.importer(principal)
    job = service.get_job(db=db, tenant_id=principal.tenant_id, import_id=import_id)
    report = rollback_service.rollback(db=db, tenant=principal.tenant, job=job,
                                       actor=principal.actor)  # fmt: skip
    job = service.get_job(db=db, tenant_id=principal.tenant_id, import_id=import_id)
    return RollbackOut.model_validate({**vars(report), "import": import_out(request, db, job)})


@router.post(
    "/imports/{import_id}/resume",
    response_model=ImportOut,
    responses=conflict("Only a failed import can be resumed, while its file is kept."),
)
def resume_import(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> ImportOut:
    """Queue a failed import again; it continues after its last committed batch."""
    launch.importer(principal)
    job = service.get_job(db=db, tenant_id=principal.tenant_id, import_id=import_id)
    return import_out(request, db, service.requeue(db=db, job=job))


@router.get("/import-mappings", response_model=list[MappingOut])
def list_mappings(db: DbSession, principal: CurrentPrincipal) -> list[MappingOut]:
    """The tenant's saved column mappings."""
    launch.importer(principal)
    found = service.list_mappings(db=db, tenant_id=principal.tenant_id)
    return [MappingOut.model_validate(m) for m in found]


@router.put("/import-mappings/{name}", response_model=MappingOut)
def save_mapping(name: str, body: MappingIn, db: DbSession, principal: CurrentPrincipal):
    """Save (or replace) a column mapping under a name, to reuse with `mapping_name`."""
    launch.importer(principal)
    saved = service.save_mapping(db=db, tenant_id=principal.tenant_id, name=name,
                                 mapping=body.mapping)  # fmt: skip
    return MappingOut.model_validate(saved)


@router.delete("/import-mappings/{name}", status_code=status.HTTP_204_NO_CONTENT)
def delete_mapping(name: str, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Forget a saved mapping."""
    launch.importer(principal)
    service.delete_mapping(db=db, tenant_id=principal.tenant_id, name=name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
