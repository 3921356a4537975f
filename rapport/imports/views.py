"""Import pages: upload a file, check the mapping with a dry run, import, follow, roll back.

Thin: reading, mapping and validating rows are the imports service's; jobs are started by
`rapport.imports.launch`, exactly as the API starts them.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.datastructures import FormData, UploadFile

from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, ValidationFailed
from rapport.imports import launch, service
from rapport.imports import rollback as rollback_service
from rapport.imports.columns import describe
from rapport.imports.models import FINISHED, ImportJob
from rapport.imports.reader import FULL_NAME, IMPORTABLE, MAPPABLE
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/contacts", include_in_schema=False, dependencies=CSRF_PROTECTED)

MATCH_LABELS = {"email": "Email", "phone": "Phone or mobile", "external_id": "External id"}
MODE_LABELS = {
    "valid_rows": "Import valid rows",
    "all_or_nothing": "All or nothing",
}
FIELD_LABELS = {f: f.replace("_", " ").capitalize() for f in IMPORTABLE}
FIELD_LABELS[FULL_NAME] = "Full name (split into first and last)"
FIELD_LABELS |= {"id": "Rapport contact id (matched first)",
                 "phones": "Phone, mobile or fax, by its type",
                 "type_label": "Type of the number or email beside it"}  # fmt: skip
ACCOUNT_LABELS = {"create": "Create the accounts rows name that do not exist yet",
                  "refuse": "Reject rows that name an unknown account"}  # fmt: skip
UNMAPPED_LABELS = {"": "Ignore them", "keep": "Keep them in custom attributes"}
LABELS = {"file": "File", "match": "Match by", "mode": "Mode", "mapping": "Column mapping",
          "name": "Save mapping as", "accounts": "Accounts",
          "keep_unmapped": "Columns mapped to no field"}  # fmt: skip


def _job_url(job: ImportJob) -> str:
    return f"/contacts/imports/{job.id}"


def _job(db, principal: Principal, import_id: uuid.UUID) -> ImportJob:
    launch.importer(principal)
    return service.get_job(db=db, tenant_id=principal.tenant_id, import_id=import_id)


def status_of(request: Request, job: ImportJob) -> dict[str, Any]:
    """Counts of the job, live from the worker while it runs in one transaction."""
    worker = getattr(request.app.state, "import_worker", None)
    live = worker.progress.get(job.id) if worker and job.status == "running" else None
    counts = {name: getattr(live or job, name) for name in
              ("rows_done", "created", "updated", "unchanged", "rejected", "rate")}  # fmt: skip
    total = job.total_rows
    return {
        "id": str(job.id), "status": job.status, "finished": job.status in FINISHED,
        "total_rows": total, **counts,
        "progress": min(1.0, counts["rows_done"] / total) if total else None,
        "message": job.message,
    }  # fmt: skip


def _upload_page(
    request: Request, db, principal: Principal, *, form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    context = {
        "title": "Import contacts",
        "form": form or {"match": "email", "mode": "valid_rows"},
        "errors": errors or {},
        "labels": LABELS,
        "match_labels": MATCH_LABELS,
        "mode_labels": MODE_LABELS,
        "account_labels": ACCOUNT_LABELS,
        "unmapped_labels": UNMAPPED_LABELS,
        "mappings": [
            (m.name, m.name) for m in service.list_mappings(db=db, tenant_id=principal.tenant_id)
        ],
        "jobs": service.list_jobs(db=db, tenant_id=principal.tenant_id, limit=10),
    }
    return render(
        request, "imports/upload.html", context, principal=principal, status_code=status_code
    )


@router.get("/import")
def upload_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    launch.importer(principal)
    return _upload_page(request, db, principal)


@router.post("/import")
def upload(request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm) -> Response:
    """Store the file and start a dry run: nothing is written before the user has seen it."""
    actor = launch.importer(principal)
    form = {k: form_text(posted, k) or "" for k in ("match", "mode", "mapping_name", "accounts",
                                                     "keep_unmapped")}  # fmt: skip
    file = posted.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        errors = {"file": "choose a .csv, .xlsx, .jsonl or .vcf file"}
        return _upload_page(request, db, principal, form=form, errors=errors, status_code=422)
    path = None
    try:
        path = service.store_upload(
            data_dir=request.app.state.settings.data_dir, tenant_id=principal.tenant_id,
            filename=file.filename, source=file.file,
        )  # fmt: skip
        job = launch.start(
            db=db, session_factory=request.app.state.session_factory,
            tenant_id=principal.tenant_id, actor=actor, filename=file.filename, file_path=path,
            match=form["match"], mode=form["mode"], dry_run=True,
            mapping_name=form["mapping_name"] or None, accounts=form["accounts"] or "create",
            keep_unmapped=form["keep_unmapped"] == "keep",
        )  # fmt: skip
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        if path is not None:
            path.unlink(missing_ok=True)
        errors = exc.by_field() if isinstance(exc, ValidationFailed) else {"file": exc.message}
        return _upload_page(request, db, principal, form=form, errors=errors, status_code=422)
    return RedirectResponse(_job_url(job), status_code=303)


@router.get("/imports/{import_id}")
def job_page(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    job = _job(db, principal, import_id)
    return _job_page(request, db, principal, job)


def _job_page(
    request: Request, db, principal: Principal, job: ImportJob, *,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    headers = job.options.get("headers", [])
    columns = job.options.get("columns", {})
    report = describe(headers, columns, bool(job.options.get("keep_unmapped")))
    context = {
        "title": f"Import {job.filename}",
        "job": job,
        "status": status_of(request, job),
        "options": job.options,
        "columns": [(i, h, columns.get(h), r["note"], r["ignored"])
                    for i, (h, r) in enumerate(zip(headers, report, strict=True))],
        "account_labels": ACCOUNT_LABELS,
        "unmapped_labels": UNMAPPED_LABELS,
        "fields": [(f, FIELD_LABELS[f]) for f in MAPPABLE] + [
            (f"cf.{key}", f"{label} (custom field)")
            for key, label in service.custom_columns(db=db, tenant_id=principal.tenant_id)
        ],
        "rejected_rows": service.rejections(db=db, job=job, limit=50),
        "possible_duplicates": service.possible_duplicates(db=db, job=job),
        "file_kept": service.file_kept(job),
        "errors": errors or {},
        "labels": LABELS,
        "match_labels": MATCH_LABELS,
        "mode_labels": MODE_LABELS,
    }
    return render(
        request, "imports/job.html", context, principal=principal, status_code=status_code
    )


@router.get("/imports/{import_id}/status")
def job_status(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> JSONResponse:
    """Progress of the job for the page's polling: rows done, rejected, rate, finished."""
    return JSONResponse(status_of(request, _job(db, principal, import_id)))


