from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field, StrictBool

from rapport.core.inputs import ColumnText
from rapport.core.schemas import InputModel, OutputModel
from rapport.users.models import ApiToken, User

Role = Literal["agent", "supervisor", "admin"]
AgentChannel = Literal["voice", "chat", "email", "sms"]
Availability = Literal["available", "busy", "away"]


class UserCreate(InputModel):
    email: ColumnText(User.email)
    role: Role
    name: ColumnText(User.name) = ""
    password: str | None = Field(None, description="At least 10 characters; omit for API-only.")


class UserUpdate(InputModel):
    role: Role | None = None
    name: ColumnText(User.name) | None = None
    is_active: StrictBool = Field(None, description="Send true or false; omit to keep.")
    password: str | None = None
    channels: list[AgentChannel] | None = Field(
        None, description="The channels this user is given work from by the queue."
    )


class UserOut(OutputModel):
    id: uuid.UUID
    email: str
    name: str
    role: Role
    is_active: bool
    channels: list[AgentChannel]
    availability: Availability
    created_at: datetime


class TokenCreate(InputModel):
    name: ColumnText(ApiToken.name) = "API token"
    user_id: uuid.UUID | None = Field(None, description="Whose token; yourself when omitted.")


class TokenOut(OutputModel):
    id: uuid.UUID
    name: str
    prefix: str
    user_id: uuid.UUID
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The token itself. Shown this once; store it safely.")


class MeOut(OutputModel):
    user: UserOut
    tenant: str
    role: Role
