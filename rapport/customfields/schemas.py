from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from rapport.core.schemas import InputModel, OutputModel
from rapport.customfields.models import FIELD_TYPES, ROLES

# The values the server accepts, from the one place that defines them.
FieldType = Literal[FIELD_TYPES]  # type: ignore[valid-type]
Role = Literal[ROLES]  # type: ignore[valid-type]


class CustomFieldSettings(InputModel):
    label: str | None = Field(None, description="What people read; may change at any time.")
    required: bool | None = Field(None, description="A new contact must have a value.")
    choices: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, max_length=200, description="The options of a choice field, in order."
    )
    help_text: str | None = Field(None, description="Shown under the input on forms.")
    position: int | None = Field(None, description="Order on forms and lists (low first).")
    edit_roles: list[Role] | None = Field(
        None, description="Roles that may change the value; all roles when omitted."
    )
    show_in_list: bool | None = None
    show_in_screen_pop: bool | None = None
    show_in_exports: bool | None = None


class CustomFieldCreate(CustomFieldSettings):
    key: str = Field(
        description="Stable name of the value in the API, filters (`cf.KEY`), imports and "
        "exports: a lower-case letter, then letters, digits or `_` (at most 50)."
    )
    label: str
    type: FieldType


class CustomFieldUpdate(CustomFieldSettings):
    """Only the settings sent change. The key and the type stay."""


class CustomFieldOut(OutputModel):
    id: uuid.UUID
    key: str
    label: str
    type: FieldType
    required: bool
    choices: list[str]
    help_text: str | None
    position: int
    edit_roles: list[Role]
    show_in_list: bool
    show_in_screen_pop: bool
    show_in_exports: bool
    deleted_at: datetime | None = Field(None, description="Set when deleted; values are kept.")
    version: int


class PurgeOut(OutputModel):
    purged_contacts: int
