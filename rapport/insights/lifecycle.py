"""How Personality Insights follows other domains' changes, in the same transaction.

- A message written by a contact marks that contact's stored profile stale. The profile is
  still checked against a digest of its inputs whenever it is read, so the flag is a hint
  (for lists and batch recomputation), never the only guard against serving old results.
- A merge moves hand-added examples to the surviving contact; the merged contacts'
  profiles go with them and the survivor's is marked stale.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, event, inspect, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from rapport.duplicates.merge import register_mover
from rapport.insights.models import PersonalityExample, PersonalityProfile
from rapport.interactions import transcript
from rapport.interactions.models import Interaction, Message

TEXT_CHANNELS = ("sms", "chat", "email")  # voice is not text the contact wrote


def mark_stale(db: Session | Connection, *, tenant_id: uuid.UUID, contact_ids) -> None:
    ids = [i for i in contact_ids if i is not None]
    if not ids:
        return
    db.execute(
        update(PersonalityProfile)
        .where(
            PersonalityProfile.tenant_id == tenant_id,
            PersonalityProfile.contact_id.in_(ids),
            PersonalityProfile.stale.is_(False),
        )
        .values(stale=True)
    )


def _contact_wrote_a_message(
    db: Session, interaction: transcript.Conversation, message: Message
) -> None:
    if message.sender == "contact" and interaction.channel in TEXT_CHANNELS:
        mark_stale(db, tenant_id=message.tenant_id, contact_ids=[interaction.contact_id])


transcript.MESSAGE_STORED.append(_contact_wrote_a_message)


@event.listens_for(Interaction, "after_update")
def _interaction_changed_hands(_mapper, connection: Connection, interaction: Interaction) -> None:
    if interaction.channel not in TEXT_CHANNELS:
        return  # no profile reads a call: linking one (every screen pop that finds the caller)
    history = inspect(interaction).attrs.contact_id.history
    if history.has_changes():
        changed = [*history.deleted, *history.added]
        mark_stale(connection, tenant_id=interaction.tenant_id, contact_ids=changed)


def move_examples_to_survivor(
    db: Session, tenant_id: uuid.UUID, merged_ids: list[uuid.UUID], survivor_id: uuid.UUID
) -> int:
    """Merge mover: hand-added examples follow the person; old profiles are dropped."""
    moved = db.execute(
        update(PersonalityExample)
        .where(
            PersonalityExample.tenant_id == tenant_id,
            PersonalityExample.contact_id.in_(merged_ids),
        )
        .values(contact_id=survivor_id)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    db.execute(
        delete(PersonalityProfile)
        .where(
            PersonalityProfile.tenant_id == tenant_id,
            PersonalityProfile.contact_id.in_(merged_ids),
        )
        .execution_options(synchronize_session="fetch")
    )
    mark_stale(db, tenant_id=tenant_id, contact_ids=[survivor_id])
    return moved or 0


register_mover("personality_examples", move_examples_to_survivor)
