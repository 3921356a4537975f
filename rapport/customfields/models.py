from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKeyConstraint, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from rapport.core.db import Base, TenantOwned, Timestamps, UTCDateTime
from rapport.users.models import ROLES  # noqa: F401 - who may edit a field

# What an administrator sets on a field (the key and type are fixed once it exists).
SETTINGS = (
    "label",
    "type",
    "required",
    "choices",
    "help_text",
    "position",
    "edit_roles",
    "show_in_list",
    "show_in_screen_pop",
    "show_in_exports",
)
FIELD_TYPES = (
    "text",
    "long_text",
    "number",
    "decimal",
    "date",
    "boolean",
    "single_choice",
    "multiple_choice",
    "url",
    "email",
    "phone",
)

# The contacts' values: JSONB on PostgreSQL (GIN-indexed for equality), JSON text on SQLite.
ValuesJSON = JSON().with_variant(JSONB(), "postgresql")


class CustomField(TenantOwned, Timestamps, Base):
    """A field an administrator defined. Values live on the contact, keyed by `key`, so a
    label can change freely; deleting only hides the field until its values are purged."""

    __tablename__ = "custom_fields"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        Index("uq_custom_fields_tenant_key", "tenant_id", "key", unique=True),
    )

    key: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    help_text: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    edit_roles: Mapped[list[str]] = mapped_column(JSON, default=lambda: list(ROLES))
    show_in_list: Mapped[bool] = mapped_column(Boolean, default=False)
    show_in_screen_pop: Mapped[bool] = mapped_column(Boolean, default=False)
    show_in_exports: Mapped[bool] = mapped_column(Boolean, default=True)
    # The free-form attribute this field was made from; writes under that name still land here.
    attribute_name: Mapped[str | None] = mapped_column(String(50))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    def as_dict(self) -> dict[str, Any]:
        return {
            name: getattr(self, name)
            for name in ("key", *SETTINGS, "deleted_at")
        }
