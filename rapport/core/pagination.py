"""Opaque keyset cursors: stable order, no duplicates or gaps between pages."""

from __future__ import annotations

import base64
import json
from typing import Any

from sqlalchemy import ColumnElement, tuple_

from rapport.core.errors import FieldError, ValidationFailed


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, length: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(values, list) or len(values) != length:
            raise ValueError
        return values
    except ValueError:
        raise ValidationFailed(
            [FieldError("query.cursor", "is not a cursor returned by this list")]
        ) from None


def past_cursor(columns: tuple, values: tuple, *, descending: bool = False) -> ColumnElement[bool]:
    """Rows past the cursor's position in the list's order.

    A row-value comparison, `(a, id) > (x, y)`, rather than `a > x OR (a = x AND id > y)`: the
    database then starts reading the order's index at the cursor, where the OR form made it
    read every row past the cursor for each page."""
    position = tuple_(*columns)  # compared with a plain tuple: values bind as the columns' types
    return position < tuple(values) if descending else position > tuple(values)
