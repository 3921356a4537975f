"""A person's erasure empties the webhook events about them that are kept or still waiting:
only the event's type, record id and the fact of the erasure remain."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.contacts.models import ContactRedirect
from rapport.privacy.service import Section, register_section
from rapport.webhooks.models import WebhookDelivery


def _about(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[WebhookDelivery]:
    merged = select(ContactRedirect.id).where(
        ContactRedirect.tenant_id == tenant_id, ContactRedirect.survivor_id == contact_id
    )
    return list(db.scalars(select(WebhookDelivery).where(
        WebhookDelivery.tenant_id == tenant_id,
        (WebhookDelivery.contact_id == contact_id) | WebhookDelivery.contact_id.in_(merged),
    )))  # fmt: skip


def _export(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[dict]:
    return [
        {"event_id": str(d.event_id), "type": d.event_type, "status": d.status,
         "created_at": d.created_at.isoformat()}
        for d in _about(db, tenant_id, contact_id)
    ]  # fmt: skip


def _erase(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> int:
    deliveries = _about(db, tenant_id, contact_id)
    for delivery in deliveries:
        data = delivery.payload.get("data") or {}
        delivery.payload = {
            **delivery.payload,
            "data": {"object": data.get("object"), "id": data.get("id"), "erased": True},
        }
    db.flush()
    return len(deliveries)


register_section("webhooks", Section(export=_export, erase=_erase))
