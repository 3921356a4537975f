"""REST routes for contacts. Thin: parse, authorise, call the service, shape the answer."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from sqlalchemy.orm import Session

from rapport.contacts import listing, service
from rapport.contacts import points as contact_points
from rapport.contacts.present import contact_out
from rapport.contacts.schemas import ContactCreate, ContactOut, ContactUpdate
from rapport.core.api_request import ApiContext, ApiRequest
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.http import IfMatch, expected_version, set_etag
from rapport.core.idempotency import Idempotency, RequestIdempotencyKey
from rapport.core.inputs import Cursor
from rapport.core.schemas import (
    ERROR_RESPONSES,
    GONE,
    STALE,
    Limit,
    Page,
    conflict,
    with_etag,
)
from rapport.customfields import query as cf_query

TAKEN = conflict("Another contact has this email or external id: `field`, `existing_contact_id`.")

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[ContactOut])
async def list_contacts(
    request: Request,
    ctx: ApiContext,
    limit: Limit = 50,
    cursor: Cursor = None,
    sort: Annotated[
        str,
        Query(
            pattern=r"^-?(name|updated|cf\.[a-z][a-z0-9_]{0,49})$",
            description="`name`, `-updated` for the most recently changed first, or a custom "
            "field: `cf.KEY` (`-cf.KEY` descending).",
        ),
    ] = "name",
    account: Annotated[str | None, Query(description="Account id or identifier.")] = None,
    priority: Annotated[int | None, Query(ge=1, le=5)] = None,
    country: Annotated[str | None, Query(description="Country code or name.")] = None,
    phone: Annotated[
        str | None,
        Query(description="A number in any format; matches phone or mobile (screen pop)."),
    ] = None,
    email: Annotated[str | None, Query(description="Exact address, any case.")] = None,
    q: Annotated[str | None, Query(description="Prefix of name, email or phone digits.")] = None,
) -> Page[ContactOut]:
    """List the tenant's contacts, a page at a time, filtered and sorted.

    Custom fields filter as `cf.KEY=value` (equal; a multiple-choice field: includes),
    `cf.KEY[ne]=value`, `cf.KEY[lt|lte|gt|gte]=value` (number and date fields) and
    `cf.KEY[empty]=true|false`; values are read by the field's type."""
    filters = listing.ContactFilters(
        account=account, priority=priority, country=country, phone=phone, email=email, q=q,
        custom=cf_query.parse_params(request.query_params),
    )  # fmt: skip
    return await ctx.run_read(_page, ctx, filters, sort, limit, cursor)


def _page(
    db: Session,
    ctx: ApiRequest,
    filters: listing.ContactFilters,
    sort: str,
    limit: int,
    cursor: str | None,
) -> Page[ContactOut]:
    tenant = ctx.tenant  # read only: a page needs no principal in the session
    rows, next_cursor = listing.list_contacts(
        db=db, tenant=tenant, filters=filters, sort=sort, limit=limit, cursor=cursor,
        with_lists=False,
    )  # fmt: skip
    # The points as plain rows (ORM objects for them were a quarter of a page's time); the
    # few addresses as records.
    points = contact_points.of_contacts(db, tenant.id, [c.id for c in rows])
    listing.load_lists(db, tenant.id, rows, names=("addresses",))
    items = [contact_out(c, points.get(c.id, [])) for c in rows]
    return Page[ContactOut](items=items, next_cursor=next_cursor)


@router.post(
    "",
    response_model=ContactOut,
    status_code=status.HTTP_201_CREATED,
    responses={**TAKEN, **with_etag(201)},
)
async def create_contact(
    body: ContactCreate, ctx: ApiContext, response: Response, idempotency: RequestIdempotencyKey
) -> ContactOut:
    """Create a contact. Every field is validated and normalised; all errors come at once."""
    return await ctx.run(_create, body, ctx, response, idempotency)


def _create(
    body: ContactCreate, ctx: ApiRequest, response: Response, idempotency: Idempotency
) -> ContactOut:
    db, principal = ctx.db, ctx.principal
    contact = service.create(
        db=db,
        tenant=principal.tenant,
        values=body.model_dump(exclude_unset=True),
        actor=principal.actor,
        role=principal.role,
    )
    set_etag(response, contact.version)
    response.headers["Location"] = f"/api/v1/contacts/{contact.id}"
    out = contact_out(contact)
    idempotency.remember(response, out, status.HTTP_201_CREATED)
    return out


@router.get("/{contact_id}", response_model=ContactOut, responses={**GONE, **with_etag()})
async def get_contact(contact_id: uuid.UUID, ctx: ApiContext, response: Response) -> ContactOut:
    """One contact, with an `ETag` to send back as `If-Match` when changing it."""
    out = await ctx.run(_read, ctx.db, ctx.tenant_id, contact_id)
    set_etag(response, out.version)
    return out


def _read(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> ContactOut:
    return contact_out(service.get(db=db, tenant_id=tenant_id, contact_id=contact_id))


@router.patch(
    "/{contact_id}",
    response_model=ContactOut,
    responses={**TAKEN, **GONE, **STALE, **with_etag()},
)
def update_contact(
    contact_id: uuid.UUID,
    body: ContactUpdate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> ContactOut:
    """Change the fields sent (`null` clears one). The whole record is re-validated."""
    contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    contact = service.update(
        db=db,
        tenant=principal.tenant,
        contact=contact,
        changes=body.model_dump(exclude_unset=True),
        expected_version=expected_version(if_match),
        actor=principal.actor,
        role=principal.role,
    )
    set_etag(response, contact.version)
    return contact_out(contact)


@router.delete(
    "/{contact_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**GONE, **STALE},
)
def delete_contact(
    contact_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Delete a contact (supervisors and administrators)."""
    principal.require("supervisor", "delete contacts")
    contact = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    service.delete_contact(
        db=db, contact=contact, expected_version=expected_version(if_match), actor=principal.actor
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
