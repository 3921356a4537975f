"""IBM Watson Personality Insights v3 shapes, as documented by IBM (for the OpenAPI text).

Optional fields are absent rather than null in the answers, so they are declared without
`null` (`SkipJsonSchema[None]`): a generated client sees "absent or a number", as IBM meant.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from rapport.insights.schemas import Confidence, Tip


class WatsonTrait(BaseModel):
    trait_id: str = Field(description="`big5_{trait}`, `need_{need}` or `value_{value}`.")
    name: str = Field(description="The trait's name (English).")
    category: Literal["personality", "needs", "values"]
    percentile: float = Field(description="0 to 1, against the reference population.")
    raw_score: float | SkipJsonSchema[None] = Field(
        None, description="Only with `raw_scores=true`."
    )
    significant: bool | SkipJsonSchema[None] = Field(
        None, description="Enough text (600+ words); absent for `version` before 2017-10-13."
    )
    children: list[WatsonTrait] | SkipJsonSchema[None] = Field(
        None, description="Facets; absent: Rapport does not estimate facets."
    )
    indicator: bool | SkipJsonSchema[None] = Field(None, description="Rapport extra.")
    method: str | SkipJsonSchema[None] = Field(None, description="Rapport extra.")
    matched_words: int | SkipJsonSchema[None] = Field(None, description="Rapport extra.")


class WatsonBehavior(BaseModel):
    trait_id: str = Field(description="`behavior_sunday` ... `behavior_0000` ... `behavior_2300`.")
    name: str
    category: Literal["behavior"]
    percentage: float = Field(description="Share of the timestamped content items (UTC).")


class WatsonWarning(BaseModel):
    warning_id: str = Field(
        description="`WORD_COUNT_MESSAGE`, `JSON_AS_TEXT`, `CONTENT_TRUNCATED` or "
        "`LANGUAGE_NOT_RECOGNISED` (Rapport: the text may not be English)."
    )
    message: str


class WatsonProfile(BaseModel):
    word_count: int
    word_count_message: str | SkipJsonSchema[None] = Field(None, description="Under 600 words.")
    processed_language: Literal["en"]
    personality: list[WatsonTrait] = Field(description="The Big Five.")
    needs: list[WatsonTrait]
    values: list[WatsonTrait]
    behavior: list[WatsonBehavior] | SkipJsonSchema[None] = Field(
        None, description="Only for JSON content items with `created` timestamps."
    )
    warnings: list[WatsonWarning]
    model_version: str | SkipJsonSchema[None] = Field(
        None, description="Rapport extra (`rapport_extras=true`)."
    )
    confidence: Confidence | SkipJsonSchema[None] = Field(None, description="Rapport extra.")
    evidence: dict[str, dict[str, Any]] | SkipJsonSchema[None] = Field(
        None, description="Rapport extra."
    )
    guidance: list[Tip] | SkipJsonSchema[None] = Field(None, description="Rapport extra.")


class WatsonErrorOut(BaseModel):
    code: int = Field(description="The HTTP status again, as IBM sent it.")
    error: str = Field(description="What went wrong, in IBM's wording where IBM had one.")
    help: str = Field(description="Where the API is documented.")
