"""REST routes for accounts."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from rapport.accounts import service
from rapport.accounts.schemas import AccountCreate, AccountOut, AccountUpdate
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.http import IfMatch, expected_version, set_etag
from rapport.core.idempotency import IdempotencyKeyHeader
from rapport.core.inputs import Cursor
from rapport.core.schemas import ERROR_RESPONSES, STALE, Limit, Page, conflict, with_etag

TAKEN = conflict("Another account has this identifier: `existing_account_id`.")

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"], responses=ERROR_RESPONSES)


@router.get("", response_model=Page[AccountOut])
def list_accounts(
    db: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    cursor: Cursor = None,
    q: Annotated[
        str | None,
        Query(description="Prefix of the identifier, or words each starting a word of the name."),
    ] = None,
) -> Page[AccountOut]:
    """Accounts ordered by identifier."""
    rows, next_cursor = service.list_accounts(
        db=db, tenant_id=principal.tenant_id, q=q, limit=limit, cursor=cursor
    )
    return Page[AccountOut](
        items=[AccountOut.model_validate(a) for a in rows], next_cursor=next_cursor
    )


@router.post(
    "",
    response_model=AccountOut,
    status_code=status.HTTP_201_CREATED,
    responses={**TAKEN, **with_etag(201)},
)
def create_account(
    body: AccountCreate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: IdempotencyKeyHeader,
) -> AccountOut:
    """Create an account (supervisors and administrators)."""
    principal.require("supervisor", "manage accounts")
    account = service.create(
        db=db, tenant_id=principal.tenant_id, values=body.model_dump(), actor=principal.actor
    )
    set_etag(response, account.version)
    out = AccountOut.model_validate(account)
    idempotency.remember(response, out, status.HTTP_201_CREATED)
    return out


@router.get("/{account_id}", response_model=AccountOut, responses=with_etag())
def get_account(
    account_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal, response: Response
) -> AccountOut:
    """One account with the number of its contacts."""
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    set_etag(response, account.version)
    out = AccountOut.model_validate(account)
    out.contact_count = service.contact_count(
        db=db, tenant_id=principal.tenant_id, account_id=account.id
    )
    return out


@router.patch(
    "/{account_id}", response_model=AccountOut, responses={**TAKEN, **STALE, **with_etag()}
)
def update_account(
    account_id: uuid.UUID,
    body: AccountUpdate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> AccountOut:
    """Change an account (supervisors and administrators)."""
    principal.require("supervisor", "manage accounts")
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    account = service.update(
        db=db,
        account=account,
        changes=body.model_dump(exclude_unset=True),
        expected_version=expected_version(if_match),
        actor=principal.actor,
    )
    set_etag(response, account.version)
    return AccountOut.model_validate(account)


@router.delete(
    "/{account_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**conflict("The account still has contacts: `contact_count`."), **STALE},
)
def delete_account(
    account_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal, if_match: IfMatch = None
) -> Response:
    """Delete an account that has no contacts (supervisors and administrators)."""
    principal.require("supervisor", "manage accounts")
    account = service.get(db=db, tenant_id=principal.tenant_id, account_id=account_id)
    service.delete(
        db=db, account=account, expected_version=expected_version(if_match), actor=principal.actor
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
