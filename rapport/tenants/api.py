"""Tenant settings: read by everyone in the tenant, changed by administrators."""

from __future__ import annotations

from fastapi import APIRouter

from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.schemas import ERROR_RESPONSES
from rapport.tenants import service
from rapport.tenants.schemas import TenantSettingsOut, TenantSettingsUpdate

router = APIRouter(prefix="/api/v1/tenant", tags=["tenant"], responses=ERROR_RESPONSES)


@router.get("", response_model=TenantSettingsOut)
def get_settings(principal: CurrentPrincipal) -> TenantSettingsOut:
    """Your tenant's settings."""
    return TenantSettingsOut.model_validate(principal.tenant)


@router.patch("", response_model=TenantSettingsOut)
def update_settings(
    body: TenantSettingsUpdate, db: DbSession, principal: CurrentPrincipal
) -> TenantSettingsOut:
    """Change tenant settings, e.g. enable Personality Insights (administrators)."""
    principal.require("admin", "change tenant settings")
    tenant = service.update_settings(
        db=db,
        tenant=principal.tenant,
        changes=body.model_dump(exclude_unset=True),
        actor=principal.actor,
    )
    return TenantSettingsOut.model_validate(tenant)
