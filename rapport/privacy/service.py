"""A person's data: everything held about one contact, exported as one document or erased.

Domains that keep records about a contact register a section (how to export and how to erase
their part), so this module needs no knowledge of notes, interactions or insights.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from rapport.audit import service as audit
from rapport.audit.models import AuditEvent
from rapport.audit.schemas import AuditEventOut
from rapport.contacts import service as contacts_service
from rapport.contacts.models import ContactRedirect
from rapport.contacts.present import contact_out
from rapport.core.auth import Actor
from rapport.core.db import utcnow
from rapport.core.errors import FieldError, ValidationFailed

ERASED = "erased contact"


@dataclass(frozen=True)
class Section:
    # (db, tenant_id, contact_id) -> JSON-ready data of this domain about the contact
    export: Callable[[Session, uuid.UUID, uuid.UUID], Any]
    # (db, tenant_id, contact_id) -> how many records were removed or anonymised
    erase: Callable[[Session, uuid.UUID, uuid.UUID], int]


SECTIONS: dict[str, Section] = {}


def register_section(name: str, section: Section) -> None:
    SECTIONS[name] = section


def _record_ids(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[uuid.UUID]:
    """The contact and every contact merged into it: their history is the same person's."""
    merged = db.scalars(
        select(ContactRedirect.id).where(
            ContactRedirect.tenant_id == tenant_id, ContactRedirect.survivor_id == contact_id
        )
    ).all()
    return [contact_id, *merged]


def export(*, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> dict[str, Any]:
    contact = contacts_service.get(db=db, tenant_id=tenant_id, contact_id=contact_id)
    ids = _record_ids(db, tenant_id, contact_id)
    events = db.scalars(
        select(AuditEvent)
        .where(AuditEvent.tenant_id == tenant_id, AuditEvent.record_id.in_(ids))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    document: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "contact": contact_out(contact).model_dump(mode="json"),
        "merged_contact_ids": [str(i) for i in ids[1:]],
    }
    for name, section in SECTIONS.items():
        document[name] = section.export(db, tenant_id, contact.id)
    document["activity"] = [AuditEventOut.model_validate(e).model_dump(mode="json") for e in events]
    return document


def erase(
    *, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID, confirm: bool, actor: Actor | None
) -> dict[str, int]:
    """Remove the contact and everything that identifies them; keep only what statistics need.
    The trail keeps that an erasure happened and by whom, without the personal data."""
    if not confirm:
        raise ValidationFailed([FieldError("confirm", "must be true: erasure cannot be undone")])
    contact = contacts_service.get(db=db, tenant_id=tenant_id, contact_id=contact_id)
    ids = _record_ids(db, tenant_id, contact.id)
    counts = {name: section.erase(db, tenant_id, contact.id) for name, section in SECTIONS.items()}
    db.delete(contact)
    db.execute(
        delete(ContactRedirect).where(
            ContactRedirect.tenant_id == tenant_id,
            or_(ContactRedirect.id.in_(ids), ContactRedirect.survivor_id.in_(ids)),
        )
    )
    counts["activity"] = db.execute(
        update(AuditEvent)
        .where(AuditEvent.tenant_id == tenant_id, AuditEvent.record_id.in_(ids))
        .values(record_label=ERASED, changes={})
    ).rowcount
    db.flush()
    audit.record(
        db=db, tenant_id=tenant_id, actor=actor, action="erase", record_type="contact",
        record_id=contact_id, label=ERASED, changes={"erased": [None, counts]},
    )  # fmt: skip
    return counts
