"""Read-only audit trail: a contact's activity for everyone, the tenant-wide view for admins."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from rapport.audit import service
from rapport.audit.schemas import AuditEventOut
from rapport.contacts import service as contacts_service
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.inputs import Cursor, Moment
from rapport.core.schemas import ERROR_RESPONSES, GONE, Limit, Page

router = APIRouter(prefix="/api/v1", tags=["audit"], responses=ERROR_RESPONSES)


@router.get(
    "/contacts/{contact_id}/activity", response_model=Page[AuditEventOut], responses=GONE
)
def contact_activity(
    contact_id: uuid.UUID,
    db: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[AuditEventOut]:
    """Who changed this contact, when, from where, field by field; newest first."""
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    rows, next_cursor = service.list_events(
        db=db,
        tenant_id=principal.tenant_id,
        record_type="contact",
        record_id=contact_id,
        limit=limit,
        cursor=cursor,
    )
    return Page[AuditEventOut](
        items=[AuditEventOut.model_validate(e) for e in rows], next_cursor=next_cursor
    )


@router.get("/audit", response_model=Page[AuditEventOut])
def tenant_audit(
    db: DbSession,
    principal: CurrentPrincipal,
    user_id: Annotated[uuid.UUID | None, Query(description="Changes made by this user.")] = None,
    record_type: Annotated[
        str | None, Query(description="`contact`, `account`, `note`, `tenant`, ...")
    ] = None,
    record_id: uuid.UUID | None = None,
    since: Annotated[Moment | None, Query(alias="from")] = None,
    until: Annotated[Moment | None, Query(alias="to")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[AuditEventOut]:
    """The tenant's whole audit trail, filterable (administrators)."""
    principal.require("admin", "read the audit trail")
    rows, next_cursor = service.list_events(
        db=db,
        tenant_id=principal.tenant_id,
        record_type=record_type,
        record_id=record_id,
        actor_user_id=user_id,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )
    return Page[AuditEventOut](
        items=[AuditEventOut.model_validate(e) for e in rows], next_cursor=next_cursor
    )
