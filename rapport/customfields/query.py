"""Filtering and sorting contacts by custom fields: `cf.KEY=value`, `cf.KEY[lt]=value`.

Equality on PostgreSQL is JSONB containment (`custom_fields @> '{"vip": true}'`), which the
GIN index (jsonb_path_ops) answers; ranges compare the extracted value, cast by type. SQLite
reads the value with json_extract.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    Numeric,
    String,
    and_,
    cast,
    exists,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from rapport.core.errors import FieldError, ValidationFailed
from rapport.customfields import service
from rapport.customfields.models import CustomField
from rapport.customfields.values import clean_value

PARAM = re.compile(r"^cf\.([a-z][a-z0-9_]{0,49})(?:\[(eq|ne|lt|lte|gt|gte|empty)\])?$")
SORT = re.compile(r"^-?cf\.[a-z][a-z0-9_]{0,49}$")
RANGED = ("number", "decimal", "date")
NUMERIC = ("number", "decimal")


@dataclass(frozen=True)
class Condition:
    key: str
    op: str
    raw: str


def jsonb(column):
    """The column with PostgreSQL's JSONB operators (@>, ?, ->>); no cast in the SQL."""
    return type_coerce(column, JSONB)


def parse_params(params: Any) -> list[Condition]:
    """The `cf.` query parameters of a request (a multi-dict or a list of pairs)."""
    pairs = params.multi_items() if hasattr(params, "multi_items") else params
    return [
        Condition(m[1], m[2] or "eq", value) for name, value in pairs if (m := PARAM.match(name))
    ]


def _field(db: Session, tenant_id: uuid.UUID, key: str, where: str) -> CustomField:
    for field in service.definitions(db=db, tenant_id=tenant_id):
        if field.key == key:
            return field
    raise ValidationFailed([FieldError(where, "is not a custom field of this workspace")])


def _extract(db: Session, column, field: CustomField) -> ColumnElement:
    """The field's value as a comparable SQL expression."""
    if db.get_bind().dialect.name == "postgresql":
        text = jsonb(column)[field.key].astext
        if field.type in NUMERIC:
            return cast(text, Numeric)
        return text
    value = func.json_extract(column, f'$."{field.key}"')
    return cast(value, Float) if field.type == "decimal" else value


def condition(
    *, db: Session, tenant_id: uuid.UUID, column, wanted: Condition, region: str | None
) -> ColumnElement[bool]:
    where = f"query.cf.{wanted.key}"
    field = _field(db, tenant_id, wanted.key, where)
    postgres = db.get_bind().dialect.name == "postgresql"
    if wanted.op == "empty":
        present = (
            jsonb(column).has_key(field.key)
            if postgres
            else (func.json_type(column, f'$."{field.key}"').is_not(None))
        )
        return ~present if wanted.raw.strip().lower() in ("true", "1", "yes", "") else present
    if wanted.op in ("lt", "lte", "gt", "gte") and field.type not in RANGED:
        raise ValidationFailed([FieldError(where, f"[{wanted.op}] needs a number or date field")])
    try:
        value = clean_value(field, wanted.raw, region, where)
    except FieldError as exc:
        raise ValidationFailed([exc]) from None
    if value is None:
        raise ValidationFailed([FieldError(where, "needs a value")])
    if field.type == "multiple_choice":
        # cf.tags=gold: contacts whose choices include every one named.
        if postgres:
            found = jsonb(column).contains({field.key: value})
        else:
            each = func.json_each(column, f'$."{field.key}"').table_valued("value")
            found = and_(
                *(
                    exists(select(literal(1)).select_from(each).where(each.c.value == v))
                    for v in value
                )
            )
        return ~found if wanted.op == "ne" else found
    if wanted.op in ("eq", "ne"):
        if postgres:
            found = jsonb(column).contains({field.key: value})
        else:
            stored = func.json_extract(column, f'$."{field.key}"')
            # IS, not =: a contact without a value is not equal, so [ne] includes it.
            found = stored.is_not_distinct_from(int(value) if isinstance(value, bool) else value)
        return ~found if wanted.op == "ne" else found
    expression = _extract(db, column, field)
    bound = literal(value, Numeric() if postgres and field.type in NUMERIC else None)
    if field.type == "date":
        bound = literal(value, String())
    return {
        "lt": expression < bound,
        "lte": expression <= bound,
        "gt": expression > bound,
        "gte": expression >= bound,
    }[wanted.op]


def sort_expression(*, db: Session, tenant_id: uuid.UUID, column, key: str) -> ColumnElement:
    """A sortable, never-null form of the field's value (contacts without one sort first)."""
    field = _field(db, tenant_id, key, "query.sort")
    expression = _extract(db, column, field)
    if field.type in NUMERIC:
        return func.coalesce(cast(expression, Float), -1e15)
    return func.coalesce(cast(expression, String), "")
