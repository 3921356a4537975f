from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from rapport.core.schemas import InputModel, OutputModel


class AccountCreate(InputModel):
    identifier: str = Field(description="The Account Identifier agents select; unique per tenant.")
    name: str
    description: str | None = None


class AccountUpdate(InputModel):
    identifier: str | None = None
    name: str | None = None
    description: str | None = None


class AccountRef(OutputModel):
    id: uuid.UUID
    identifier: str
    name: str


class AccountOut(AccountRef):
    description: str | None
    contact_count: int | None = None
    version: int
    created_at: datetime
    updated_at: datetime
