"""Interactions follow their contact through a merge; on erasure they keep only what
statistics need (channel, direction, queue, state, times) and lose every personal word."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rapport.duplicates.merge import register_mover
from rapport.interactions.models import Interaction, Message
from rapport.interactions.present import interaction_out
from rapport.privacy.service import Section, register_section
from rapport.search import index

ERASED_TEXT = "[erased]"


def _move(db: Session, tenant_id: uuid.UUID, from_ids: list[uuid.UUID], to_id: uuid.UUID) -> int:
    return db.execute(
        update(Interaction)
        .where(Interaction.tenant_id == tenant_id, Interaction.contact_id.in_(from_ids))
        .values(contact_id=to_id, version=Interaction.version + 1)
    ).rowcount


def _interactions(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[Interaction]:
    query = select(Interaction).where(
        Interaction.tenant_id == tenant_id, Interaction.contact_id == contact_id
    )
    return list(db.scalars(query.order_by(Interaction.started_at, Interaction.id)))


def _export(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[dict]:
    return [
        interaction_out(db=db, interaction=i).model_dump(mode="json")
        for i in _interactions(db, tenant_id, contact_id)
    ]


def _erase(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> int:
    interactions = _interactions(db, tenant_id, contact_id)
    ids = [i.id for i in interactions]
    if not ids:
        return 0
    # Agents' lines name and quote the person too, so the whole transcript goes.
    db.execute(
        update(Message)
        .where(Message.tenant_id == tenant_id, Message.interaction_id.in_(ids))
        .values(text=ERASED_TEXT, html=None, subject=None, external_id=None)
    )
    db.execute(
        update(Interaction)
        .where(Interaction.tenant_id == tenant_id, Interaction.id.in_(ids))
        .values(
            contact_id=None,
            address=ERASED_TEXT,
            address_entered=ERASED_TEXT,
            subject=None,
            external_id=None,
            disposition=None,
            version=Interaction.version + 1,
        )  # fmt: skip
    )
    for interaction_id in ids:
        index.forget(db=db, tenant_id=tenant_id, interaction_id=interaction_id)
    return len(ids)


register_mover("interactions", _move)
register_section("interactions", Section(export=_export, erase=_erase))
