"""REST routes for webhook endpoints and their delivery log (administrators)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from rapport.core.auth import Principal
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.idempotency import IdempotencyKeyHeader
from rapport.core.schemas import ERROR_RESPONSES
from rapport.webhooks import service
from rapport.webhooks.schemas import (
    AttemptOut,
    DeliveryDetail,
    DeliveryOut,
    DeliveryStatus,
    EndpointCreate,
    EndpointCreated,
    EndpointOut,
    EndpointUpdate,
)

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"], responses=ERROR_RESPONSES)


def _admin(principal: Principal) -> Principal:
    principal.require("admin", "manage webhooks")
    return principal


@router.get("", response_model=list[EndpointOut])
def list_endpoints(db: DbSession, principal: CurrentPrincipal) -> list[EndpointOut]:
    """The tenant's webhook endpoints, oldest first."""
    _admin(principal)
    endpoints = service.list_endpoints(db=db, tenant_id=principal.tenant_id)
    return [EndpointOut.model_validate(e) for e in endpoints]


@router.post("", response_model=EndpointCreated, status_code=status.HTTP_201_CREATED)
def create_endpoint(
    body: EndpointCreate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: IdempotencyKeyHeader,
) -> EndpointCreated:
    """Register an endpoint. Each event of the chosen types is POSTed to it as JSON, signed
    with the secret (`Rapport-Signature`, see docs/webhooks.md); the answer holds the secret."""
    _admin(principal)
    endpoint = service.create(db=db, tenant_id=principal.tenant_id,
                              values=body.model_dump(), actor=principal.actor)  # fmt: skip
    response.headers["Location"] = f"/api/v1/webhooks/{endpoint.id}"
    out = EndpointCreated(**EndpointOut.model_validate(endpoint).model_dump(),
                          secret=endpoint.secret)  # fmt: skip
    idempotency.remember(response, out, status.HTTP_201_CREATED)
    return out


@router.get("/{endpoint_id}", response_model=EndpointOut)
def get_endpoint(endpoint_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal) -> EndpointOut:
    """One endpoint; `disabled_reason` says why it was switched off, if it was."""
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    return EndpointOut.model_validate(endpoint)


@router.patch("/{endpoint_id}", response_model=EndpointOut)
def update_endpoint(
    endpoint_id: uuid.UUID, body: EndpointUpdate, db: DbSession, principal: CurrentPrincipal
) -> EndpointOut:
    """Change the URL, event types, description or secret, or switch the endpoint off or on."""
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    endpoint = service.update(db=db, endpoint=endpoint, actor=principal.actor,
                              changes=body.model_dump(exclude_unset=True))  # fmt: skip
    return EndpointOut.model_validate(endpoint)


@router.delete("/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_endpoint(endpoint_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Remove an endpoint with its delivery log; nothing more is sent to it."""
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    service.remove(db=db, endpoint=endpoint, actor=principal.actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{endpoint_id}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    endpoint_id: uuid.UUID,
    db: DbSession,
    principal: CurrentPrincipal,
    delivery_status: Annotated[DeliveryStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[DeliveryOut]:
    """The delivery log, newest first: each event's status, attempts and last response code."""
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    deliveries = service.list_deliveries(db=db, endpoint=endpoint, limit=limit,
                                         status=delivery_status)  # fmt: skip
    return [DeliveryOut.model_validate(d) for d in deliveries]


@router.get("/{endpoint_id}/deliveries/{delivery_id}", response_model=DeliveryDetail)
def get_delivery(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> DeliveryDetail:
    """One delivery with the body sent and every attempt (status code, error, duration)."""
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    delivery = service.get_delivery(db=db, endpoint=endpoint, delivery_id=delivery_id)
    return _detail(db, delivery)


def _detail(db, delivery) -> DeliveryDetail:
    log = [AttemptOut.model_validate(a) for a in service.attempts_of(db=db, delivery=delivery)]
    return DeliveryDetail(**DeliveryOut.model_validate(delivery).model_dump(),
                          payload=delivery.payload, log=log)  # fmt: skip


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryDetail,
    status_code=status.HTTP_202_ACCEPTED,
)
def redeliver(
    endpoint_id: uuid.UUID, delivery_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> DeliveryDetail:
    """Send the event again now (same event id and body), as a new delivery with retries."""
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    delivery = service.get_delivery(db=db, endpoint=endpoint, delivery_id=delivery_id)
    return _detail(db, service.redeliver(db=db, delivery=delivery))
