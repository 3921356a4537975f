"""Export page route: the contacts of the list's current search and filters, as a file."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from rapport.contacts import listing
from rapport.core.db import utcnow
from rapport.core.deps import DbSession
from rapport.core.errors import FieldError, ValidationFailed
from rapport.core.inputs import plain_number
from rapport.exports import service
from rapport.web.deps import UiPrincipal

router = APIRouter(prefix="/contacts", include_in_schema=False)


@router.get("/export")
def export_contacts(
    request: Request,
    db: DbSession,
    principal: UiPrincipal,
    format: str = "csv",  # noqa: A002 - the query parameter's name
    q: str | None = None,
    account: str | None = None,
    priority: str | None = None,
    country: str | None = None,
) -> StreamingResponse:
    """Takes the contact list's own query parameters, so the file holds what the list shows."""
    principal.require("supervisor", "export contacts")
    if format not in service.FORMATS:
        raise ValidationFailed([FieldError("format", "must be csv, xlsx or jsonl")])
    filters = listing.ContactFilters(
        q=q or None, account=account or None, country=country or None,
        priority=plain_number(priority),
    )  # fmt: skip
    # Bad filters answer now, before the streamed 200 has started.
    listing.list_contacts(db=db, tenant=principal.tenant, filters=filters, limit=1)
    media_type, suffix = service.FORMATS[format]
    body = service.export(
        session_factory=request.app.state.session_factory, tenant_id=principal.tenant_id,
        filters=filters, file_format=format,
    )  # fmt: skip
    name = f"contacts-{principal.tenant.slug}-{utcnow():%Y%m%d-%H%M%S}.{suffix}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(body, media_type=media_type, headers=headers)
