"""One row of an import: from cells to a contact, through the same rules as the contacts API.

A row is checked by the API's own request model (types, allowed channels, priority range) and
then created or updated by `contacts.service`, which validates and normalises every field.
An empty cell means "no value given": a new contact is created without it, and an existing
contact keeps what it has (an import never clears a field).
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.contacts import fields
from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact, ContactPoint
from rapport.contacts.schemas import ContactCreate
from rapport.core.auth import Actor
from rapport.core.errors import Conflict, FieldError, ValidationFailed
from rapport.imports.models import ImportChange, ImportJob
from rapport.tenants.models import Tenant

MATCH_LABELS = {"email": "email", "phone": "phone or mobile", "external_id": "external id"}


class RowRejected(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))
        self.errors = errors


def values_of(columns: list[tuple[int, str]], cells: list[str | None]) -> dict[str, Any]:
    """The row's contact values as the API would receive them; blank cells are left out."""
    raw = {}
    for index, field in columns:
        text = cells[index] if index < len(cells) else None
        if text is not None and text.strip():
            raw[field] = text
    errors: list[tuple[str, str]] = []
    if "priority" in raw:
        text = raw["priority"].strip()
        raw["priority"] = int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else text
    if "preferred_channels" in raw:
        parts = re.split(r"[\s,;|]+", raw["preferred_channels"].strip().lower())
        raw["preferred_channels"] = [p for p in parts if p]
    if "custom_attributes" in raw:
        try:
            raw["custom_attributes"] = json.loads(raw["custom_attributes"])
        except ValueError:
            errors.append(("custom_attributes", 'must be a JSON object, like {"tier": "gold"}'))
    try:
        checked = ContactCreate.model_validate(raw)
    except ValidationError as exc:
        errors += [(str(e["loc"][0]) if e["loc"] else "row", e["msg"]) for e in exc.errors()]
    if errors:
        raise RowRejected(errors)
    return checked.model_dump(exclude_unset=True)


def restorable(contact: Contact) -> dict[str, Any]:
    """The contact's editable fields in input form, to put them back on rollback."""
    values = {f: getattr(contact, f) for f in contacts_service.EDITABLE if f != "account"}
    values["account"] = str(contact.account_id) if contact.account_id else None
    if contact.time_zone_source != "entered":
        values["time_zone"] = None  # inferred again from the restored phone or country
    return values


def find_match(db: Session, tenant: Tenant, match: str, values: dict[str, Any]) -> Contact | None:
    if match == "email" and values.get("email"):
        try:
            _shown, key = fields.normalize_email("email", values["email"])
        except FieldError:
            return None  # the create reports the bad address
        return db.scalar(
            select(Contact).where(Contact.tenant_id == tenant.id, Contact.email_key == key)
        )
    if match == "external_id" and values.get("external_id"):
        return db.scalar(
            select(Contact).where(
                Contact.tenant_id == tenant.id,
                Contact.external_id == values["external_id"].strip(),
            )
        )
    if match == "phone":
        return _match_phone(db, tenant, values)
    return None


def _match_phone(db: Session, tenant: Tenant, values: dict[str, Any]) -> Contact | None:
    try:
        region = fields.normalize_country(values["country"]) if values.get("country") else None
    except FieldError:
        region = None
    numbers = []
    for field in ("phone", "mobile"):
        if values.get(field):
            try:
                numbers.append(
                    fields.parse_phone(field, values[field], region or tenant.default_country).e164
                )
            except FieldError:
                pass
    if not numbers:
        return None
    found = set(
        db.scalars(
            select(ContactPoint.contact_id).where(
                ContactPoint.tenant_id == tenant.id,
                ContactPoint.value.in_(numbers),
                ContactPoint.kind.in_(("phone", "mobile")),
            )
        )
    )
    if len(found) > 1:
        raise RowRejected([("phone", "matches more than one contact; match by email or id")])
    return (
        contacts_service.get(db=db, tenant_id=tenant.id, contact_id=found.pop()) if found else None
    )


def _seen(db: Session, job: ImportJob, contact_id: uuid.UUID) -> ImportChange | None:
    return db.get(ImportChange, (job.tenant_id, job.id, contact_id))


def apply_row(
    *, db: Session, tenant: Tenant, job: ImportJob, line: int, values: dict, actor: Actor
) -> str:
    """Create or update the row's contact; 'created', 'updated' or 'unchanged'."""
    match = job.options.get("match", "email")
    existing = find_match(db, tenant, match, values)
    try:
        if existing is None:
            contact = contacts_service.create(db=db, tenant=tenant, values=values, actor=actor)
            action, before = "created", None
        else:
            earlier = _seen(db, job, existing.id)
            if earlier is not None:
                raise RowRejected([(match, f"same {MATCH_LABELS[match]} as line {earlier.line}; "
                                           "a contact may appear once per file")])  # fmt: skip
            version, before = existing.version, restorable(existing)
            contact = contacts_service.update(
                db=db, tenant=tenant, contact=existing, changes=values, actor=actor
            )
            action = "unchanged" if contact.version == version else "updated"
    except ValidationFailed as exc:
        raise RowRejected([(e.field, e.message) for e in exc.errors]) from None
    except Conflict as exc:
        raise RowRejected([_conflict_reason(db, job, exc)]) from None
    db.add(
        ImportChange(
            tenant_id=tenant.id, import_id=job.id, contact_id=contact.id, line=line,
            action=action, before=before if action == "updated" else None,
            version_after=contact.version,
        )
    )  # fmt: skip
    return action


def _conflict_reason(db: Session, job: ImportJob, exc: Conflict) -> tuple[str, str]:
    field = exc.extra.get("field", "row")
    existing = exc.extra.get("existing_contact_id")
    earlier = _seen(db, job, uuid.UUID(existing)) if existing else None
    if earlier is not None:
        label = field.replace("_", " ")
        return field, f"same {label} as line {earlier.line}; a contact may appear once per file"
    return field, exc.message
