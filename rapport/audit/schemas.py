from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import Field

from rapport.core.schemas import OutputModel


class AuditEventOut(OutputModel):
    id: uuid.UUID
    at: datetime
    actor_user_id: uuid.UUID | None
    actor_token_id: uuid.UUID | None
    actor_label: str = Field(description="The user's email, or `system`.")
    via: str = Field(description="`api`, `ui`, `cli`, `import` or `system`.")
    action: str = Field(description="`create`, `update`, `delete`, `merge`, `import`, `erase`.")
    record_type: str
    record_id: uuid.UUID | None
    record_label: str
    changes: dict[str, Any] = Field(description="`{field: [before, after]}`.")
