"""A person's data: export everything about a contact, or erase it (administrators)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from pydantic import Field

from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.schemas import ERROR_RESPONSES, GONE, InputModel
from rapport.privacy import service

router = APIRouter(prefix="/api/v1/contacts", tags=["personal data"], responses=ERROR_RESPONSES)


class EraseIn(InputModel):
    confirm: bool = Field(description="Must be true: erasure cannot be undone.")


@router.get("/{contact_id}/export", responses=GONE)
def export_personal_data(
    contact_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Everything held about one contact as one JSON document: the record, notes,
    interactions and transcripts, personality examples and profile, and activity
    (supervisors and administrators)."""
    principal.require("supervisor", "export a person's data")
    return service.export(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)


@router.post("/{contact_id}/erase", responses=GONE)
def erase_personal_data(
    contact_id: uuid.UUID, body: EraseIn, db: DbSession, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Erase a contact: the record, notes, examples and profile are removed, the contact's own
    words in transcripts are anonymised, interactions keep only channel, times and queue, and
    the audit trail keeps only that an erasure happened and by whom (administrators)."""
    principal.require("admin", "erase a person's data")
    counts = service.erase(
        db=db,
        tenant_id=principal.tenant_id,
        contact_id=contact_id,
        confirm=body.confirm,
        actor=principal.actor,
    )
    return {"erased": True, "contact_id": str(contact_id), "counts": counts}
