"""Who is asking: the principal behind a request, and role checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rapport.core.errors import Forbidden
from rapport.tenants.models import Tenant
from rapport.users.models import User

ROLE_RANK = {"agent": 0, "supervisor": 1, "admin": 2}
VIAS = ("api", "ui", "cli", "import", "system")


@dataclass(frozen=True)
class Actor:
    """Who a change is recorded against in the audit trail, and through which door."""

    via: str
    label: str
    user_id: uuid.UUID | None = None
    token_id: uuid.UUID | None = None


SYSTEM = Actor(via="system", label="system")


@dataclass(frozen=True)
class Principal:
    tenant: Tenant
    user: User
    via: str  # "api", "ui", "cli" or "import": recorded with every change
    token_id: uuid.UUID | None = None

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.tenant.id

    @property
    def role(self) -> str:
        return self.user.role

    @property
    def actor(self) -> Actor:
        return Actor(via=self.via, label=self.user.email, user_id=self.user.id,
                     token_id=self.token_id)  # fmt: skip

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.user.role] >= ROLE_RANK[role]

    def require(self, role: str, action: str) -> None:
        if not self.can(role):
            raise Forbidden(f"Only a {role} or above can {action}.", required_role=role)
