"""Pydantic building blocks shared by the domains' request and response models."""

from __future__ import annotations

import uuid
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from rapport.core.inputs import MAX_TEXT, JsonRefused, strict_json
from rapport.core.text import unstorable_reason

T = TypeVar("T")


class InputModel(BaseModel):
    """Request bodies: unknown fields and wrong types are refused, never guessed at."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, str_max_length=MAX_TEXT)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object) -> object:
        """Every text, key and nested value of every field: no NUL, no lone surrogates, no
        non-finite numbers, bounded nesting; a model built from a form gets this too."""
        if isinstance(value, str):  # its own JSON value: only its characters can be refused
            if reason := unstorable_reason(value):
                raise ValueError(reason)
        elif isinstance(value, dict | list):
            try:
                strict_json(_json_text(value))
            except JsonRefused as exc:
                where = ".".join(str(p) for p in exc.path)
                raise ValueError(f"{where + ' ' if where else ''}{exc.reason}") from None
        return value


def _json_text(value: object) -> str:
    import json

    try:
        return json.dumps(value, default=str, check_circular=False)
    except (RecursionError, ValueError):
        return "[" * 1000  # refused below as nested too deeply or not JSON


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        None, description="Pass as `cursor` to get the next page; null on the last page."
    )


class ErrorOut(BaseModel):
    """Every error but 422: `detail` for people, `code` for programs, and the extras below
    on the errors that carry them (absent otherwise, never null)."""

    detail: str = Field(description="What went wrong and what to do, in a sentence or two.")
    code: str = Field(
        description="Stable and machine-readable: `unauthorized`, `forbidden`, `not_found`, "
        "`conflict`, `gone`, `precondition_failed`, `personality_insights_disabled`, "
        "`payload_too_large`, `unsupported_media_type`, `too_many_requests`, ..."
    )
    current_version: int | SkipJsonSchema[None] = Field(
        None, description="412: the record's version now; its ETag is this number in quotes."
    )
    field: str | SkipJsonSchema[None] = Field(
        None, description="409: the field whose value is already taken (`email`, ...)."
    )
    existing_contact_id: uuid.UUID | SkipJsonSchema[None] = Field(
        None, description="409: the contact that already has the email or external id."
    )
    existing_account_id: uuid.UUID | SkipJsonSchema[None] = Field(
        None, description="409: the account that already has the identifier."
    )
    contact_count: int | SkipJsonSchema[None] = Field(
        None, description="409: how many contacts keep the account from being deleted."
    )
    interaction_id: uuid.UUID | SkipJsonSchema[None] = Field(
        None, description="409: the interaction a message's external_id belongs to."
    )
    state: str | SkipJsonSchema[None] = Field(
        None, description="409: the interaction's state, which does not allow this step."
    )
    survivor_id: uuid.UUID | SkipJsonSchema[None] = Field(
        None, description="410: the contact this merged contact now lives on."
    )
    required_role: Literal["agent", "supervisor", "admin"] | SkipJsonSchema[None] = Field(
        None, description="403: the role this needs."
    )


class FieldErrorOut(BaseModel):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(BaseModel):
    detail: list[FieldErrorOut]


class ReadyOut(BaseModel):
    status: Literal["ok"]
    database: str = Field(description="`sqlite` or `postgresql`.")


class NotReadyOut(BaseModel):
    status: Literal["unavailable"]
    detail: str = Field(description="Why the database did not answer.")


Limit = Annotated[int, Field(ge=1, le=200, description="Items per page (1 to 200).")]

ERROR_RESPONSES: dict[int | str, dict] = {
    401: {
        "model": ErrorOut,
        "description": "Missing, invalid or revoked API token.",
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer"}},
    },
    403: {"model": ErrorOut, "description": "The token's role does not allow this."},
    404: {"model": ErrorOut, "description": "No such record in your tenant."},
    422: {"model": ValidationErrorOut, "description": "A field is invalid; `loc` names it."},
}


def conflict(description: str) -> dict[int | str, dict]:
    """409, saying when this route answers it (the extras say with what)."""
    return {409: {"model": ErrorOut, "description": description}}


GONE: dict[int | str, dict] = {
    410: {
        "model": ErrorOut,
        "description": "The contact was merged into another one; `survivor_id` names it.",
    }
}
STALE: dict[int | str, dict] = {
    412: {
        "model": ErrorOut,
        "description": "`If-Match` names an older version: someone changed the record since "
        "you read it. `current_version` is the version now; read it again and reapply.",
    }
}
_ETAG = {
    "ETag": {
        "schema": {"type": "string"},
        "description": 'The record\'s version in quotes (`"3"`): send it back as `If-Match`.',
    }
}


def with_etag(*statuses: int) -> dict[int | str, dict]:
    """The success responses of a route that answers one versioned record with its ETag."""
    return {code: {"headers": _ETAG} for code in statuses or (200,)}
