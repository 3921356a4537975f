"""The input types every route and form shares, so the next field gets the same rules.

Text that either database cannot store (NUL, lone UTF-16 surrogates), text longer than its
column, numbers beyond 64 bits and dates without a zone or out of range are refused with a
422 naming the field, and PostgreSQL and SQLite then answer alike."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, AwareDatetime, Field, StrictBool, StringConstraints
from sqlalchemy.orm import InstrumentedAttribute

from rapport.core.errors import FieldError
from rapport.core.text import unstorable_reason

# The longest text any field takes (a note, an example for insights); columns cap the rest.
MAX_TEXT = 100_000
# The longest value of a query-string parameter: searches, filters, ids, cursors.
MAX_QUERY_TEXT = 1000
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_JSON_DEPTH = 32


def storable(value: str) -> str:
    if reason := unstorable_reason(value):
        raise ValueError(reason)
    return value


def Text(max_length: int = MAX_TEXT, min_length: int = 0) -> Any:  # noqa: N802 - a type
    """A string either database stores as given, of at most `max_length` characters."""
    return Annotated[
        str,
        StringConstraints(max_length=max_length, min_length=min_length),
        AfterValidator(storable),
    ]


def column_length(column: InstrumentedAttribute) -> int:
    length = getattr(column.property.columns[0].type, "length", None)
    if not length:
        raise TypeError(f"{column} has no length")
    return length


def column_overflow(model: type, field: str, value: str) -> str | None:
    """Why a value does not fit its model's column, or None when it does."""
    length = getattr(model.__table__.c[field].type, "length", None)
    if length and len(value) > length:
        return f"must be at most {length} characters (got {len(value)})"
    return None


def ColumnText(column: InstrumentedAttribute) -> Any:  # noqa: N802 - a type
    """Text as long as the column allows: derived from the model, so the two never drift."""
    return Text(column_length(column))


def in_range(value: datetime) -> datetime:
    # Year 1 at +14:00 is before year 1 in UTC: no database or Python datetime holds it.
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range (years 1 to 9999 in UTC)") from None
    if not 1 <= utc.year <= 9999 or utc.year == 9999 and utc.month == 12 and utc.day == 31:
        raise ValueError("is out of range (years 1 to 9999 in UTC)")
    return utc


# A moment: an ISO 8601 date and time with its zone (`2026-01-01T09:00:00+01:00`, `...Z`).
Moment = Annotated[AwareDatetime, AfterValidator(in_range)]
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]
Count = Annotated[int, Field(ge=0, le=INT64_MAX)]
# A boolean that is sent, or left out: `null` is not a third answer.
Flag = StrictBool

QueryText = Annotated[str | None, Query(max_length=MAX_QUERY_TEXT), AfterValidator(
    lambda v: v if v is None else storable(v))]  # fmt: skip
Cursor = Annotated[
    str | None,
    Query(
        max_length=MAX_QUERY_TEXT,
        description="The `next_cursor` of the previous page; anything else answers 422.",
    ),
]


class _Refused:
    """Stands in, while a JSON body is read, for a value no field can take."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _parse_float(text: str) -> float | _Refused:
    value = float(text)
    return value if math.isfinite(value) else _Refused("is a number out of range")


def _parse_int(text: str) -> int | _Refused:
    if len(text) > 20 or not INT64_MIN <= int(text) <= INT64_MAX:
        return _Refused("is a number beyond 64 bits")
    return int(text)


def _parse_constant(name: str) -> _Refused:
    return _Refused(f"is {name}, which is not a JSON number")


class JsonRefused(ValueError):
    def __init__(self, path: list[str | int], reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def strict_json(raw: bytes | str) -> Any:
    """JSON as the standard defines it: no NaN or Infinity, numbers a database can hold, no
    text it cannot store, nesting at most MAX_JSON_DEPTH deep. Raises JsonRefused naming
    where; walks the result without recursion."""
    try:
        value = json.loads(raw, parse_float=_parse_float, parse_int=_parse_int,
                           parse_constant=_parse_constant)  # fmt: skip
    except RecursionError:
        raise JsonRefused([], f"is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except UnicodeDecodeError:
        raise JsonRefused([], "is not UTF-8 text") from None
    except ValueError as exc:
        raise JsonRefused([], f"is not valid JSON ({str(exc).split(':')[0]})") from None
    stack: list[tuple[list[str | int], Any]] = [([], value)]
    while stack:
        path, item = stack.pop()
        if len(path) > MAX_JSON_DEPTH:
            raise JsonRefused(path[:MAX_JSON_DEPTH], f"is nested more than {MAX_JSON_DEPTH} "
                              "levels deep")  # fmt: skip
        if isinstance(item, _Refused):
            raise JsonRefused(path, item.reason)
        if isinstance(item, str):
            if reason := unstorable_reason(item):
                raise JsonRefused(path, reason)
        elif isinstance(item, dict):
            for key, child in item.items():
                if reason := unstorable_reason(key):
                    # The path stops short of the key: it cannot be written back either.
                    raise JsonRefused(path, f"a key {reason}")
                stack.append(([*path, key], child))
        elif isinstance(item, list):
            stack.extend(([*path, i], child) for i, child in enumerate(item))
    return value


def json_field(field: str, text: str | None) -> Any:
    """A form field holding JSON (an import's mapping), read by the same strict rules."""
    if text is None or not text.strip():
        return None
    try:
        return strict_json(text)
    except JsonRefused as exc:
        where = ".".join(str(p) for p in exc.path)
        raise FieldError(field, f"{where + ' ' if where else ''}{exc.reason}") from None


def whole_number(field: str, text: str | None, low: int, high: int) -> int | None:
    """A posted or queried whole number in [low, high]; None when blank. ASCII digits only:
    `٣` or thousands of digits are refused, not guessed at."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if (
        not (value.isascii() and value.isdigit())
        or len(value) > 19
        or not low <= int(value) <= high
    ):
        raise FieldError(field, f"must be a whole number from {low} to {high}")
    return int(value)


def plain_number(text: str | None) -> int | None:
    """A typed whole number of at most 18 ASCII digits, else None (the caller says why)."""
    value = text.strip() if text else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None
