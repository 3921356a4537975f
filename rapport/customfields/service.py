"""Defining custom fields, and checking a contact's values against the definitions."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rapport.audit import service as audit
from rapport.contacts import fields
from rapport.core.auth import Actor
from rapport.core.db import utcnow
from rapport.core.errors import (
    Conflict,
    FieldCollector,
    FieldError,
    NotFound,
    ValidationFailed,
    check_version,
)
from rapport.core.ids import new_id
from rapport.core.tenant_cache import TenantCache
from rapport.core.text import clean_text
from rapport.customfields.models import FIELD_TYPES, ROLES, SETTINGS, CustomField
from rapport.customfields.values import clean_value
from rapport.users.token_cache import detached_copy

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
CHOICE_TYPES = ("single_choice", "multiple_choice")
MAX_FIELDS = 200
_CACHE = "custom_fields"


def key_from_name(name: str) -> str:
    """A field key made from a free-form name: 'Contract end' -> 'contract_end'."""
    key = re.sub(r"[^a-z0-9]+", "_", fields.fold(name)).strip("_")[:50] or "field"
    return key if key[0].isalpha() else f"f_{key}"[:50]


# Every contact read or written needs them: kept per tenant for a few seconds (the bound is
# in core/tenant_cache.py), as copies belonging to no session, which nobody changes.
_process_cache: TenantCache[list[CustomField]] = TenantCache(_CACHE).watch([CustomField])


def definitions(
    *, db: Session, tenant_id: uuid.UUID, include_deleted: bool = False
) -> list[CustomField]:
    """The tenant's fields in the administrator's order, to read (change the one `get`
    returns); read once per session, and at most once per few seconds per process."""
    cache = db.info.setdefault(_CACHE, {})
    if tenant_id not in cache:
        found = _process_cache.get(db, tenant_id)
        if found is None:
            query = select(CustomField).where(CustomField.tenant_id == tenant_id)
            found = list(db.scalars(query.order_by(CustomField.position, CustomField.key)))
            _process_cache.put(db, tenant_id, [detached_copy(f) for f in found])
        cache[tenant_id] = found
    found = cache[tenant_id]
    return list(found) if include_deleted else [f for f in found if f.deleted_at is None]


def _forget(db: Session) -> None:
    db.info.pop(_CACHE, None)


def get(*, db: Session, tenant_id: uuid.UUID, key: str) -> CustomField:
    """The field, in this session: to change it."""
    field = db.scalar(
        select(CustomField).where(CustomField.tenant_id == tenant_id, CustomField.key == key)
    )
    if field is None:
        raise NotFound("Custom field not found.")
    return field


def _check_settings(values: dict[str, Any], errors: FieldCollector) -> None:
    try:
        values["label"] = clean_text("label", values.get("label"), 100)
        values["help_text"] = clean_text("help_text", values.get("help_text"), 500, True)
    except FieldError as exc:
        errors.add(exc.field, exc.message)
    if not values.get("label") and not errors.has("label"):
        errors.add("label", "must not be empty")
    if values.get("type") not in FIELD_TYPES:
        errors.add("type", f"must be one of {', '.join(FIELD_TYPES)}")
    choices = [c.strip() for c in values.get("choices") or [] if isinstance(c, str)]
    if values.get("type") in CHOICE_TYPES:
        if not choices or any(not c or len(c) > 100 for c in choices):
            errors.add("choices", "a choice field needs choices of 1 to 100 characters")
        elif len({fields.fold(c) for c in choices}) != len(choices):
            errors.add("choices", "lists a choice more than once")
    elif choices:
        errors.add("choices", "only choice fields have choices")
    values["choices"] = choices
    roles = values.get("edit_roles")
    if roles is None:
        values["edit_roles"] = list(ROLES)
    elif not set(roles) <= set(ROLES):
        errors.add("edit_roles", f"roles are {', '.join(ROLES)}")
    else:
        values["edit_roles"] = [r for r in ROLES if r in roles]


def create(
    *, db: Session, tenant_id: uuid.UUID, values: dict[str, Any], actor: Actor | None = None
) -> CustomField:
    errors = FieldCollector()
    key = values.get("key") or ""
    if not KEY_PATTERN.match(key):
        errors.add("key", "must start with a letter: lower-case letters, digits and _ (max 50)")
    _check_settings(values, errors)
    errors.raise_if_any()
    existing = definitions(db=db, tenant_id=tenant_id, include_deleted=True)
    for other in existing:
        if other.key == key:
            hint = " (a deleted field: restore or purge it)" if other.deleted_at else ""
            raise Conflict(f"Another custom field already has the key '{key}'{hint}.", field="key")
    if len(existing) >= MAX_FIELDS:
        raise ValidationFailed([FieldError("key", f"a workspace has at most {MAX_FIELDS} fields")])
    if values.get("position") is None:
        values["position"] = max((f.position for f in existing), default=0) + 10
    field = CustomField(
        tenant_id=tenant_id,
        id=new_id(),
        key=key,
        **{name: values[name] for name in SETTINGS if values.get(name) is not None},
    )
    db.add(field)
    db.flush()
    _forget(db)
    _audit(db, field, actor, "create", None, field.as_dict())
    return field


def update_field(
    *,
    db: Session,
    field: CustomField,
    changes: dict[str, Any],
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> CustomField:
    """Change a field's settings. Its type stays: values already stored were checked by it."""
    check_version(field.version, expected_version)
    if "type" in changes and changes["type"] != field.type:
        raise ValidationFailed([FieldError("type", "cannot change; add a new field instead")])
    merged = {name: getattr(field, name) for name in SETTINGS} | changes
    errors = FieldCollector()
    _check_settings(merged, errors)
    errors.raise_if_any()
    before = field.as_dict()
    for name in SETTINGS:
        if merged.get(name) is not None or name == "help_text":
            setattr(field, name, merged[name])
    db.flush()
    _forget(db)
    _audit(db, field, actor, "update", before, field.as_dict())
    return field


