"""Generic text rules shared by every domain: what text may hold, and how it compares."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from rapport.core.errors import FieldError

# Any C0/C1 control character except tab and newline, which free text may carry.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# NUL cannot be stored in PostgreSQL text, and a lone UTF-16 surrogate is not a character in
# any encoding: both are refused everywhere, so both databases answer alike.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_reason(value: str) -> str | None:
    """Why this text cannot be stored, or None when it can."""
    match = _UNSTORABLE.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return "must not contain control characters (NUL)"
    return "must not contain lone UTF-16 surrogates (not valid Unicode)"


def clean_text(
    field: str, value: str | None, max_length: int, multiline: bool = False
) -> str | None:
    """Trimmed text, or None when blank; control characters and overlong text are refused."""
    if value is None:
        return None
    pattern = _CONTROL if multiline else _CONTROL_SINGLE_LINE
    if pattern.search(value):
        raise FieldError(field, "must not contain control characters")
    if reason := unstorable_reason(value):
        raise FieldError(field, reason)
    value = value.strip()
    if not value:
        return None
    if len(value) > max_length:
        raise FieldError(field, f"must be at most {max_length} characters (got {len(value)})")
    return value


def fold(text: str | None) -> str:
    """Lower-case without accents: 'Müller' and 'muller' sort and search alike."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key_of(folded: str, column: Any) -> str:
    """A folded or case-folded key cut to its column's length: folding can lengthen text
    ('ß' → 'ss', 'ﬃ' → 'ffi'), and a name at its limit must still be stored. The cut keeps
    the key's use: sorting and finding by prefix, and uniqueness in all but absurd cases."""
    return folded[: _length_of(column)]


@lru_cache(maxsize=64)
def _length_of(column: Any) -> int:
    return column.type.length  # through the mapped attribute: slow enough to matter per row
