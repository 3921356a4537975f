"""Interactions as clients see them: with their agent and, on demand, their transcript."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rapport.interactions import service, transcript
from rapport.interactions.models import Interaction, Message
from rapport.interactions.schemas import InteractionOut, InteractionSummary, MessageOut, UserRef


def _fields(interaction: Interaction, agents: dict) -> dict[str, Any]:
    values = {c.key: getattr(interaction, c.key) for c in Interaction.__table__.columns}
    agent = agents.get(interaction.agent_id)
    values["agent"] = UserRef.model_validate(agent) if agent else None
    return values


def summaries(
    *, db: Session, interactions: list[Interaction], cls=InteractionSummary, extra=None
) -> list:
    if not interactions:
        return []
    agents = service.agents_by_id(
        db=db,
        tenant_id=interactions[0].tenant_id,
        ids={i.agent_id for i in interactions if i.agent_id},
    )
    extra = extra or {}
    return [cls.model_validate({**_fields(i, agents), **extra.get(i.id, {})}) for i in interactions]


def interaction_out(
    *, db: Session, interaction: Interaction, messages: list[Message] | None = None
) -> InteractionOut:
    """`messages`: the transcript when the caller knows it (an interaction created a moment
    ago with none), else it is read."""
    agents = service.agents_by_id(
        db=db,
        tenant_id=interaction.tenant_id,
        ids={interaction.agent_id} if interaction.agent_id else set(),
    )
    if messages is None:
        messages = transcript.list_messages(db=db, interaction=interaction)
    return InteractionOut.model_validate(
        {
            **_fields(interaction, agents),
            "messages": [MessageOut.model_validate(m) for m in messages],
        }
    )

