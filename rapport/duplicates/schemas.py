from __future__ import annotations

import uuid

from pydantic import Field

from rapport.contacts.schemas import ContactOut
from rapport.core.schemas import InputModel, OutputModel


class DuplicateOut(OutputModel):
    contact: ContactOut
    score: float = Field(description="0 to 1; 1 is the same email.")
    reasons: list[str]


class DuplicatePairOut(OutputModel):
    first: ContactOut
    second: ContactOut
    score: float
    reasons: list[str]


class MergeIn(InputModel):
    survivor_id: uuid.UUID = Field(description="The contact that remains.")
    merged_ids: list[uuid.UUID] = Field(description="Contacts merged into it, then removed.")
    fields: dict[str, uuid.UUID] = Field(
        default_factory=dict,
        description="Field -> id of the contact whose value survives. Unnamed fields take the "
        "most recently updated non-empty value; priority the most urgent.",
    )


class MergeOut(OutputModel):
    contact: ContactOut
    moved: dict[str, int] = Field(description="Related records moved, by kind.")
