from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from rapport.core.schemas import InputModel, OutputModel
from rapport.interactions.schemas import UserRef


class NoteFields(InputModel):
    body: str | None = Field(None, description="Markdown; rendered to sanitised HTML.")
    interaction_id: uuid.UUID | None = Field(
        None, description="An interaction of the same contact this note is about."
    )
    outcome: str | None = Field(None, description="Only for a note tied to an interaction.")
    next_steps: str | None = Field(None, description="Only for a note tied to an interaction.")


class NoteCreate(NoteFields):
    body: str = Field(..., description="Markdown; rendered to sanitised HTML.")


class NoteUpdate(NoteFields):
    """Only the fields sent are changed; `null` clears interaction, outcome or next steps."""


class NoteOut(OutputModel):
    id: uuid.UUID
    contact_id: uuid.UUID
    interaction_id: uuid.UUID | None
    body: str
    body_html: str = Field(..., description="Sanitised HTML, safe to insert into a page.")
    outcome: str | None
    next_steps: str | None
    author: UserRef | None
    created_at: datetime
    updated_at: datetime
    edited_at: datetime | None
    version: int
