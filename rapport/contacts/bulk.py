"""Many contacts at once, under exactly the rules of one (`contacts.service`).

A `ContactBatch` reads in a few queries what its rows need to know (who holds each email,
external id and number they name; the accounts they refer to) and keeps that current as the
rows create and change contacts, so a row sees the rows before it. `write()` then writes
the whole batch with one executemany each for the new contacts, their points and their
audit events, instead of several statements per contact.
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, make_transient_to_detached

from rapport.accounts.models import Account
from rapport.audit import service as audit
from rapport.contacts import fields, listing
from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact, ContactAddress, ContactPoint
from rapport.core.auth import Actor
from rapport.core.db import utcnow
from rapport.core.errors import FieldError
from rapport.tenants.models import Tenant

MATCHABLE_NUMBERS = ("phone", "mobile")


@dataclass
class _Staged:
    contact: Contact
    lists: contacts_service.Lists
    before: dict[str, Any] | None  # None for a new contact


def email_key_of(values: dict[str, Any]) -> str | None:
    """The row's email as the unique key, or None when absent or invalid (reported later)."""
    with suppress(FieldError):
        if values.get("email"):
            return fields.normalize_email("email", values["email"])[1]
    return None


def external_id_of(values: dict[str, Any]) -> str | None:
    return (values.get("external_id") or "").strip() or None


def numbers_of(values: dict[str, Any], tenant: Tenant) -> list[str]:
    """The row's phone and mobile in E.164, read as the contact rules will read them."""
    region = tenant.default_country
    with suppress(FieldError):
        if values.get("country"):
            region = fields.normalize_country(values["country"])
    numbers = []
    for field in MATCHABLE_NUMBERS:
        with suppress(FieldError):
            if values.get(field):
                numbers.append(fields.parse_phone(field, values[field], region).e164)
    return numbers


