"""REST route for exporting contacts: streamed, never built in memory."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from rapport.contacts import listing
from rapport.core.db import utcnow
from rapport.core.deps import CurrentPrincipal, DbSession, read_session_factory
from rapport.core.schemas import ERROR_RESPONSES
from rapport.exports import service

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"], responses=ERROR_RESPONSES)

_BINARY = {"type": "string", "format": "binary"}
EXPORTED = {
    200: {
        "description": "The contacts as a file (`Content-Disposition: attachment`): CSV, XLSX "
        "or JSON Lines (one contact object per line), by `format`.",
        "content": {
            media.split(";")[0]: {"schema": _BINARY if suffix == "xlsx" else {"type": "string"}}
            for media, suffix in service.FORMATS.values()
        },
    }
}


@router.get("/export", response_class=StreamingResponse, responses=EXPORTED)
def export_contacts(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    format: Annotated[Literal["csv", "xlsx", "jsonl"], Query()] = "csv",  # noqa: A002
    account: Annotated[str | None, Query(description="Account id or identifier.")] = None,
    priority: Annotated[int | None, Query(ge=1, le=5)] = None,
    country: Annotated[str | None, Query(description="Country code or name.")] = None,
    phone: Annotated[str | None, Query(description="Phone or mobile, any format.")] = None,
    email: Annotated[str | None, Query(description="Exact address, any case.")] = None,
    q: Annotated[str | None, Query(description="Prefix of name, email or phone digits.")] = None,
) -> StreamingResponse:
    """All contacts, or those matching the same filters as `GET /contacts`, as CSV, XLSX or
    JSON Lines, with exactly the columns `POST /imports` accepts (supervisors and admins)."""
    principal.require("supervisor", "export contacts")
    filters = listing.ContactFilters(
        account=account, priority=priority, country=country, phone=phone, email=email, q=q
    )
    # Bad filters answer 422 now, before the streamed 200 has started.
    listing.list_contacts(db=db, tenant=principal.tenant, filters=filters, limit=1)
    media_type, suffix = service.FORMATS[format]
    body = service.export(
        session_factory=read_session_factory(request),
        tenant_id=principal.tenant_id,
        filters=filters,
        file_format=format,
    )
    name = f"contacts-{principal.tenant.slug}-{utcnow():%Y%m%d-%H%M%S}.{suffix}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return StreamingResponse(body, media_type=media_type, headers=headers)
