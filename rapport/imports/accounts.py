"""The accounts an import's rows name: found by identifier, id or name, or created.

Exports from other systems name a contact's company ("Contoso Ltd.", "Organization 1 - Name",
"Account Name"); Rapport's contacts refer to an account. A row's company is matched to an
account by its identifier or id, or by its name without regard to case and spaces; when none
matches, the import creates the account (identifier and name: the company as written), unless
it was told to refuse unknown accounts. An account is created only by a row that is applied,
so a rejected row leaves none behind.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rapport.accounts import service as accounts_service
from rapport.accounts.models import Account
from rapport.audit import service as audit
from rapport.contacts.bulk import ContactBatch
from rapport.core.auth import Actor
from rapport.core.ids import new_id
from rapport.core.text import key_of
from rapport.tenants.models import Tenant

IDENTIFIER_MAX, NAME_MAX = 100, 200
POLICIES = ("create", "refuse")


def name_key(name: str) -> str:
    """'Contoso  Ltd.' and 'contoso ltd.' are one company."""
    return "".join(name.split()).casefold()


class ImportContacts(ContactBatch):
    """A batch of contacts whose rows may name accounts not yet in Rapport."""

    def __init__(self, *, db: Session, tenant: Tenant, actor: Actor | None,
                 rows: list[dict[str, Any]], create_accounts: bool) -> None:  # fmt: skip
        self.create_accounts = create_accounts
        self._by_name: dict[str, Account | None] = {}
        self._proposed: dict[uuid.UUID, Account] = {}
        super().__init__(db=db, tenant=tenant, actor=actor, rows=rows)

    def account(self, db: Session, tenant_id: uuid.UUID, reference: str) -> Account | None:
        found = super().account(db, tenant_id, reference)
        if found is not None:
            return found
        key = name_key(reference)
        if key not in self._by_name:
            with db.no_autoflush:
                named = db.scalars(
                    select(Account).where(
                        Account.tenant_id == tenant_id,
                        func.lower(func.replace(Account.name, " ", "")) == key,
                    )
                ).first()
            self._by_name[key] = named or self._propose(reference)
        return self._by_name[key]

    def _propose(self, reference: str) -> Account | None:
        """An account the row may create, kept out of the session until the row is applied."""
        name = " ".join(reference.split())
        if not self.create_accounts or len(name) > NAME_MAX:
            return None
        identifier = name[:IDENTIFIER_MAX]
        account = Account(tenant_id=self.tenant.id, id=new_id(), identifier=identifier,
                          identifier_key=key_of(identifier.casefold(), Account.identifier_key),
                          name=name)  # fmt: skip
        self._proposed[account.id] = account
        return account

    def accept_account(self, account_id: uuid.UUID | None) -> Account | None:
        """The applied row's proposed account, now to be created; None if it had none."""
        account = self._proposed.pop(account_id, None) if account_id else None
        if account is not None:
            self.db.add(account)
        return account

    def write(self) -> None:
        # Accounts first: the contacts refer to them.
        self.db.flush()
        super().write()


def audit_created(db: Session, account: Account, actor: Actor | None) -> None:
    audit.record(db=db, tenant_id=account.tenant_id, actor=actor, action="create",
                 record_type="account", record_id=account.id, label=account.identifier,
                 after=accounts_service.snapshot(account))  # fmt: skip
