"""Every domain's tables, imported in one place for migrations and metadata; importing it
also registers what each domain does when contacts are merged, exported or erased."""

from rapport.accounts import names as _account_names  # noqa: F401 - name words kept in step
from rapport.accounts.models import Account, AccountWord
from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact, ContactAddress, ContactPoint, ContactRedirect
from rapport.core.db import Base
from rapport.core.idempotency import IdempotencyKey
from rapport.customfields.models import CustomField
from rapport.imports import personal_data as _imports_data  # noqa: F401
from rapport.imports.models import (
    ImportChange,
    ImportJob,
    ImportMapping,
    ImportPossibleDuplicate,
    ImportRejection,
)
from rapport.insights import lifecycle as insights_lifecycle  # noqa: F401 - merge mover, hooks
from rapport.insights.models import PersonalityExample, PersonalityExclusion, PersonalityProfile
from rapport.interactions import personal_data as _interactions_data  # noqa: F401
from rapport.interactions.models import Interaction, Message
from rapport.notes import personal_data as _notes_data  # noqa: F401
from rapport.notes.models import Note
from rapport.routing import lifecycle as routing_lifecycle  # noqa: F401 - queue upkeep hooks
from rapport.routing import offers as _offers  # noqa: F401 - offers made as work arrives
from rapport.routing.models import Offer
from rapport.search import lifecycle  # noqa: F401 - registers the contact-deletion hook
from rapport.search.models import HistoryDocument
from rapport.tenants.models import Tenant
from rapport.users.models import ApiToken, ApiTokenDigest, User, WebSession
from rapport.webhooks import outbox as _webhooks_outbox  # noqa: F401 - events into the outbox
from rapport.webhooks import personal_data as _webhooks_data  # noqa: F401
from rapport.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

__all__ = [
    "Account",
    "AccountWord",
    "AuditEvent",
    "ApiToken",
    "ApiTokenDigest",
    "Base",
    "Contact",
    "ContactAddress",
    "ContactPoint",
    "ContactRedirect",
    "CustomField",
    "HistoryDocument",
    "IdempotencyKey",
    "ImportChange",
    "ImportJob",
    "ImportMapping",
    "ImportPossibleDuplicate",
    "ImportRejection",
    "Interaction",
    "Message",
    "Note",
    "Offer",
    "PersonalityExample",
    "PersonalityExclusion",
    "PersonalityProfile",
    "Tenant",
    "User",
    "WebSession",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookEndpoint",
]
