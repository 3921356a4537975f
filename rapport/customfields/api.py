"""REST routes for the workspace's custom fields (administrators change them; all read)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.http import IfMatch, expected_version, set_etag
from rapport.core.schemas import ERROR_RESPONSES
from rapport.customfields import service
from rapport.customfields.schemas import (
    CustomFieldCreate,
    CustomFieldOut,
    CustomFieldUpdate,
    PurgeOut,
)

router = APIRouter(
    prefix="/api/v1/custom-fields", tags=["custom fields"], responses=ERROR_RESPONSES
)


@router.get("", response_model=list[CustomFieldOut])
def list_fields(
    db: DbSession, principal: CurrentPrincipal, include_deleted: bool = False
) -> list[CustomFieldOut]:
    """The contact fields this workspace defined, in form order."""
    found = service.definitions(
        db=db, tenant_id=principal.tenant_id, include_deleted=include_deleted
    )
    return [CustomFieldOut.model_validate(f) for f in found]


@router.post("", response_model=CustomFieldOut, status_code=status.HTTP_201_CREATED)
def create_field(
    body: CustomFieldCreate, db: DbSession, principal: CurrentPrincipal, response: Response
) -> CustomFieldOut:
    """Define a field (administrators). Contacts then carry its value in `custom_fields`."""
    principal.require("admin", "define custom fields")
    field = service.create(
        db=db,
        tenant_id=principal.tenant_id,
        values=body.model_dump(exclude_unset=True),
        actor=principal.actor,
    )
    set_etag(response, field.version)
    response.headers["Location"] = f"/api/v1/custom-fields/{field.key}"
    return CustomFieldOut.model_validate(field)


@router.get("/{key}", response_model=CustomFieldOut)
def get_field(
    key: str, db: DbSession, principal: CurrentPrincipal, response: Response
) -> CustomFieldOut:
    field = service.get(db=db, tenant_id=principal.tenant_id, key=key)
    set_etag(response, field.version)
    return CustomFieldOut.model_validate(field)


@router.patch("/{key}", response_model=CustomFieldOut)
def update_field(
    key: str,
    body: CustomFieldUpdate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> CustomFieldOut:
    """Change a field's label, choices, order, roles or where it shows. Values stay."""
    principal.require("admin", "change custom fields")
    field = service.get(db=db, tenant_id=principal.tenant_id, key=key)
    field = service.update_field(
        db=db,
        field=field,
        changes=body.model_dump(exclude_unset=True),
        expected_version=expected_version(if_match),
        actor=principal.actor,
    )
    set_etag(response, field.version)
    return CustomFieldOut.model_validate(field)


@router.delete("/{key}", status_code=status.HTTP_204_NO_CONTENT)
def delete_field(key: str, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Hide a field. Its values stay on the contacts until purged; restore brings it back."""
    principal.require("admin", "delete custom fields")
    field = service.get(db=db, tenant_id=principal.tenant_id, key=key)
    service.delete_field(db=db, field=field, actor=principal.actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{key}/restore", response_model=CustomFieldOut)
def restore_field(key: str, db: DbSession, principal: CurrentPrincipal) -> CustomFieldOut:
    principal.require("admin", "restore custom fields")
    field = service.get(db=db, tenant_id=principal.tenant_id, key=key)
    service.restore_field(db=db, field=field, actor=principal.actor)
    return CustomFieldOut.model_validate(field)


@router.post("/{key}/purge", response_model=PurgeOut)
def purge_field(key: str, db: DbSession, principal: CurrentPrincipal) -> PurgeOut:
    """Erase a deleted field's values from every contact, then the field itself (audited)."""
    principal.require("admin", "purge custom fields")
    field = service.get(db=db, tenant_id=principal.tenant_id, key=key)
    return PurgeOut(purged_contacts=service.purge_field(db=db, field=field, actor=principal.actor))
