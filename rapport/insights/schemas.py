"""Request and response shapes of Personality Insights (Watson's profile shape, extended)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from rapport.core.schemas import InputModel, OutputModel
from rapport.interactions.schemas import UserRef


class Trait(BaseModel):
    model_config = ConfigDict(extra="allow")

    trait_id: str = Field(description="e.g. `big5_openness`, `need_structure`, `value_hedonism`.")
    name: str
    category: Literal["personality", "needs", "values"]
    percentile: float = Field(description="0 to 1, against the reference population.")
    raw_score: float | None = None
    significant: bool = Field(description="Enough text (600+ words) to take it seriously.")
    children: list[Trait] | None = Field(
        None, description="Facets; always empty: no validated facet estimates exist."
    )
    indicator: bool | None = Field(
        None, description="Needs and values: word-list indicators, not validated measurements."
    )
    method: str | None = None
    matched_words: int | None = None


class ProfileWarning(BaseModel):
    warning_id: str = Field(
        description="`WORD_COUNT_MESSAGE`, `CONTENT_TRUNCATED` or `LANGUAGE_NOT_RECOGNISED`."
    )
    message: str


class Confidence(BaseModel):
    level: Literal["none", "low", "medium", "full"] = Field(
        description="low under 600 words, medium under 1,200, full from 1,200."
    )
    score: float
    expected_big5_accuracy: float | None = Field(
        None, description="Cross-validated mean Big Five accuracy for texts of this length."
    )


class Tip(BaseModel):
    model_config = ConfigDict(extra="allow")

    trait_id: str = Field(description="The trait this tip comes from.")
    direction: Literal["high", "low"]
    percentile: float
    text: str = Field(description="What to do, in one sentence, for the agent.")
    strength: Literal["clear", "weak", "tentative"]
    note: str | None = None


class ProfileOut(BaseModel):
    status: Literal["ready"] = "ready"
    contact_id: uuid.UUID | None = Field(None, description="Null for posted text.")
    model_version: str
    word_count: int
    processed_language: str
    warnings: list[ProfileWarning]
    confidence: Confidence
    personality: list[Trait] = Field(description="The Big Five, in Watson's order.")
    needs: list[Trait]
    values: list[Trait]
    evidence: dict[str, dict[str, Any]] = Field(
        description="Per trait id, the words and phrases that raised or lowered it."
    )
    guidance: list[Tip] = Field(description="Tips for the agent, most distinctive trait first.")
    computed_at: datetime
    stale: bool = Field(False, description="Always false here: a read recomputes when needed.")


class NotEnoughTextOut(BaseModel):
    status: Literal["not_enough_text"] = "not_enough_text"
    contact_id: uuid.UUID | None = None
    word_count: int = Field(description="Words available now.")
    words_needed: int = Field(description="How many more words are needed for a profile.")
    minimum_words: int
    message: str


class ExampleCreate(InputModel):
    text: str = Field(description="Text the contact wrote themselves (up to 100,000 characters).")
    source: str | None = Field(
        None, description="Where it comes from, e.g. the URL of a review they posted."
    )


class ExampleOut(OutputModel):
    id: uuid.UUID = Field(description="The message id (automatic) or the example id (manual).")
    kind: Literal["message", "manual"]
    text: str = Field(description="For email, the contact's own words (quoted text removed).")
    word_count: int
    at: datetime = Field(description="When it was sent (message) or added (manual).")
    excluded: bool = Field(description="Left out of the analysis by an agent.")
    interaction_id: uuid.UUID | None = None
    channel: Literal["sms", "chat", "email"] | None = None
    source: str | None = None
    author: UserRef | None = None


class ExamplesOut(BaseModel):
    word_count: int = Field(description="Words analysed (included examples).")
    words_needed: int = Field(description="More words needed before there is a profile.")
    items: list[ExampleOut] = Field(description="Newest first, excluded ones flagged.")


class ExclusionOut(BaseModel):
    message_id: uuid.UUID
    excluded: bool
    changed: bool = Field(description="False when it already was in that state.")
