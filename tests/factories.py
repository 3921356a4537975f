"""Small factories, one per domain, that go through the real services."""

from __future__ import annotations

from itertools import count

from sqlalchemy.orm import Session

from rapport.accounts import service as accounts_service
from rapport.accounts.models import Account
from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
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
