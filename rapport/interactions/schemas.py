from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from rapport.core.inputs import ColumnText, Moment
from rapport.core.schemas import InputModel, OutputModel
from rapport.interactions.models import Interaction, Message

Channel = Literal["voice", "chat", "email", "sms"]
Direction = Literal["inbound", "outbound"]
State = Literal["queued", "offered", "active", "completed", "abandoned"]
Sender = Literal["contact", "agent", "system"]
ContentType = Literal["text/plain", "text/html"]


class MessageIn(InputModel):
    sender: Sender
    text: str = Field(..., description="The message. HTML (email) is sanitised and kept as text.")
    sent_at: Moment | None = Field(
        None, description="With a time zone offset; now when omitted; not in the future."
    )
    subject: ColumnText(Message.subject) | None = Field(None, description="Email subject, if any.")
    content_type: ContentType = "text/plain"
    external_id: str | None = Field(
        None, description="Your id for the message; posting it again returns the stored one."
    )


class InteractionCreate(InputModel):
    channel: Channel
    direction: Direction
    address: str = Field(
        ...,
        description="The contact's address on the channel: a phone number in any format "
        "(voice, sms; read in the tenant's default country), an email (email), or an email, "
        "phone or handle (chat).",
    )
    contact_id: uuid.UUID | None = Field(
        None, description="Link to this contact; when omitted, the one contact whose phone, "
        "mobile or email matches the address is linked (see `match_count`).",
    )  # fmt: skip
    subject: ColumnText(Interaction.subject) | None = None
    queue: ColumnText(Interaction.queue) | None = None
    state: State | None = Field(
        None, description="`completed` if `ended_at` is given, else `queued`."
    )
    agent: str | None = Field(None, description="The handling agent: a user id or email.")
    started_at: Moment | None = Field(None, description="Now when omitted.")
    ended_at: Moment | None = None
    disposition: ColumnText(Interaction.disposition) | None = None
    external_id: str | None = Field(
        None, description="Your id; unique per tenant. Posting it again returns the stored "
        "interaction with 200 instead of creating a duplicate.",
    )  # fmt: skip
    priority: Annotated[StrictInt, Field(ge=1, le=5)] | None = Field(
        None, description="1 (served first) to 5 (served last)."
    )
    messages: list[MessageIn] | None = Field(None, max_length=500)


class InteractionUpdate(InputModel):
    """Only the fields sent are changed; `null` clears subject, agent or disposition."""

    subject: ColumnText(Interaction.subject) | None = None
    disposition: ColumnText(Interaction.disposition) | None = None
    agent: str | None = Field(
        None, description="Assign to this user (id or email): supervisors and administrators."
    )
    state: State | None = Field(
        None, description="Not changed here: only the same state is accepted (409 otherwise); "
        "use the routing actions accept, transfer, complete and abandon.",
    )  # fmt: skip


class UserRef(OutputModel):
    id: uuid.UUID
    email: str
    name: str


class MessageOut(OutputModel):
    id: uuid.UUID
    sender: Sender
    subject: str | None
    content_type: ContentType
    text: str
    html: str | None = Field(None, description="Sanitised HTML of an HTML email.")
    sent_at: datetime
    external_id: str | None


class InteractionSummary(OutputModel):
    id: uuid.UUID
    contact_id: uuid.UUID | None
    match_count: int = Field(
        ..., description="How many contacts the address matched when it was recorded."
    )
    channel: Channel
    direction: Direction
    address: str = Field(..., description="Normalised: E.164, lower-cased email, or handle.")
    address_entered: str
    subject: str | None
    queue: str | None
    state: State
    agent: UserRef | None
    started_at: datetime
    ended_at: datetime | None
    disposition: str | None
    external_id: str | None
    priority: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class InteractionOut(InteractionSummary):
    messages: list[MessageOut]


class HistoryItem(InteractionSummary):
    score: float | None = Field(None, description="Relevance when searching with `q`.")
    snippet: str | None = Field(
        None, description="HTML: where `q` matched, matches in `<mark>`, the rest escaped."
    )
