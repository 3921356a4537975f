"""Duplicate candidates and merging (supervisors and administrators; checks for everyone)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from rapport.contacts import service as contacts_service
from rapport.contacts.present import contact_out
from rapport.contacts.schemas import ContactCreate
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.schemas import ERROR_RESPONSES, GONE
from rapport.duplicates import service
from rapport.duplicates.merge import merge
from rapport.duplicates.schemas import DuplicateOut, DuplicatePairOut, MergeIn, MergeOut

router = APIRouter(prefix="/api/v1", tags=["duplicates"], responses=ERROR_RESPONSES)


def _out(matches: list[service.Match]) -> list[DuplicateOut]:
    return [
        DuplicateOut(contact=contact_out(m.contact), score=round(m.score, 3), reasons=m.reasons)
        for m in matches
    ]


@router.post("/duplicates/check", response_model=list[DuplicateOut])
def check_new_contact(
    body: ContactCreate, db: DbSession, principal: CurrentPrincipal
) -> list[DuplicateOut]:
    """Likely duplicates of a contact about to be created: call before saving."""
    record = service.comparable_record(
        db=db, tenant=principal.tenant, values=body.model_dump(exclude_unset=True)
    )
    return _out(service.find_for(db=db, tenant_id=principal.tenant_id, record=record))


@router.get(
    "/contacts/{contact_id}/duplicates", response_model=list[DuplicateOut], responses=GONE
)
def duplicates_of(
    contact_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> list[DuplicateOut]:
    """Contacts that look like this one, best first, with the reasons."""
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    matches = service.find_for(
        db=db, tenant_id=principal.tenant_id, record=contact, exclude_id=contact.id
    )
    return _out(matches)


@router.get("/duplicates", response_model=list[DuplicatePairOut])
def candidate_pairs(
    db: DbSession,
    principal: CurrentPrincipal,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> list[DuplicatePairOut]:
    """Candidate pairs across the tenant, ranked by score (supervisors and administrators)."""
    principal.require("supervisor", "review duplicates")
    pairs = service.list_pairs(db=db, tenant_id=principal.tenant_id, limit=limit)
    return [
        DuplicatePairOut(
            first=contact_out(p.first),
            second=contact_out(p.second),
            score=p.score,
            reasons=p.reasons,
        )  # fmt: skip
        for p in pairs
    ]


@router.post("/contacts/merge", response_model=MergeOut, responses=GONE)
def merge_contacts(body: MergeIn, db: DbSession, principal: CurrentPrincipal) -> MergeOut:
    """Merge contacts into one, in one transaction. The merged ids then answer 410 Gone with
    the survivor's id. Never automatic (supervisors and administrators)."""
    principal.require("supervisor", "merge contacts")
    survivor, moved = merge(
        db=db,
        tenant=principal.tenant,
        survivor_id=body.survivor_id,
        merged_ids=body.merged_ids,
        choices=body.fields,
        actor=principal.actor,
    )
    return MergeOut(contact=contact_out(survivor), moved=moved)
