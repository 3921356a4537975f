from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from rapport.accounts.models import Account
from rapport.core.inputs import ColumnText, Text
from rapport.core.schemas import InputModel, OutputModel


class AccountCreate(InputModel):
    identifier: ColumnText(Account.identifier) = Field(
        description="The Account Identifier agents select; unique per tenant."
    )
    name: ColumnText(Account.name)
    description: Text(5000) | None = None


class AccountUpdate(InputModel):
    identifier: ColumnText(Account.identifier) | None = None
    name: ColumnText(Account.name) | None = None
    description: Text(5000) | None = None


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
