"""Who was that? Create the contact from an interaction, or link an existing one, and offer
to link the other unlinked interactions that came from the same address."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from rapport.core.auth import Principal
from rapport.core.errors import FieldError, NotFound, ValidationFailed
from rapport.interactions.models import Interaction
from rapport.interactions.service import require_hands_on


def unlinked_from_same_address(
    *, db: Session, interaction: Interaction, limit: int = 100
) -> list[Interaction]:
    """Other interactions from this address that no contact is linked to yet, newest first."""
    return list(
        db.scalars(
            select(Interaction)
            .where(
                Interaction.tenant_id == interaction.tenant_id,
                Interaction.address == interaction.address,
                Interaction.contact_id.is_(None),
                Interaction.id != interaction.id,
            )
            .order_by(Interaction.started_at.desc(), Interaction.id.desc())
            .limit(limit)
        )
    )


def _existing_contact(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> Contact:
    try:
        return contacts_service.get(db=db, tenant_id=tenant_id, contact_id=contact_id)
    except NotFound:
        raise ValidationFailed(
            [FieldError("contact_id", "no contact with this id in this tenant")]
        ) from None


def set_contact(
    *,
    db: Session,
    principal: Principal,
    interaction: Interaction,
    contact_id: uuid.UUID | None = None,
    new_contact: dict[str, Any] | None = None,
    link_others: bool = False,
) -> tuple[Contact, bool, list[Interaction], bool]:
    """Link `contact_id`, or create `new_contact` (validated like any contact) and link it.

    Returns (contact, created, the other unlinked interactions from the same address,
    whether they were linked too).
    """
    require_hands_on(principal, interaction, "link a contact to")
    if (contact_id is None) == (new_contact is None):
        raise ValidationFailed(
            [FieldError("contact_id", "send either contact_id or contact, not both or neither")]
        )
    if contact_id is not None:
        contact, created = _existing_contact(db, principal.tenant_id, contact_id), False
    else:
        contact = contacts_service.create(
            db=db, tenant=principal.tenant, values=new_contact or {}, actor=principal.actor,
            role=principal.role,
        )  # fmt: skip
        created = True
    interaction.contact_id = contact.id
    interaction.match_count = 1
    others = unlinked_from_same_address(db=db, interaction=interaction)
    if link_others:
        for other in others:
            other.contact_id = contact.id
    db.flush()  # a waiting interaction now routes with its contact's priority (lifecycle)
    return contact, created, others, link_others and bool(others)
