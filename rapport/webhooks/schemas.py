from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from rapport.core.schemas import InputModel, OutputModel

EventType = Literal[
    "contact.created", "contact.updated", "contact.deleted", "contact.merged", "contact.erased",
    "note.created", "note.updated", "note.deleted",
    "interaction.created", "interaction.accepted", "interaction.completed",
    "interaction.abandoned", "import.finished",
]  # fmt: skip
DeliveryStatus = Literal["pending", "delivering", "delivered", "failed"]


class EndpointCreate(InputModel):
    url: str = Field(description="Where events are POSTed: an http:// or https:// URL.")
    event_types: list[EventType] = Field(min_length=1, description="The events to send.")
    description: str = ""
    secret: str | None = Field(
        None, description="The signing secret (16 to 200 characters); leave out to get one."
    )
    enabled: bool = True


class EndpointUpdate(InputModel):
    url: str | None = None
    event_types: list[EventType] | None = Field(None, min_length=1)
    description: str | None = None
    secret: str | None = Field(None, description="A new signing secret (16 to 200 characters).")
    enabled: bool | None = Field(
        None, description="false switches it off; true switches it on again after a failure."
    )


class EndpointOut(OutputModel):
    id: uuid.UUID
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    failing_since: datetime | None = Field(
        description="Since when every delivery failed; null while deliveries succeed."
    )
    disabled_at: datetime | None
    disabled_reason: str | None = Field(
        description="Why it was switched off automatically (after failing for a day)."
    )
    created_at: datetime
    updated_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="Verify each request's `Rapport-Signature` with it.")


class AttemptOut(OutputModel):
    at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; null if none came.")
    error: str | None
    duration_ms: int
    response_excerpt: str | None


class DeliveryOut(OutputModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveryDetail(DeliveryOut):
    payload: dict[str, Any] = Field(description="The JSON body sent.")
    log: list[AttemptOut] = Field(description="Every attempt, oldest first.")
