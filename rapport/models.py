"""Every domain's tables, imported in one place for migrations and metadata."""

from rapport.accounts.models import Account
from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact, ContactPoint, ContactRedirect
from rapport.core.db import Base
from rapport.interactions.models import Interaction, Message
from rapport.notes.models import Note
from rapport.routing import lifecycle as routing_lifecycle  # noqa: F401 - queue upkeep hooks
from rapport.search import lifecycle  # noqa: F401 - registers the contact-deletion hook
from rapport.search.models import HistoryDocument
from rapport.tenants.models import Tenant
from rapport.users.models import ApiToken, User

__all__ = [
    "Account",
    "AuditEvent",
    "ApiToken",
    "Base",
    "Contact",
    "ContactPoint",
    "ContactRedirect",
    "HistoryDocument",
    "Interaction",
    "Message",
    "Note",
    "Tenant",
    "User",
]
