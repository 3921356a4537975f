"""Notes follow their contact: moved by a merge, exported with and erased with a person."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rapport.audit.models import AuditEvent
from rapport.duplicates.merge import register_mover
from rapport.notes.models import Note
from rapport.privacy.service import ERASED, Section, register_section
from rapport.search import index


def _move(db: Session, tenant_id: uuid.UUID, from_ids: list[uuid.UUID], to_id: uuid.UUID) -> int:
    return db.execute(
        update(Note)
        .where(Note.tenant_id == tenant_id, Note.contact_id.in_(from_ids))
        .values(contact_id=to_id)
    ).rowcount


def _notes(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[Note]:
    query = select(Note).where(Note.tenant_id == tenant_id, Note.contact_id == contact_id)
    return list(db.scalars(query.order_by(Note.created_at, Note.id)))


def _export(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[dict]:
    return [
        {
            "id": str(n.id),
            "interaction_id": str(n.interaction_id) if n.interaction_id else None,
            "body": n.body,
            "outcome": n.outcome,
            "next_steps": n.next_steps,
            "author_id": str(n.author_id) if n.author_id else None,
            "created_at": n.created_at.isoformat(),
            "edited_at": n.edited_at.isoformat() if n.edited_at else None,
        }
        for n in _notes(db, tenant_id, contact_id)
    ]


def _erase(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> int:
    notes = _notes(db, tenant_id, contact_id)
    ids = [n.id for n in notes]
    # The trail of these notes held their words; keep only that they existed.
    db.execute(
        update(AuditEvent)
        .where(AuditEvent.tenant_id == tenant_id, AuditEvent.record_id.in_(ids))
        .values(record_label=ERASED, changes={})
    )
    for note in notes:
        db.delete(note)
    db.flush()
    for interaction_id in {n.interaction_id for n in notes if n.interaction_id}:
        index.rebuild(db=db, tenant_id=tenant_id, interaction_id=interaction_id)
    return len(notes)


register_mover("notes", _move)
register_section("notes", Section(export=_export, erase=_erase))
