from __future__ import annotations

import uuid

from pydantic import Field

from rapport.core.schemas import OutputModel
from rapport.interactions.schemas import HistoryItem


class ContactHit(OutputModel):
    id: uuid.UUID
    display_name: str
    email: str | None
    phone: str | None
    mobile: str | None
    account_identifier: str | None
    score: float = Field(..., description="1 for an exact prefix; lower for a typo or via account.")
    matched: str = Field(..., description="`exact`, `name` (typo forgiven) or `account`.")


class AccountHit(OutputModel):
    id: uuid.UUID
    identifier: str
    name: str
    score: float


class SearchResults(OutputModel):
    contacts: list[ContactHit]
    accounts: list[AccountHit]
    interactions: list[HistoryItem]
