"""Every domain's tables, imported in one place for migrations and metadata."""

from rapport.accounts.models import Account
from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact, ContactPoint
from rapport.core.db import Base
from rapport.imports.models import ImportChange, ImportJob, ImportMapping, ImportRejection
from rapport.tenants.models import Tenant
from rapport.users.models import ApiToken, User

__all__ = [
    "Account", "AuditEvent", "ApiToken", "Base", "Contact", "ContactPoint", "Tenant", "User",
    "ImportChange", "ImportJob", "ImportMapping", "ImportRejection",
]  # fmt: skip
