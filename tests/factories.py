"""Small factories, one per domain, that go through the real services."""

from __future__ import annotations

import uuid
from itertools import count

from sqlalchemy import insert
from sqlalchemy.orm import Session

from rapport.accounts import service as accounts_service
from rapport.accounts.models import Account
from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact, ContactPoint
from rapport.core.ids import new_id
from rapport.tenants.models import Tenant

_numbers = count(1)


def make_account(db: Session, tenant: Tenant, **values) -> Account:
    n = next(_numbers)
    values = {"identifier": f"ACC-{n:04d}", "name": f"Account {n}", **values}
    account = accounts_service.create(db=db, tenant_id=tenant.id, values=values)
    db.commit()
    return account


def make_contact(db: Session, tenant: Tenant, **values) -> Contact:
    n = next(_numbers)
    values = {"first_name": "Test", "last_name": f"Person{n:04d}", **values}
    contact = contacts_service.create(db=db, tenant=tenant, values=values)
    db.commit()
    return contact


def many_contacts_with_emails(db: Session, tenant_id: uuid.UUID, count: int) -> None:
    """A tenant with some contacts, each with a work and a home email: what the planner
    weighs the probe against (on an empty table any index looks as good)."""
    contacts, points = [], []
    for i in range(count):
        contact_id = new_id()
        contacts.append({"tenant_id": tenant_id, "id": contact_id, "first_name": f"P{i}",
                         "sort_name": f"p{i}", "first_key": f"p{i}", "last_key": "",
                         "priority": 3, "preferred_channels": [], "custom_attributes": {},
                         "custom_fields": {}, "version": 1})  # fmt: skip
        for n, value in enumerate((f"p{i}@work.example", f"p{i}@home.example")):
            points.append({"tenant_id": tenant_id, "contact_id": contact_id, "kind": "email",
                           "value": value, "label": "work", "is_primary": n == 0,
                           "position": n})  # fmt: skip
    db.execute(insert(Contact), contacts)
    db.execute(insert(ContactPoint), points)
