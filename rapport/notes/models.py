from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKeyConstraint, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, Timestamps, UTCDateTime


class Note(TenantOwned, Timestamps, Base):
    """What an agent wrote about a contact, optionally about one of its interactions."""

    __tablename__ = "notes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "contact_id"], ["contacts.tenant_id", "contacts.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["tenant_id", "interaction_id"], ["interactions.tenant_id", "interactions.id"]
        ),
        ForeignKeyConstraint(["tenant_id", "author_id"], ["users.tenant_id", "users.id"]),
        Index("ix_notes_tenant_contact_created", "tenant_id", "contact_id", "created_at", "id"),
        Index("ix_notes_tenant_interaction", "tenant_id", "interaction_id"),
    )

    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    interaction_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    body: Mapped[str] = mapped_column(Text)  # Markdown, as written
    body_html: Mapped[str] = mapped_column(Text)  # rendered and sanitised
    body_text: Mapped[str] = mapped_column(Text)  # plain text, what search indexes
    outcome: Mapped[str | None] = mapped_column(String(200))
    next_steps: Mapped[str | None] = mapped_column(Text)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}
