"""HTTP helpers shared by the routers: ETags, If-Match, answers serialised once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Response
from pydantic import BaseModel

from rapport.core.errors import FieldError, ValidationFailed

# The header every route that changes a versioned record accepts.
IfMatch = Annotated[
    str | None,
    Header(description='The ETag you read (e.g. `"3"`); a stale one answers 412.'),
]


def etag(version: int) -> str:
    return f'"{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def expected_version(if_match: str | None) -> int | None:
    """The version an If-Match header names (`"3"`, `W/"3"`); None when absent or `*`."""
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    # ASCII digits only, and a version fits 64 bits: '٣' or a thousand digits are no ETag.
    if not (value.isascii() and value.isdigit() and len(value) <= 18):
        raise ValidationFailed(
            [FieldError("header.If-Match", 'must be an ETag from a previous response, like "3"')]
        )
    return int(value)


def json_response(
    out: BaseModel, status_code: int = 200, headers: Response | None = None
) -> Response:
    """An answer already built as its response model, serialised once, straight to JSON.

    Returned as is, FastAPI would validate the model again and serialise it in a thread-pool
    hand-off of its own; the route's `response_model` still documents it. `headers`: the
    route's injected response, whose headers (Location, ETag...) go with the answer.
    """
    answer = Response(out.model_dump_json(), status_code, media_type="application/json")
    if headers is not None:
        answer.headers.raw.extend(headers.headers.raw)
    return answer
