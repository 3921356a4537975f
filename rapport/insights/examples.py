"""A contact's examples: what they wrote in SMS, chat and email, plus text added by hand.

Automatic examples are read from the transcripts every time (never copied), so they always
match the messages as they are; only the agent's choice to exclude one is stored.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rapport.core.auth import Principal
from rapport.core.errors import FieldCollector, FieldError, Forbidden, NotFound
from rapport.core.ids import new_id
from rapport.core.text import clean_text
from rapport.insights.engine.text import MAX_BYTES, word_count
from rapport.insights.lifecycle import TEXT_CHANNELS
from rapport.insights.models import PersonalityExample, PersonalityExclusion
from rapport.interactions.models import Interaction, Message

MAX_EXAMPLE_CHARS = 100_000
MAX_SOURCE_CHARS = 2000
# Replies quote the mail they answer, often the agent's own words: keep only the new text.
_QUOTE_HEADER = re.compile(
    r"^(?:On .{1,300} wrote:[ \t]*$|-{2,} ?Original Message ?-{2,}|From: .+\n(?:Sent|Date): )",
    re.I | re.M,
)


@dataclass(frozen=True)
class Example:
    """One input to the analysis, automatic (a message) or manual (added by hand)."""

    kind: str  # "message" or "manual"
    id: uuid.UUID
    text: str
    at: datetime
    excluded: bool = False
    interaction_id: uuid.UUID | None = None
    channel: str | None = None
    source: str | None = None
    author_id: uuid.UUID | None = None

    @property
    def word_count(self) -> int:
        return word_count(self.text)


@dataclass(frozen=True)
class Inputs:
    """The exact texts a profile is computed from, and their fingerprint."""

    texts: list[str]
    digest: str

    @cached_property
    def word_count(self) -> int:
        # Counted only when needed: a reused profile already knows its count.
        return word_count("\n".join(self.texts))


def own_words(text: str, channel: str) -> str:
    """The part of a message the contact wrote: quoted lines and quoted replies removed."""
    if channel != "email":
        return text
    header = _QUOTE_HEADER.search(text)
    if header:
        text = text[: header.start()]
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))


def list_examples(*, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[Example]:
    """Every example of the contact, newest first, excluded messages included (flagged)."""
    rows = db.execute(
        select(
            Message.id,
            Message.text,
            Message.sent_at,
            Message.interaction_id,
            Interaction.channel,
            PersonalityExclusion.message_id,
        )
        .join(
            Interaction,
            (Interaction.tenant_id == Message.tenant_id)
            & (Interaction.id == Message.interaction_id),
        )
        .outerjoin(
            PersonalityExclusion,
            (PersonalityExclusion.tenant_id == Message.tenant_id)
            & (PersonalityExclusion.message_id == Message.id),
        )
        .where(
            Interaction.tenant_id == tenant_id,
            Interaction.contact_id == contact_id,
            Interaction.channel.in_(TEXT_CHANNELS),
            Message.sender == "contact",
        )
    ).all()
    examples = [
        Example(
            kind="message", id=message_id, text=own_words(text, channel), at=sent_at,
            excluded=excluded is not None, interaction_id=interaction_id, channel=channel,
        )
        for message_id, text, sent_at, interaction_id, channel, excluded in rows
    ]  # fmt: skip
    manual = db.scalars(
        select(PersonalityExample).where(
            PersonalityExample.tenant_id == tenant_id, PersonalityExample.contact_id == contact_id
        )
    )
    examples += [
        Example(
            kind="manual", id=example.id, text=example.text, at=example.created_at,
            source=example.source, author_id=example.author_id,
        )
        for example in manual
    ]  # fmt: skip
    return sorted(examples, key=lambda e: (e.at, e.id.bytes), reverse=True)


def inputs_of(examples: list[Example]) -> Inputs:
    """The texts to analyse: included examples, newest first, up to what the engine reads."""
    texts: list[str] = []
    size = 0
    digest = hashlib.sha256()
    for example in examples:
        if example.excluded or not example.text.strip():
            continue
        raw = example.text.encode()
        texts.append(example.text)
        # Length-prefixed, so ["ab", "c"] and ["a", "bc"] do not hash alike.
        digest.update(len(raw).to_bytes(8, "big") + raw)
        size += len(raw) + 1
        if size >= MAX_BYTES:  # the engine reads no further: older text cannot matter
            break
    return Inputs(texts=texts, digest=digest.hexdigest())


def add_example(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    contact_id: uuid.UUID,
    author_id: uuid.UUID,
    text: str | None,
    source: str | None = None,
) -> PersonalityExample:
    errors = FieldCollector()
    clean: dict[str, str | None] = {}
    for field, value, limit, multiline in (
        ("text", text, MAX_EXAMPLE_CHARS, True),
        ("source", source, MAX_SOURCE_CHARS, False),
    ):
        try:
            clean[field] = clean_text(field, value, limit, multiline=multiline)
        except FieldError as exc:
            errors.add(exc.field, exc.message)
    if not errors.has("text") and not clean.get("text"):
        errors.add("text", "must not be empty")
    errors.raise_if_any()
    example = PersonalityExample(
        tenant_id=tenant_id, id=new_id(), contact_id=contact_id, author_id=author_id,
        text=clean["text"], source=clean["source"],
    )  # fmt: skip
    db.add(example)
    db.flush()
    return example


def get_example(
    *, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID, example_id: uuid.UUID
) -> PersonalityExample:
    example = db.get(PersonalityExample, (tenant_id, example_id))
    if example is None or example.contact_id != contact_id:
        raise NotFound("No such example for this contact.")
    return example


def delete_example(*, db: Session, principal: Principal, example: PersonalityExample) -> None:
    """Its author, a supervisor or an administrator may delete a hand-added example."""
    if example.author_id != principal.user.id and not principal.can("supervisor"):
        raise Forbidden(
            "Agents can delete only the examples they added.", required_role="supervisor"
        )
    db.delete(example)
    db.flush()


def _example_message(
    db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID, message_id: uuid.UUID
) -> Message:
    found = db.execute(
        select(Message)
        .join(
            Interaction,
            (Interaction.tenant_id == Message.tenant_id)
            & (Interaction.id == Message.interaction_id),
        )
        .where(
            Message.tenant_id == tenant_id,
            Message.id == message_id,
            Message.sender == "contact",
            Interaction.contact_id == contact_id,
            Interaction.channel.in_(TEXT_CHANNELS),
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("No message of this contact with this id is an example.")
    return found


def exclude_message(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    contact_id: uuid.UUID,
    message_id: uuid.UUID,
    excluded_by_id: uuid.UUID | None,
) -> bool:
    """Leave a message out of the analysis; False when it already was."""
    _example_message(db, tenant_id, contact_id, message_id)
    if db.get(PersonalityExclusion, (tenant_id, message_id)) is not None:
        return False
    db.add(
        PersonalityExclusion(
            tenant_id=tenant_id, message_id=message_id, excluded_by_id=excluded_by_id
        )
    )
    db.flush()
    return True


def include_message(
    *, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID, message_id: uuid.UUID
) -> bool:
    """Take a message back into the analysis; False when it was not excluded."""
    _example_message(db, tenant_id, contact_id, message_id)
    removed = db.execute(
        delete(PersonalityExclusion).where(
            PersonalityExclusion.tenant_id == tenant_id,
            PersonalityExclusion.message_id == message_id,
        )
    ).rowcount
    return bool(removed)
