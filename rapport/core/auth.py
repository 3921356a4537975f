"""Who is asking: the principal behind a request, and role checks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rapport.core.errors import Forbidden
from rapport.tenants.models import Tenant
from rapport.users.models import User

ROLE_RANK = {"agent": 0, "supervisor": 1, "admin": 2}


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

    def can(self, role: str) -> bool:
        return ROLE_RANK[self.user.role] >= ROLE_RANK[role]

    def require(self, role: str, action: str) -> None:
        if not self.can(role):
            raise Forbidden(f"Only a {role} or above can {action}.", required_role=role)
