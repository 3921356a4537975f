"""Pydantic building blocks shared by the domains' request and response models."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rapport.core.inputs import MAX_TEXT, JsonRefused, strict_json

T = TypeVar("T")


class InputModel(BaseModel):
    """Request bodies: unknown fields and wrong types are refused, never guessed at."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, str_max_length=MAX_TEXT)

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: object) -> object:
        """Every text, key and nested value of every field: no NUL, no lone surrogates, no
        non-finite numbers, bounded nesting; a model built from a form gets this too."""
        if isinstance(value, str | dict | list):
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
    detail: str
    code: str


class FieldErrorOut(BaseModel):
    type: str
    loc: list[str | int]
    msg: str


class ValidationErrorOut(BaseModel):
    detail: list[FieldErrorOut]


Limit = Annotated[int, Field(ge=1, le=200, description="Items per page (1 to 200).")]

ERROR_RESPONSES: dict[int | str, dict] = {
    401: {"model": ErrorOut, "description": "Missing, invalid or revoked API token."},
    403: {"model": ErrorOut, "description": "The token's role does not allow this."},
    404: {"model": ErrorOut, "description": "No such record in your tenant."},
    422: {"model": ValidationErrorOut, "description": "A field is invalid; `loc` names it."},
}
