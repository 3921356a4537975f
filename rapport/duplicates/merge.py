"""Merging contacts: one transaction; the user picks which value survives, field by field.

Related records (notes, interactions, personality examples, ...) move to the survivor
through movers that their domains register, so this module needs no knowledge of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from rapport.audit import service as audit
from rapport.contacts import points as contact_points
from rapport.contacts import postal
from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact, ContactRedirect
from rapport.core.auth import Actor
from rapport.core.errors import FieldCollector
from rapport.tenants.models import Tenant

# (db, tenant_id, merged contact ids, survivor id) -> number of records moved
Mover = Callable[[Session, uuid.UUID, list[uuid.UUID], uuid.UUID], int]
MOVERS: dict[str, Mover] = {}


def register_mover(name: str, mover: Mover) -> None:
    """Domains that keep records about a contact call this so merges carry them along."""
    MOVERS[name] = mover


def _value(contact: Contact, field: str) -> Any:
    return (
        str(contact.account_id)
        if field == "account" and contact.account_id
        else (None if field == "account" else getattr(contact, field))
    )


# Values held by key (free-form attributes, custom fields): merged, not chosen whole.
KEYED_FIELDS = ("custom_attributes", "custom_fields")


def merged_values(contacts: list[Contact], choices: dict[str, uuid.UUID]) -> dict[str, Any]:
    """The surviving record: chosen values, else the most recently updated non-empty one."""
    by_id = {c.id: c for c in contacts}
    newest_first = sorted(contacts, key=lambda c: c.updated_at, reverse=True)
    values: dict[str, Any] = {}
    for field in contacts_service.EDITABLE:
        if field in choices:
            values[field] = _value(by_id[choices[field]], field)
        elif field in KEYED_FIELDS:  # combined key by key; the newest value of a key wins
            merged: dict[str, Any] = {}
            for contact in reversed(newest_first):
                merged.update({k: v for k, v in (getattr(contact, field) or {}).items()
                               if v not in (None, "", [])})  # fmt: skip
            values[field] = merged
        elif field == "time_zone":
            chosen = next((c for c in newest_first if c.time_zone_source == "entered"), None)
            values[field] = chosen.time_zone if chosen else None
        else:
            values[field] = next(
                (_value(c, field) for c in newest_first if _value(c, field) not in (None, "", [])),
                None,
            )
    if "priority" not in choices:
        values["priority"] = min(c.priority for c in contacts)  # the more urgent one wins
    return values


def merge(
    *,
    db: Session,
    tenant: Tenant,
    survivor_id: uuid.UUID,
    merged_ids: list[uuid.UUID],
    choices: dict[str, uuid.UUID] | None = None,
    actor: Actor | None = None,
) -> tuple[Contact, dict[str, int]]:
    choices = choices or {}
    errors = FieldCollector()
    if not merged_ids:
        errors.add("merged_ids", "name at least one contact to merge into the survivor")
    if survivor_id in merged_ids or len(set(merged_ids)) != len(merged_ids):
        errors.add("merged_ids", "must be distinct and must not include the survivor")
    errors.raise_if_any()
    survivor = contacts_service.get(db=db, tenant_id=tenant.id, contact_id=survivor_id)
    merged = [contacts_service.get(db=db, tenant_id=tenant.id, contact_id=i) for i in merged_ids]
    everyone = [survivor, *merged]
    for field, chosen in choices.items():
        if field not in contacts_service.EDITABLE:
            errors.add(f"fields.{field}", "is not a contact field")
        elif chosen not in {c.id for c in everyone}:
            errors.add(f"fields.{field}", "must name one of the contacts being merged")
    errors.raise_if_any()

    values = merged_values(everyone, choices)
    # Everyone's numbers, emails and addresses as they were, read before the merged go.
    their_points = [(p.kind, p.value, p.label, p.shown) for c in everyone for p in c.points]
    their_addresses = [a for c in everyone for a in postal.stored(c)]
    moved = {name: mover(db, tenant.id, merged_ids, survivor_id) for name, mover in MOVERS.items()}
    for contact in merged:
        audit.record(
            db=db, tenant_id=tenant.id, actor=actor, action="merge", record_type="contact",
            record_id=contact.id, label=contacts_service.display_name_of(contact),
            before=contacts_service.snapshot(contact), after={"merged_into": survivor_id},
        )  # fmt: skip
        db.delete(contact)
        db.add(ContactRedirect(tenant_id=tenant.id, id=contact.id, survivor_id=survivor_id))
    # Earlier merges into the contacts that disappear now point at the survivor directly.
    db.execute(
        update(ContactRedirect)
        .where(ContactRedirect.tenant_id == tenant.id, ContactRedirect.survivor_id.in_(merged_ids))
        .values(survivor_id=survivor_id)
    )
    db.flush()  # free the merged contacts' email and external id for the survivor
    survivor = contacts_service.update(
        db=db, tenant=tenant, contact=survivor, changes=values, actor=actor
    )
    survivor = _keep_their_points(db, tenant, survivor, their_points, their_addresses, actor)
    return survivor, moved


def _keep_their_points(
    db: Session,
    tenant: Tenant,
    survivor: Contact,
    points: list[tuple],
    addresses: list[dict[str, Any]],
    actor: Actor | None,
) -> Contact:
    """Every number, email and address of the contacts stays: those not chosen as the
    survivor's primaries become its others."""
    lists: dict[str, list] = {**contact_points.stored(survivor), "addresses": []}
    kept = postal.stored(survivor)
    places = {tuple(a[n] for n in postal.PARTS) for a in kept}
    for address in addresses:
        place = tuple(address[n] for n in postal.PARTS)
        if place not in places:
            places.add(place)
            kept.append({**address, "primary": False})
    if len(kept) > len(survivor.addresses):
        lists["addresses"] = kept
    else:
        del lists["addresses"]
    have = {(p.kind, p.value) for p in survivor.points}
    added = False
    for kind, value, label, shown in points:
        if (kind, value) in have:
            continue
        have.add((kind, value))
        added = True
        if kind == "email":
            lists["emails"].append({"address": shown or value, "label": label, "primary": False})
        else:
            lists["phones"].append({"number": value, "label": label, "primary": False})
    if not added and "addresses" not in lists:
        return survivor
    return contacts_service.update(
        db=db, tenant=tenant, contact=survivor, changes=lists, actor=actor
    )
