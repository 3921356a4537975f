"""Opaque keyset cursors: stable order, no duplicates or gaps between pages."""

from __future__ import annotations

import base64
import json
from typing import Any

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