def _posted_mapping(posted: FormData, job: ImportJob) -> dict[str, str | None]:
    """{header: field or None} from the selects, which are named by column position."""
    headers = job.options.get("headers", [])
    return {h: form_text(posted, f"column-{i}") for i, h in enumerate(headers)}


@router.post("/imports/{import_id}/dry-run")
def dry_run_again(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: UiPrincipal,
    posted: PostedForm,
) -> Response:  # fmt: skip
    """Check the same file again with the mapping, match key and mode chosen on the page."""
    job = _job(db, principal, import_id)
    try:
        new = launch.again(
            db=db, session_factory=request.app.state.session_factory, job=job,
            actor=launch.importer(principal), dry_run=True,
            match=form_text(posted, "match"), mode=form_text(posted, "mode"),
            mapping=_posted_mapping(posted, job),
            save_mapping_as=form_text(posted, "save_mapping_as"),
            accounts=form_text(posted, "accounts"),
            keep_unmapped=form_text(posted, "keep_unmapped") == "keep",
        )  # fmt: skip
    except ValidationFailed as exc:
        db.rollback()
        job = _job(db, principal, import_id)
        return _job_page(request, db, principal, job, errors=exc.by_field(), status_code=422)
    if form_text(posted, "save_mapping_as"):
        get_session(request).flash(f"Mapping saved as “{form_text(posted, 'save_mapping_as')}”.")
    return RedirectResponse(_job_url(new), status_code=303)


@router.post("/imports/{import_id}/import")
def import_for_real(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    """After a dry run: import the same file with the same options and mapping."""
    job = _job(db, principal, import_id)
    if not job.options.get("dry_run"):
        raise Conflict("This import already ran for real.")
    new = launch.again(
        db=db, session_factory=request.app.state.session_factory, job=job,
        actor=launch.importer(principal), dry_run=False,
    )  # fmt: skip
    return RedirectResponse(_job_url(new), status_code=303)


@router.post("/imports/{import_id}/rollback")
def rollback(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    job = _job(db, principal, import_id)
    report = rollback_service.rollback(db=db, tenant=principal.tenant, job=job,
                                       actor=principal.actor)  # fmt: skip
    kept = f", {report.kept} kept (changed since)" if report.kept else ""
    get_session(request).flash(
        f"Import rolled back: {report.deleted} contacts deleted, {report.restored} restored{kept}."
    )
    return RedirectResponse(_job_url(job), status_code=303)


@router.get("/imports/{import_id}/rejected.csv")
def rejected_csv(
    request: Request, import_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> StreamingResponse:
    job = _job(db, principal, import_id)
    body = service.rejected_csv(session_factory=request.app.state.session_factory,
                                tenant_id=job.tenant_id, import_id=job.id)  # fmt: skip
    name = job.filename.rsplit(".", 1)[0] or "import"
    headers = {"Content-Disposition": f'attachment; filename="{name}-rejected.csv"'}
    return StreamingResponse(body, media_type="text/csv; charset=utf-8", headers=headers)