def delete_field(*, db: Session, field: CustomField, actor: Actor | None = None) -> None:
    """Hide the field; its values stay on the contacts until purged."""
    if field.deleted_at is None:
        before = field.as_dict()
        field.deleted_at = utcnow()
        db.flush()
        _forget(db)
        _audit(db, field, actor, "delete", before, field.as_dict())


def restore_field(*, db: Session, field: CustomField, actor: Actor | None = None) -> None:
    if field.deleted_at is not None:
        before = field.as_dict()
        field.deleted_at = None
        db.flush()
        _forget(db)
        _audit(db, field, actor, "update", before, field.as_dict())


def purge_field(*, db: Session, field: CustomField, actor: Actor | None = None) -> int:
    """Remove a deleted field's values from every contact, then the field; the count purged."""
    from rapport.contacts.models import Contact  # contacts import this module for its rules

    if field.deleted_at is None:
        raise Conflict("Delete the field before purging its values.", field="key")
    purged = 0
    holders = db.scalars(
        select(Contact).where(
            Contact.tenant_id == field.tenant_id, _has_key(db, Contact.custom_fields, field.key)
        )
    )
    for contact in holders:
        values = dict(contact.custom_fields or {})
        values.pop(field.key, None)
        # A bulk UPDATE, not a new contact version: the values were already hidden.
        db.execute(
            update(Contact)
            .where(Contact.tenant_id == contact.tenant_id, Contact.id == contact.id)
            .values(custom_fields=values)
        )
        purged += 1
    _audit(db, field, actor, "delete", field.as_dict(), None, purged=purged)
    db.delete(field)
    db.flush()
    _forget(db)
    return purged


def _has_key(db: Session, column, key: str):
    if db.get_bind().dialect.name == "postgresql":
        from rapport.customfields.query import jsonb

        return jsonb(column).has_key(key)
    from sqlalchemy import func

    return func.json_type(column, f'$."{key}"').is_not(None)


