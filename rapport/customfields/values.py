"""Custom field values checked by type, with the libraries the standard fields trust.

A value arrives as JSON (API) or text (forms, imports) and is stored as plain JSON: text,
a whole number, a decimal number, an ISO date string, true/false, a choice or a list of them,
a URL, a normalised email, or a phone number in E.164.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import HttpUrl, TypeAdapter, ValidationError

from rapport.contacts import fields
from rapport.core.errors import FieldError
from rapport.core.text import clean_text
from rapport.customfields.models import CustomField

TEXT_LIMIT, LONG_TEXT_LIMIT = 1000, 10000
TRUE, FALSE = {"true", "yes", "y", "1", "on", "x"}, {"false", "no", "n", "0", "off", ""}
_URL = TypeAdapter(HttpUrl)


def _number(where: str, value: Any, whole: bool) -> int | float:
    if isinstance(value, bool):
        raise FieldError(where, "must be a number")
    try:
        number = (
            Decimal(str(value).strip().replace(",", ""))
            if isinstance(value, str)
            else (Decimal(value) if isinstance(value, int) else Decimal(str(value)))
        )
    except (InvalidOperation, ValueError, TypeError):
        raise FieldError(where, f"'{value}' is not a number") from None
    if not number.is_finite():
        raise FieldError(where, "must be a finite number")
    if whole:
        if number != number.to_integral_value():
            raise FieldError(where, f"'{value}' is not a whole number")
        if abs(number) > 2**53:
            raise FieldError(where, "is too large")
        return int(number)
    result = float(number)
    if not math.isfinite(result):
        raise FieldError(where, "is too large")
    return result


def _text(where: str, value: Any, limit: int, multiline: bool = False) -> str | None:
    if not isinstance(value, str):
        raise FieldError(where, "must be text")
    return clean_text(where, value, limit, multiline)


def clean_value(field: CustomField, value: Any, region: str | None, where: str) -> Any:
    """The stored form of one value, or None for blank; FieldError names `where`."""
    if value is None or (isinstance(value, str) and not value.strip() and field.type != "boolean"):
        return None
    kind = field.type
    if kind in ("text", "long_text"):
        long = kind == "long_text"
        return _text(where, value, LONG_TEXT_LIMIT if long else TEXT_LIMIT, long)
    if kind in ("number", "decimal"):
        return _number(where, value, whole=kind == "number")
    if kind == "date":
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                pass
        raise FieldError(where, f"'{value}' is not a date (YYYY-MM-DD)")
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().casefold() in TRUE | FALSE:
            return value.strip().casefold() in TRUE
        raise FieldError(where, "must be true or false")
    if kind == "single_choice":
        return _choice(field, where, value)
    if kind == "multiple_choice":
        items = value.split(";") if isinstance(value, str) else value
        if not isinstance(items, list):
            raise FieldError(where, "must be a list of choices")
        chosen = [_choice(field, where, item) for item in items]
        chosen = [c for c in field.choices if c in chosen]  # the administrator's order, once
        return chosen or None
    if kind == "url":
        text = _text(where, value, 2000)
        try:
            return str(_URL.validate_python(text))
        except ValidationError:
            raise FieldError(where, f"'{text}' is not a web address (https://...)") from None
    if kind == "email":
        text = _text(where, value, 320)
        return text and fields.normalize_email(where, text)[1]
    if kind == "phone":
        text = _text(where, value, 50)
        return text and fields.parse_phone(where, text, region).e164
    raise FieldError(where, f"has an unknown type '{kind}'")


def _choice(field: CustomField, where: str, value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(where, "must be one of the field's choices")
    folded = fields.fold(value.strip())
    for choice in field.choices:
        if fields.fold(choice) == folded:
            return choice
    listed = ", ".join(field.choices)
    raise FieldError(where, f"'{value.strip()}' is not one of the choices ({listed})")


def display(field: CustomField, value: Any, country: str | None = None) -> str:
    """The value as people read it on a page or in a spreadsheet cell."""
    if value is None or value == []:
        return ""
    if field.type == "boolean":
        return "Yes" if value else "No"
    if field.type == "multiple_choice" and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if field.type == "phone":
        return fields.display_phone(value, country) or ""
    return str(value)
