"""Webhook endpoints of a tenant, their deliveries and manual redelivery. Administrators only
(the routes and pages check the role); every change of an endpoint is in the audit trail."""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rapport.audit import service as audit
from rapport.core.auth import Actor
from rapport.core.db import utcnow
from rapport.core.errors import FieldCollector, NotFound
from rapport.core.ids import new_id
from rapport.webhooks.models import EVENT_TYPES, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from rapport.webhooks.outbox import forget_endpoints

LOG_RETENTION = timedelta(days=30)  # delivered and failed deliveries are kept this long
AUDITED = ("url", "description", "event_types", "enabled")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def _normalize(values: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    errors = FieldCollector()
    clean: dict[str, Any] = {}
    if "url" in values or not partial:
        url = (values.get("url") or "").strip()
        parts = urlsplit(url)
        if not url:
            errors.add("url", "is required")
        elif len(url) > 2000:
            errors.add("url", "must be at most 2000 characters")
        elif parts.scheme not in ("http", "https") or not parts.hostname:
            errors.add("url", "must be an http:// or https:// URL with a host name")
        elif parts.username or parts.password:
            errors.add("url", "must not carry a user name or password; the signature "
                              "proves who is sending")  # fmt: skip
        clean["url"] = url
    if "event_types" in values or not partial:
        types = values.get("event_types") or []
        unknown = [t for t in types if t not in EVENT_TYPES]
        if not types:
            errors.add("event_types", "choose at least one event type")
        elif unknown:
            errors.add("event_types", f"unknown event type {unknown[0]!r}; one of "
                                      + ", ".join(EVENT_TYPES))  # fmt: skip
        clean["event_types"] = [t for t in EVENT_TYPES if t in types]
    if "description" in values:
        description = (values.get("description") or "").strip()
        if len(description) > 200:
            errors.add("description", "must be at most 200 characters")
        clean["description"] = description
    if values.get("secret") is not None:
        secret = values["secret"].strip()
        if not 16 <= len(secret) <= 200:
            errors.add("secret", "must be 16 to 200 characters (leave it out to get one)")
        clean["secret"] = secret
    if "enabled" in values and values["enabled"] is not None:
        clean["enabled"] = bool(values["enabled"])
    errors.raise_if_any()
    return clean


def _snapshot(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {field: getattr(endpoint, field) for field in AUDITED}


def _audit(db: Session, endpoint: WebhookEndpoint, actor: Actor | None, action: str,
           before: dict | None, after: dict | None) -> None:  # fmt: skip
    audit.record(db=db, tenant_id=endpoint.tenant_id, actor=actor, action=action,
                 record_type="webhook_endpoint", record_id=endpoint.id, label=endpoint.url[:320],
                 before=before, after=after)  # fmt: skip


def create(
    *, db: Session, tenant_id: uuid.UUID, values: dict[str, Any], actor: Actor | None = None
) -> WebhookEndpoint:
    clean = _normalize(values, partial=False)
    endpoint = WebhookEndpoint(
        tenant_id=tenant_id, id=new_id(), url=clean["url"],
        description=clean.get("description", ""), secret=clean.get("secret") or new_secret(),
        event_types=clean["event_types"], enabled=clean.get("enabled", True),
        created_by_user_id=actor.user_id if actor else None,
    )  # fmt: skip
    db.add(endpoint)
    db.flush()
    forget_endpoints(db)
    _audit(db, endpoint, actor, "create", None, _snapshot(endpoint))
    return endpoint


def list_endpoints(*, db: Session, tenant_id: uuid.UUID) -> list[WebhookEndpoint]:
    return list(db.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.tenant_id == tenant_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    ))  # fmt: skip


def get(*, db: Session, tenant_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    endpoint = db.get(WebhookEndpoint, (tenant_id, endpoint_id))
    if endpoint is None:
        raise NotFound("No webhook endpoint with this id.")
    return endpoint


def update(
    *, db: Session, endpoint: WebhookEndpoint, changes: dict[str, Any], actor: Actor | None = None
) -> WebhookEndpoint:
    """Change an endpoint; switching it on again clears an automatic switch-off."""
    clean = _normalize(changes, partial=True)
    before = _snapshot(endpoint)
    for field, value in clean.items():
        setattr(endpoint, field, value)
    if clean.get("enabled"):
        endpoint.disabled_at = endpoint.disabled_reason = endpoint.failing_since = None
    elif clean.get("enabled") is False and endpoint.disabled_at is None:
        endpoint.disabled_at = utcnow()
    db.flush()
    forget_endpoints(db)
    _audit(db, endpoint, actor, "update", before, _snapshot(endpoint))
    return endpoint


def remove(*, db: Session, endpoint: WebhookEndpoint, actor: Actor | None = None) -> None:
    _audit(db, endpoint, actor, "delete", _snapshot(endpoint), None)
    db.delete(endpoint)
    db.flush()
    forget_endpoints(db)


def list_deliveries(
    *, db: Session, endpoint: WebhookEndpoint, limit: int = 50, status: str | None = None
) -> list[WebhookDelivery]:
    """Newest first."""
    query = select(WebhookDelivery).where(
        WebhookDelivery.tenant_id == endpoint.tenant_id,
        WebhookDelivery.endpoint_id == endpoint.id,
    )
    if status:
        query = query.where(WebhookDelivery.status == status)
    query = query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc())
    return list(db.scalars(query.limit(limit)))


def get_delivery(
    *, db: Session, endpoint: WebhookEndpoint, delivery_id: uuid.UUID
) -> WebhookDelivery:
    delivery = db.get(WebhookDelivery, (endpoint.tenant_id, delivery_id))
    if delivery is None or delivery.endpoint_id != endpoint.id:
        raise NotFound("No delivery with this id for this endpoint.")
    return delivery


def attempts_of(*, db: Session, delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(db.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.tenant_id == delivery.tenant_id,
               WebhookAttempt.delivery_id == delivery.id)
        .order_by(WebhookAttempt.at, WebhookAttempt.id)
    ))  # fmt: skip


def redeliver(*, db: Session, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same event (same id and body) again, as a new delivery with its own retries."""
    again = WebhookDelivery(
        tenant_id=delivery.tenant_id, id=new_id(), endpoint_id=delivery.endpoint_id,
        event_id=delivery.event_id, event_type=delivery.event_type,
        contact_id=delivery.contact_id, payload=delivery.payload, status="pending",
        attempts=0, next_attempt_at=utcnow(), created_at=utcnow(),
    )  # fmt: skip
    db.add(again)
    db.flush()
    return again


def remove_old_deliveries(*, db: Session, now=None) -> int:
    cutoff = (now or utcnow()) - LOG_RETENTION
    return db.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.status.in_(("delivered", "failed")),
            WebhookDelivery.created_at < cutoff,
        )
    ).rowcount