def _audit(db, field, actor, action, before, after, **extra) -> None:
    changes = audit.diff(before, after)
    if extra:
        changes.update({k: [None, v] for k, v in extra.items()})
    audit.record(
        db=db,
        tenant_id=field.tenant_id,
        actor=actor,
        action=action,
        record_type="custom_field",
        record_id=field.id,
        label=field.label,
        changes=changes,
    )


# --- a contact's values --------------------------------------------------------------------


def by_name(defined: list[CustomField]) -> dict[str, CustomField]:
    """Fields by key, and by the free-form attribute name they were made from."""
    found = {f.attribute_name: f for f in defined if f.attribute_name}
    return found | {f.key: f for f in defined}


def clean_contact_values(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    values: dict[str, Any] | None,
    region: str | None,
    errors: FieldCollector,
    required_for: set[str] | None = None,
) -> dict[str, Any]:
    """A contact's whole set of values, checked; values of deleted fields are kept as they are.

    Required fields are required of a new contact (`required_for` None) and, on a change, of
    the fields it touches: a field made required later does not block unrelated edits."""
    defined = definitions(db=db, tenant_id=tenant_id, include_deleted=True)
    keys = {f.key: f for f in defined}
    clean: dict[str, Any] = {}
    for key, value in (values or {}).items():
        field = keys.get(key)
        where = f"custom_fields.{key}"
        if field is None:
            errors.add(where, "is not a custom field of this workspace")
            continue
        if field.deleted_at is not None:
            clean[key] = value
            continue
        try:
            value = clean_value(field, value, region, where)
        except FieldError as exc:
            errors.add(exc.field, exc.message)
            continue
        if value is not None:
            clean[key] = value
    for field in defined:
        if required_for is not None and field.key not in required_for:
            continue
        if field.required and field.deleted_at is None and field.key not in clean:
            if not errors.has(f"custom_fields.{field.key}"):
                errors.add(f"custom_fields.{field.key}", f"{field.label} is required")
    return clean


def split_attributes(
    *, db: Session, tenant_id: uuid.UUID, values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(free-form attributes left, typed values): an attribute named like a field (its key, or
    the attribute it was made from) is that field's value, so older integrations keep working."""
    attributes = dict(values.get("custom_attributes") or {})
    typed = dict(values.get("custom_fields") or {})
    if not attributes:
        return attributes, typed
    named = by_name(definitions(db=db, tenant_id=tenant_id))
    for name in list(attributes):
        if name in named:
            typed[named[name].key] = attributes.pop(name)
    return attributes, typed


def attributes_view(
    *, db: Session, tenant_id: uuid.UUID, attributes: dict, typed: dict
) -> dict[str, Any]:
    """`custom_attributes` as older clients read it: free-form ones plus fields made from them."""
    view = dict(attributes or {})
    if not typed:
        return view  # no field has a value: no need for the definitions
    for field in definitions(db=db, tenant_id=tenant_id):
        if field.attribute_name and field.key in (typed or {}):
            view[field.attribute_name] = typed[field.key]
    return view


def visible_values(*, db: Session, tenant_id: uuid.UUID, typed: dict) -> dict[str, Any]:
    """The values of the fields not deleted, in the administrator's order."""
    if not typed:
        return {}
    return {f.key: typed[f.key] for f in definitions(db=db, tenant_id=tenant_id) if f.key in typed}


def check_edit_roles(
    *, db: Session, tenant_id: uuid.UUID, role: str | None, before: dict, after: dict
) -> None:
    """Refuse a change to a field the editor's role may not edit (403 names the field)."""
    if role is None or before == after:
        return
    for field in definitions(db=db, tenant_id=tenant_id):
        if before.get(field.key) != after.get(field.key) and role not in field.edit_roles:
            raise ValidationFailed(
                [
                    FieldError(
                        f"custom_fields.{field.key}",
                        f"{field.label} can be changed only by "
                        + " or ".join(field.edit_roles or ["nobody"]),
                        kind="permission_error",
                    )
                ]
            )
