"""Tables of Personality Insights: hand-added examples, excluded messages, computed profiles.

Examples taken from messages are not copied: they are read from the transcripts each time,
so a message appended, excluded or re-linked to another contact counts at once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKeyConstraint, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, UTCDateTime, utcnow


class PersonalityExample(TenantOwned, Base):
    """Text the contact wrote, added by hand (e.g. a review or a post, with its source)."""

    __tablename__ = "personality_examples"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["tenant_id", "author_id"], ["users.tenant_id", "users.id"]),
        Index("ix_personality_examples_contact", "tenant_id", "contact_id", "created_at"),
    )

    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(2000))
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PersonalityExclusion(Base):
    """A message an agent took out of the analysis (e.g. text the contact quoted or pasted)."""

    __tablename__ = "personality_exclusions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "message_id"],
            ["interaction_messages.tenant_id", "interaction_messages.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["tenant_id", "excluded_by_id"], ["users.tenant_id", "users.id"]),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    message_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    excluded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    excluded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PersonalityProfile(Base):
    """The last profile computed for a contact, and a fingerprint of what it was computed from.

    `input_digest` and `model_version` decide whether it can be reused; `stale` is a cheap
    hint, set when something the profile depends on changed, for lists and batch jobs.
    """

    __tablename__ = "personality_profiles"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"], ondelete="CASCADE"
        ),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    profile: Mapped[dict] = mapped_column(JSON)
    word_count: Mapped[int] = mapped_column(Integer)
    model_version: Mapped[str] = mapped_column(String(64))
    input_digest: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
