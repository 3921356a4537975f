"""Opaque keyset cursors: stable order, no duplicates or gaps between pages.

A cursor is signed with the application's secret, so a list answers 422 to anything it
did not write itself; its values are parsed back to their types, so a cursor of one list
given to another (a name where a date belongs) is refused the same way."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, tuple_

from rapport.core.errors import FieldError, ValidationFailed

MAX_CURSOR_LENGTH = 1000
_SIGNATURE_BYTES = 16
# Replaced by the application's secret at start (`use_secret`), so every process of one
# deployment reads the cursors of the others; a random key serves a process without one.
_key: bytes = secrets.token_bytes(32)


def use_secret(secret: str) -> None:
    global _key
    _key = hashlib.sha256(b"rapport-cursor\x00" + secret.encode()).digest()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode((text + "=" * (-len(text) % 4)).encode())


def _signature(payload: str) -> str:
    digest = hmac.new(_key, payload.encode(), hashlib.sha256).digest()
    return _b64(digest[:_SIGNATURE_BYTES])


def encode_cursor(values: list[Any]) -> str:
    payload = _b64(json.dumps(values, separators=(",", ":"), default=str).encode())
    return f"{payload}.{_signature(payload)}"


def invalid_cursor() -> ValidationFailed:
    return ValidationFailed([FieldError("query.cursor", "is not a cursor returned by this list")])


def decode_cursor(cursor: str, *parsers: Callable[[Any], Any]) -> list[Any]:
    """The cursor's values, each passed through its parser (`uuid.UUID`, `int`, ...)."""
    try:
        if len(cursor) > MAX_CURSOR_LENGTH or not cursor.isascii():
            raise ValueError
        payload, _, signature = cursor.partition(".")
        if not hmac.compare_digest(signature, _signature(payload)):
            raise ValueError
        values = json.loads(_unb64(payload))
        if not isinstance(values, list) or len(values) != len(parsers):
            raise ValueError
        return [parse(value) for parse, value in zip(parsers, values, strict=True)]
    except (ValueError, TypeError, OverflowError):
        raise invalid_cursor() from None


def as_text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError
    return value


def as_count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError
    return value


def as_datetime(value: Any) -> datetime:
    parsed = datetime.fromisoformat(as_text(value))
    if parsed.tzinfo is None:
        raise ValueError
    return parsed


def past_cursor(columns: tuple, values: tuple, *, descending: bool = False) -> ColumnElement[bool]:
    """Rows past the cursor's position in the list's order.

    A row-value comparison, `(a, id) > (x, y)`, rather than `a > x OR (a = x AND id > y)`: the
    database then starts reading the order's index at the cursor, where the OR form made it
    read every row past the cursor for each page."""
    position = tuple_(*columns)  # compared with a plain tuple: values bind as the columns' types
    return position < tuple(values) if descending else position > tuple(values)
