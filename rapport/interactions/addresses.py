"""The contact's address on a channel, normalised so that it matches contact points."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rapport.contacts import fields
from rapport.contacts.models import Contact, ContactPoint
from rapport.core.errors import FieldError
from rapport.core.text import clean_text

PHONE_KINDS = ("phone", "mobile")
MAX_HANDLE = 320


@dataclass(frozen=True)
class Address:
    value: str  # E.164, lower-cased email, or a case-folded chat handle
    kind: str  # "phone", "email" or "handle"


def _phone(field: str, raw: str, region: str | None) -> Address:
    return Address(fields.parse_phone(field, raw, region).e164, "phone")


def _email(field: str, raw: str) -> Address:
    # "Jane Doe <jane@example.com>": the address is what matches; the name is kept as entered.
    if "<" in raw:
        raw = parseaddr(raw)[1] or raw
    return Address(fields.normalize_email(field, raw)[1], "email")


def kind_of(value: str) -> str:
    """The kind of a stored (normalised) address."""
    if value.startswith("+") and value[1:].isdigit():
        return "phone"
    return "email" if "@" in value.strip("@") else "handle"


def normalize(field: str, channel: str, raw: str, region: str | None) -> Address:
    """Parse `raw` the way its channel needs; raises FieldError naming `field`."""
    value = clean_text(field, raw, MAX_HANDLE)
    if value is None:
        raise FieldError(field, "is required")
    if channel in ("voice", "sms"):
        return _phone(field, value, region)
    if channel == "email":
        return _email(field, value)
    # Chat: a visitor may be known by email, by phone, or only by a handle.
    if "@" in value.strip("@"):
        try:
            return _email(field, value)
        except FieldError:
            pass
    if sum(ch.isdigit() for ch in value) >= 6:
        try:
            return _phone(field, value, region)
        except FieldError:
            pass
    return Address(value.casefold(), "handle")


def matching_contacts(
    *, db: Session, tenant_id: uuid.UUID, address: Address, priorities: dict | None = None
) -> list[uuid.UUID]:
    """Contacts whose phone, mobile or email is this address (one index probe).

    `priorities`: filled with each matching contact's priority, read in the same statement
    (intake routes by it)."""
    if address.kind == "handle":
        return []
    kinds = PHONE_KINDS if address.kind == "phone" else ("email",)
    columns = [ContactPoint.contact_id]
    if priorities is not None:
        columns.append(func.min(Contact.priority))
    query = select(*columns).where(
        ContactPoint.tenant_id == tenant_id,
        ContactPoint.value == address.value,
        ContactPoint.kind.in_(kinds),
    )
    if priorities is not None:
        query = query.join(Contact, (Contact.tenant_id == ContactPoint.tenant_id)
                           & (Contact.id == ContactPoint.contact_id))  # fmt: skip
    rows = db.execute(
        query.group_by(ContactPoint.contact_id).order_by(func.min(ContactPoint.kind)).limit(20)
    ).all()
    if priorities is not None:
        priorities.update((row[0], row[1]) for row in rows)
    return [row[0] for row in rows]
