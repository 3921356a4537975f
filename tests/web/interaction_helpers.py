"""Interactions and notes for page tests, made through the real services."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rapport.contacts.models import Contact
from rapport.interactions import service as interactions_service
from rapport.interactions.models import Interaction
from rapport.notes import service as notes_service
from rapport.notes.models import Note
from rapport.tenants.models import Tenant


def make_interaction(db: Session, tenant: Tenant, contact: Contact, **values: Any) -> Interaction:
    values = {
        "channel": "chat",
        "direction": "inbound",
        "address": "someone@example.com",
        "contact_id": contact.id,
        "subject": "Delivery question",
        **values,
    }
    interaction, _ = interactions_service.record(db=db, tenant=tenant, values=values)
    db.commit()
    return interaction


def make_note(db: Session, persona, contact: Contact, body: str, **values: Any) -> Note:
    from rapport.core.auth import Principal

    principal = Principal(tenant=persona.tenant, user=persona.user, via="ui")
    note = notes_service.create(
        db=db, principal=principal, contact=contact, values={"body": body, **values}
    )
    db.commit()
    return note
