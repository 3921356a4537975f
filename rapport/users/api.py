"""REST routes for users and API tokens (administrators), and `/me`."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.idempotency import IdempotencyKeyHeader
from rapport.core.schemas import ERROR_RESPONSES, conflict
from rapport.users import service
from rapport.users.schemas import (
    MeOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserOut,
    UserUpdate,
)

router = APIRouter(prefix="/api/v1", tags=["users and tokens"], responses=ERROR_RESPONSES)


@router.get("/me", response_model=MeOut)
def me(principal: CurrentPrincipal) -> MeOut:
    """Who this token acts as."""
    return MeOut(
        user=UserOut.model_validate(principal.user),
        tenant=principal.tenant.slug,
        role=principal.role,
    )


@router.get("/users", response_model=list[UserOut])
def list_users(db: DbSession, principal: CurrentPrincipal) -> list[UserOut]:
    """The tenant's users (administrators)."""
    principal.require("admin", "manage users")
    return [
        UserOut.model_validate(u) for u in service.list_users(db=db, tenant_id=principal.tenant_id)
    ]


@router.post(
    "/users",
    response_model=UserOut,
    status_code=status.HTTP_201_CREATED,
    responses=conflict("A user with this email already exists in the tenant."),
)
def create_user(body: UserCreate, db: DbSession, principal: CurrentPrincipal) -> UserOut:
    """Add a user (administrators)."""
    principal.require("admin", "manage users")
    user = service.create(db=db, tenant_id=principal.tenant_id, **body.model_dump())
    return UserOut.model_validate(user)


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(
    user_id: uuid.UUID, body: UserUpdate, db: DbSession, principal: CurrentPrincipal
) -> UserOut:
    """Change a user's role or name, or deactivate them (administrators)."""
    principal.require("admin", "manage users")
    user = service.get(db=db, tenant_id=principal.tenant_id, user_id=user_id)
    user = service.update(db=db, user=user, changes=body.model_dump(exclude_unset=True))
    return UserOut.model_validate(user)


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(db: DbSession, principal: CurrentPrincipal) -> list[TokenOut]:
    """API tokens with their last use (administrators)."""
    principal.require("admin", "manage API tokens")
    return [
        TokenOut.model_validate(t)
        for t in service.list_tokens(db=db, tenant_id=principal.tenant_id)
    ]


@router.post("/tokens", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
def create_token(
    body: TokenCreate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: IdempotencyKeyHeader,
) -> TokenCreated:
    """Create an API token. The answer holds the token once; only its hash is kept."""
    principal.require("admin", "manage API tokens")
    user = principal.user
    if body.user_id:
        user = service.get(db=db, tenant_id=principal.tenant_id, user_id=body.user_id)
    token, secret = service.create_token(db=db, user=user, name=body.name)
    out = TokenCreated(**TokenOut.model_validate(token).model_dump(), token=secret)
    idempotency.remember(response, out, status.HTTP_201_CREATED)
    return out


@router.delete("/tokens/{token_id}", response_model=TokenOut)
def revoke_token(token_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal) -> TokenOut:
    """Revoke an API token; it stops working at once (administrators)."""
    principal.require("admin", "manage API tokens")
    token = service.get_token(db=db, tenant_id=principal.tenant_id, token_id=token_id)
    return TokenOut.model_validate(service.revoke_token(db=db, token=token))
