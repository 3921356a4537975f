"""Settings pages for webhooks: endpoints, their delivery log, redelivery (administrators)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import ValidationFailed
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render
from rapport.webhooks import service
from rapport.webhooks.models import EVENT_TYPES

router = APIRouter(prefix="/settings/webhooks", include_in_schema=False,
                   dependencies=CSRF_PROTECTED)  # fmt: skip
LABELS = {"url": "URL", "description": "Description", "event_types": "Events",
          "secret": "Signing secret"}  # fmt: skip


def _admin(principal: Principal) -> Principal:
    principal.require("admin", "manage webhooks")
    return principal


def _form(posted) -> dict:
    return {
        "url": form_text(posted, "url") or "",
        "description": form_text(posted, "description") or "",
        "event_types": [t for t in posted.getlist("event_types") if isinstance(t, str)],
    }


def _list_page(
    request: Request,
    db,
    principal: Principal,
    *,
    form: dict | None = None,
    errors: dict | None = None,
    created=None,
    status_code: int = 200,
) -> Response:
    context = {
        "endpoints": service.list_endpoints(db=db, tenant_id=principal.tenant_id),
        "event_types": EVENT_TYPES,
        "form": form or {"event_types": list(EVENT_TYPES)},
        "errors": errors or {},
        "labels": LABELS,
        "created": created,
        "title": "Webhooks",
        "tab": "webhooks",
    }
    response = render(request, "webhooks/list.html", context, principal=principal,
                      status_code=status_code)  # fmt: skip
    if created:
        response.headers["Cache-Control"] = "no-store"  # the secret must not linger in caches
    return response


@router.get("")
def webhooks_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    _admin(principal)
    return _list_page(request, db, principal)


@router.post("")
def create_endpoint(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    _admin(principal)
    form = _form(posted)
    try:
        endpoint = service.create(db=db, tenant_id=principal.tenant_id, values=form,
                                  actor=principal.actor)  # fmt: skip
    except ValidationFailed as exc:
        db.rollback()
        return _list_page(request, db, principal, form=form, errors=exc.by_field(),
                          status_code=422)  # fmt: skip
    return _list_page(request, db, principal, created=endpoint, status_code=201)


def _endpoint_page(request: Request, db, principal: Principal, endpoint, *,
                   form: dict | None = None, errors: dict | None = None,
                   status_code: int = 200) -> Response:  # fmt: skip
    deliveries = service.list_deliveries(db=db, endpoint=endpoint, limit=50)
    context = {
        "endpoint": endpoint,
        "deliveries": deliveries,
        "logs": {d.id: service.attempts_of(db=db, delivery=d) for d in deliveries},
        "event_types": EVENT_TYPES,
        "form": form or {"url": endpoint.url, "description": endpoint.description,
                         "event_types": endpoint.event_types},  # fmt: skip
        "errors": errors or {},
        "labels": LABELS,
        "title": "Webhook endpoint",
        "tab": "webhooks",
    }
    return render(request, "webhooks/endpoint.html", context, principal=principal,
                  status_code=status_code)  # fmt: skip


@router.get("/{endpoint_id}")
def endpoint_page(
    request: Request, endpoint_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    return _endpoint_page(request, db, principal, endpoint)


@router.post("/{endpoint_id}")
def change_endpoint(
    request: Request, endpoint_id: uuid.UUID, db: DbSession, principal: UiPrincipal,
    posted: PostedForm,
) -> Response:  # fmt: skip
    """Save the form, or switch the endpoint on or off (`enabled` = 1 or 0)."""
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    switch = form_text(posted, "enabled")
    changes = {"enabled": switch == "1"} if switch in ("0", "1") else _form(posted)
    try:
        service.update(db=db, endpoint=endpoint, changes=changes, actor=principal.actor)
    except ValidationFailed as exc:
        db.rollback()
        return _endpoint_page(request, db, principal, endpoint, form=changes,
                              errors=exc.by_field(), status_code=422)  # fmt: skip
    state = "on" if endpoint.enabled else "off"
    get_session(request).flash(f"Webhook endpoint saved; it is {state}.")
    return RedirectResponse(f"/settings/webhooks/{endpoint.id}", status_code=303)


@router.post("/{endpoint_id}/delete")
def delete_endpoint(
    request: Request, endpoint_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    service.remove(db=db, endpoint=endpoint, actor=principal.actor)
    get_session(request).flash(f"Webhook endpoint {endpoint.url} removed.")
    return RedirectResponse("/settings/webhooks", status_code=303)


@router.post("/{endpoint_id}/deliveries/{delivery_id}/redeliver")
def redeliver(
    request: Request, endpoint_id: uuid.UUID, delivery_id: uuid.UUID, db: DbSession,
    principal: UiPrincipal,
) -> Response:  # fmt: skip
    _admin(principal)
    endpoint = service.get(db=db, tenant_id=principal.tenant_id, endpoint_id=endpoint_id)
    delivery = service.get_delivery(db=db, endpoint=endpoint, delivery_id=delivery_id)
    service.redeliver(db=db, delivery=delivery)
    get_session(request).flash(f"Event {delivery.event_type} queued to be sent again.")
    return RedirectResponse(f"/settings/webhooks/{endpoint.id}", status_code=303)
