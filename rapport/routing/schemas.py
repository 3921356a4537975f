from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from rapport.accounts.schemas import AccountOut, AccountRef
from rapport.contacts.schemas import ContactCreate, ContactOut
from rapport.core.schemas import InputModel, OutputModel
from rapport.interactions.schemas import InteractionOut, InteractionSummary
from rapport.notes.schemas import NoteOut
from rapport.users.schemas import AgentChannel, Availability


class AvailabilityOut(OutputModel):
    availability: Availability
    channels: list[AgentChannel] = Field(
        ..., description="What the queue gives you; administrators change it on the user."
    )
    capacity: dict[str, int] = Field(
        ..., description="Push routing: how many workitems of each channel you take at once "
        "(0: none of that channel offered to you now).",
    )


class AvailabilityUpdate(InputModel):
    availability: Availability | None = Field(
        None, description="`away` takes you off the queue: accepting answers 409 until you "
        "return; leaving `available` hands a pending offer back to the queue.",
    )
    capacity: dict[str, int] | None = Field(
        None, description="Per channel, e.g. `{\"voice\": 1, \"chat\": 3}`; 0 to 20.",
    )


class OfferOut(OutputModel):
    id: uuid.UUID
    interaction_id: uuid.UUID
    agent_id: uuid.UUID
    channel: str
    offered_at: datetime
    expires_at: datetime = Field(..., description="When the countdown ends and it lapses.")
    outcome: Literal["pending", "accepted", "rejected", "lapsed", "withdrawn"]


class CallerSummary(OutputModel):
    id: uuid.UUID
    display_name: str
    priority: int
    account: AccountRef | None
    time_zone: str | None
    local_time: datetime | None


class QueueItem(InteractionSummary):
    wait_seconds: int = Field(..., description="How long it has waited in the queue.")
    routing_priority: int = Field(
        ..., description="Its own priority, else its contact's, else the tenant default."
    )
    aged_priority: int = Field(
        ..., description="The priority it has reached by waiting (equals routing_priority "
        "when queue aging is off).",
    )  # fmt: skip
    queued_at: datetime
    caller: CallerSummary | None = Field(None, description="The linked contact, if any.")


class QueueOut(BaseModel):
    items: list[QueueItem] = Field(..., description="In the order they will be accepted.")
    queue_aging_seconds: int | None


class Candidate(BaseModel):
    contact: ContactOut
    score: float = Field(..., description="1.0 same email, 0.9 same number.")
    reasons: list[str]


class SuggestedContact(BaseModel):
    """Pre-filled from the interaction; post it (completed by the agent) to /contact."""

    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    country: str | None = None
    country_name: str | None = None
    time_zone: str | None = None


class ReachedOn(BaseModel):
    value: str = Field(description="The number (E.164) or email the workitem came from.")
    shown: str = Field(description="As shown to the agent (a number in national format).")
    label: str = Field(description="Its label on the contact: work, home, mobile, ...")
    kind: Literal["phone", "mobile", "fax", "email"]


class ScreenPop(BaseModel):
    """What the workspace shows on accept. `match` says which of the parts are filled."""

    interaction: InteractionOut
    match: Literal["one", "many", "none"]
    contact: ContactOut | None = Field(None, description="match=one: the caller.")
    account: AccountOut | None = Field(None, description="match=one: the caller's account.")
    reached_on: ReachedOn | None = Field(
        None, description="match=one: which of the caller's numbers or emails they used."
    )
    notes: list[NoteOut] = Field(default_factory=list, description="match=one: newest first.")
    recent_interactions: list[InteractionSummary] = Field(
        default_factory=list, description="match=one: the caller's other interactions, newest."
    )
    candidates: list[Candidate] = Field(
        default_factory=list, description="match=many: contacts this could be, best first."
    )
    suggested_contact: SuggestedContact | None = Field(
        None, description="match=none: a new contact pre-filled from the interaction."
    )


class ContactForInteraction(InputModel):
    contact_id: uuid.UUID | None = Field(None, description="Link this existing contact.")
    contact: ContactCreate | None = Field(
        None, description="Create this contact (validated like POST /contacts) and link it."
    )
    link_others: bool = Field(
        False, description="Also link the other unlinked interactions from the same address."
    )


class ContactLinked(BaseModel):
    interaction: InteractionOut
    contact: ContactOut
    created: bool
    other_interactions: list[InteractionSummary] = Field(
        ..., description="Other unlinked interactions from the same address (before linking)."
    )
    others_linked: bool


class WrapUpNote(InputModel):
    body: str = Field(..., description="Markdown.")
    outcome: str | None = None
    next_steps: str | None = None


class CompleteIn(InputModel):
    disposition: str = Field(..., description="How it ended, e.g. `resolved` (100 characters).")
    note: WrapUpNote | None = Field(
        None, description="Kept on the contact, tied to this interaction."
    )


class Completed(BaseModel):
    interaction: InteractionOut
    note: NoteOut | None


class TransferIn(InputModel):
    queue: str | None = Field(None, description="Move it to this queue; omitted keeps its queue.")
