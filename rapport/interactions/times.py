"""Time rules shared by interactions and messages."""

from __future__ import annotations

from datetime import datetime, timedelta

from rapport.core.errors import FieldCollector

# Clocks of integrating systems drift; a few minutes ahead is tolerated, not more.
CLOCK_SKEW = timedelta(minutes=5)


def check_moment(
    errors: FieldCollector, field: str, value: datetime | None, now: datetime
) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        errors.add(field, "must include a time zone offset (e.g. 2025-01-31T09:30:00Z)")
        return None
    if value > now + CLOCK_SKEW:
        errors.add(field, "must not be in the future")
        return None
    return value