class ContactBatch(contacts_service.Lookups):
    def __init__(
        self, *, db: Session, tenant: Tenant, actor: Actor | None, rows: list[dict[str, Any]]
    ) -> None:
        self.db, self.tenant, self.actor = db, tenant, actor
        self._staged: dict[uuid.UUID, _Staged] = {}
        self._contacts: dict[uuid.UUID, Contact] = {}
        self._by_key: dict[str, dict[str, Contact | None]] = {"email_key": {}, "external_id": {}}
        self._by_number: dict[str, set[uuid.UUID]] = {}
        self._accounts: dict[str, Account | None] = {}
        self._preload(rows)

    # --- reading what the rows name, once -----------------------------------------------

    def _preload(self, rows: list[dict[str, Any]]) -> None:
        tenant_id = self.tenant.id
        for column, keys in (
            (Contact.email_key, {k for r in rows if (k := email_key_of(r))}),
            (Contact.external_id, {k for r in rows if (k := external_id_of(r))}),
        ):
            known = self._by_key[column.key]
            known.update(dict.fromkeys(keys))
            for contact in self._load(column.in_(keys)) if keys else ():
                known[getattr(contact, column.key)] = contact
        numbers = {n for r in rows for n in numbers_of(r, self.tenant)}
        self._by_number = {n: set() for n in numbers}
        if numbers:
            holders = self.db.execute(
                select(ContactPoint.value, ContactPoint.contact_id).where(
                    ContactPoint.tenant_id == tenant_id,
                    ContactPoint.value.in_(numbers),
                    ContactPoint.kind.in_(MATCHABLE_NUMBERS),
                )
            ).all()
            for value, contact_id in holders:
                self._by_number[value].add(contact_id)
            missing = {c for _, c in holders} - set(self._contacts)
            if missing:
                self._load(Contact.id.in_(missing))

    def _load(self, condition) -> list[Contact]:
        found = list(
            self.db.scalars(select(Contact).where(Contact.tenant_id == self.tenant.id, condition))
        )
        listing.load_lists(self.db, self.tenant.id, found)  # a change re-validates its lists
        self._contacts.update((c.id, c) for c in found)
        return found

    # --- contacts_service.Lookups, answered from the batch --------------------------------

    def account(self, db: Session, tenant_id: uuid.UUID, reference: str) -> Account | None:
        if reference not in self._accounts:
            with db.no_autoflush:  # staged changes are written by write(), not mid-batch
                self._accounts[reference] = super().account(db, tenant_id, reference)
        return self._accounts[reference]

    def holder(self, db: Session, tenant_id: uuid.UUID, column, value: str) -> Contact | None:
        known = self._by_key[column.key]
        if value not in known:  # a key no row named, such as an existing contact's own
            with db.no_autoflush:
                known[value] = super().holder(db, tenant_id, column, value)
        return known[value]

    def load_ids(self, ids: set[uuid.UUID]) -> None:
        """Read the contacts of these ids (those of the tenant), for `with_id`."""
        if missing := ids - set(self._contacts):
            self._load(Contact.id.in_(missing))

    def with_id(self, contact_id: uuid.UUID) -> Contact | None:
        return self._contacts.get(contact_id)

    def known_ids(self) -> set[uuid.UUID]:
        """Every contact the batch has read or staged."""
        return set(self._contacts)

    # --- matching ---------------------------------------------------------------------------

    def with_email(self, values: dict[str, Any]) -> Contact | None:
        key = email_key_of(values)
        return self._by_key["email_key"].get(key) if key else None

    def with_external_id(self, values: dict[str, Any]) -> Contact | None:
        key = external_id_of(values)
        return self._by_key["external_id"].get(key) if key else None

    def with_numbers(self, values: dict[str, Any]) -> list[Contact]:
        """Every contact whose phone or mobile is one of the row's numbers."""
        ids = set().union(*(self._by_number.get(n, ()) for n in numbers_of(values, self.tenant)))
        return [self._contacts[i] for i in sorted(ids)]

    def sharing_a_number(self, contact: Contact) -> list[Contact]:
        """Other contacts, read or staged, whose phone or mobile is one of this contact's."""
        numbers = [n for n in (contact.phone, contact.mobile) if n]
        ids = set().union(*(self._by_number.get(n, ()) for n in numbers)) - {contact.id}
        return [self._contacts[i] for i in sorted(ids)]

    # --- staging and writing ------------------------------------------------------------

    def create(self, values: dict[str, Any]) -> Contact:
        """Stage a new contact (raises as `contacts_service.create` would; stages nothing then)."""
        contact, lists = contacts_service.prepare_create(
            db=self.db, tenant=self.tenant, values=values, lookups=self
        )
        self._stage(_Staged(contact, lists, None))
        return contact

    def update(self, contact: Contact, changes: dict[str, Any]) -> bool:
        """Stage changes to a contact; False when they change nothing."""
        old_keys = {column: getattr(contact, column) for column in self._by_key}
        prepared = contacts_service.prepare_update(
            db=self.db, tenant=self.tenant, contact=contact, changes=changes, lookups=self
        )
        if prepared is None:
            return False
        for column, old in old_keys.items():
            if old and old != getattr(contact, column):
                self._by_key[column][old] = None  # released: another row may take it
        for numbers in self._by_number.values():
            numbers.discard(contact.id)
        self._stage(_Staged(contact, prepared.lists, prepared.before))
        return True

    def _stage(self, staged: _Staged) -> None:
        contact = staged.contact
        if earlier := self._staged.get(contact.id):  # staged twice: first before, last values
            staged.before = earlier.before
        self._staged[contact.id] = staged
        self._contacts[contact.id] = contact
        for column, known in self._by_key.items():
            if value := getattr(contact, column):
                known[value] = contact
        for point in staged.lists.points:
            if point.kind in MATCHABLE_NUMBERS:
                self._by_number.setdefault(point.value, set()).add(contact.id)

    def write(self) -> None:
        """Write every staged contact, its points and its audit event."""
        if not self._staged:
            return
        db = self.db
        staged = list(self._staged.values())
        db.flush()  # changed contacts (and accounts the rows created) first
        _insert_new(db, [s.contact for s in staged if s.before is None])
        changed = [s.contact.id for s in staged if s.before is not None]
        for model in (ContactPoint, ContactAddress) if changed else ():
            mine = model.tenant_id == self.tenant.id, model.contact_id.in_(changed)
            db.execute(delete(model).where(*mine))
        points, addresses, events = [], [], []
        for one in staged:
            rows = contacts_service.list_rows(one.contact, one.lists)  # the audit reads them
            points += rows[0]
            addresses += rows[1]
            action = "create" if one.before is None else "update"
            event = contacts_service.audit_values(one.contact, self.actor, action, one.before)
            if event is not None:
                events.append(event)
        # The lists' rows: one executemany each, no unit of work.
        if points:
            db.execute(insert(ContactPoint.__table__), [_values(p, _POINT_COLUMNS) for p in points])
        if addresses:
            db.execute(insert(ContactAddress.__table__),
                       [_values(a, _ADDRESS_COLUMNS) for a in addresses])  # fmt: skip
        # One executemany too; the outbox is told of them (contact webhooks) as by its hook.
        audit.record_many(db, events)
        for one in staged:
            db.expire(one.contact, ["account"])
        self._staged.clear()


_CONTACT_COLUMNS = tuple(c.key for c in Contact.__mapper__.column_attrs)
_POINT_COLUMNS = tuple(c.key for c in ContactPoint.__mapper__.column_attrs)
_ADDRESS_COLUMNS = tuple(c.key for c in ContactAddress.__mapper__.column_attrs)


def _values(record, columns: tuple[str, ...]) -> dict[str, Any]:
    """The columns of a record not yet stored (every value it has is in its __dict__; an
    unset column is None, as reading its attribute gives)."""
    values = record.__dict__
    return {key: values.get(key) for key in columns}


def _insert_new(db: Session, contacts: list[Contact]) -> None:
    """Insert new contacts with one executemany, then attach them to the session as stored:
    the unit of work's per-object bookkeeping was most of an import's write time."""
    if not contacts:
        return
    now = utcnow()
    for contact in contacts:
        contact.version = 1
        contact.created_at = contact.updated_at = now
    db.execute(insert(Contact.__table__), [_values(c, _CONTACT_COLUMNS) for c in contacts])
    for contact in contacts:
        make_transient_to_detached(contact)
        db.add(contact)
