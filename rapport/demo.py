"""A small demo tenant, so a new user has something to look at. Loading it twice changes nothing."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.accounts import service as accounts_service
from rapport.contacts import service as contacts_service
from rapport.core.security import TOKEN_PREFIX
from rapport.tenants import service as tenants_service
from rapport.tenants.models import Tenant
from rapport.users import service as users_service

DEMO_SLUG = "demo"
DEMO_USERS = (
    ("admin@example.com", "admin", "Alice Admin"),
    ("supervisor@example.com", "supervisor", "Sam Supervisor"),
    ("agent@example.com", "agent", "Bob Agent"),
)
DEMO_ACCOUNTS = (
    ("ACME-001", "Acme Corporation", "Wholesale customer since 2019."),
    ("GLOBEX", "Globex Corporation", "Enterprise support plan."),
    ("INITECH", "Initech", None),
)
DEMO_CONTACTS = (
    {
        "first_name": "Maria",
        "last_name": "García",
        "email": "maria.garcia@example.com",
        "phone": "+34 912 345 678",
        "country": "Spain",
        "city": "Madrid",
        "postal_code": "28013",
        "account": "ACME-001",
        "priority": 1,
        "preferred_channels": ["email", "voice"],
    },
    {
        "first_name": "John",
        "last_name": "Smith",
        "email": "john.smith@example.com",
        "phone": "(415) 555-2671",
        "mobile": "+1 415 555 0199",
        "country": "US",
        "state": "California",
        "city": "San Francisco",
        "postal_code": "94103",
        "address": "500 Howard St",
        "account": "GLOBEX",
        "priority": 2,
        "preferred_channels": ["sms", "voice"],
    },
    {
        "first_name": "Hannah",
        "last_name": "Müller",
        "email": "h.mueller@example.de",
        "phone": "030 901820",
        "country": "DE",
        "city": "Berlin",
        "postal_code": "10117",
        "account": "GLOBEX",
        "priority": 3,
        "preferred_channels": ["email"],
    },
    {
        "first_name": "Oliver",
        "last_name": "Brown",
        "mobile": "07911 123456",
        "country": "GB",
        "city": "London",
        "postal_code": "sw1a1aa",
        "priority": 3,
        "preferred_channels": ["sms"],
    },
    {
        "first_name": "Aiko",
        "last_name": "Tanaka",
        "email": "aiko.tanaka@example.jp",
        "phone": "+81 3-1234-5678",
        "country": "Japan",
        "city": "Tokyo",
        "priority": 4,
        "account": "INITECH",
    },
    {
        "first_name": "Lucas",
        "last_name": "Martin",
        "email": "lucas.martin@example.fr",
        "mobile": "06 12 34 56 78",
        "country": "France",
        "city": "Paris",
        "postal_code": "75008",
        "priority": 2,
        "preferred_channels": ["chat", "sms"],
    },
    {
        "first_name": "Priya",
        "last_name": "Sharma",
        "email": "priya.sharma@example.in",
        "mobile": "+91 98765 43210",
        "country": "IN",
        "city": "Mumbai",
        "priority": 3,
        "account": "ACME-001",
    },
    {"phone": "+1 212 555 0147", "country": "US", "priority": 5},
)


@dataclass
class DemoLogin:
    email: str
    password: str
    api_token: str
    created: bool


def _derived(secret_key: str, purpose: str, length: int) -> str:
    """Stable per installation, so repeated loads print the same login and change nothing."""
    digest = hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()
    return digest[:length]


def load(*, db: Session, secret_key: str) -> DemoLogin:
    password = "demo-" + _derived(secret_key, "demo-password", 12)
    api_token = TOKEN_PREFIX + _derived(secret_key, "demo-api-token", 43)
    admin_email = DEMO_USERS[0][0]
    tenant = db.scalar(select(Tenant).where(Tenant.slug == DEMO_SLUG))
    if tenant is not None:
        return DemoLogin(admin_email, password, api_token, created=False)

    tenant = tenants_service.create(
        db=db,
        slug=DEMO_SLUG,
        name="Demo Contact Center",
        default_country="US",
        time_zone="America/New_York",
    )
    users = {
        email: users_service.create(
            db=db, tenant_id=tenant.id, email=email, role=role, password=password, name=name
        )
        for email, role, name in DEMO_USERS
    }
    users_service.create_token(
        db=db, user=users[admin_email], name="Demo token", secret=api_token
    )
    for identifier, name, description in DEMO_ACCOUNTS:
        accounts_service.create(
            db=db,
            tenant_id=tenant.id,
            values={"identifier": identifier, "name": name, "description": description},
        )
    for values in DEMO_CONTACTS:
        contacts_service.create(db=db, tenant=tenant, values=dict(values))
    db.flush()
    return DemoLogin(admin_email, password, api_token, created=True)
