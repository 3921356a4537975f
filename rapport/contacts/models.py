from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    false,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rapport.accounts.models import Account
from rapport.core.db import Base, TenantOwned, Timestamps, UTCDateTime, utcnow
from rapport.customfields.models import ValuesJSON

CHANNELS = ("email", "chat", "voice", "sms")
POINT_KINDS = ("phone", "mobile", "fax", "email")
# The labels every workspace offers; a tenant may write its own.
PHONE_LABELS = ("work", "home", "mobile", "fax", "other")
EMAIL_LABELS = ("work", "home", "other")
ADDRESS_LABELS = ("billing", "shipping", "home", "work", "other")

class Contact(TenantOwned, Timestamps, Base):
    __tablename__ = "contacts"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["tenant_id", "account_id"], ["accounts.tenant_id", "accounts.id"]),
        Index("uq_contacts_tenant_email", "tenant_id", "email_key", unique=True),
        Index("uq_contacts_tenant_external_id", "tenant_id", "external_id", unique=True),
        Index("ix_contacts_tenant_sort_name", "tenant_id", "sort_name", "id"),
        Index("ix_contacts_tenant_updated", "tenant_id", "updated_at", "id"),
        # Both name orders within an account or city: similar names are probed as neighbours.
        Index("ix_contacts_account_last_first", "tenant_id", "account_id", "last_key",
              "first_key"),
        Index("ix_contacts_account_first_last", "tenant_id", "account_id", "first_key",
              "last_key"),
        Index("ix_contacts_city_last_first", "tenant_id", "city", "last_key", "first_key"),
        Index("ix_contacts_city_first_last", "tenant_id", "city", "first_key", "last_key"),
        # Name prefixes of the search box and the contacts list (`core.db.starts_with`).
        Index("ix_contacts_tenant_first_key", "tenant_id", "first_key", "id",
              postgresql_ops={"first_key": "text_pattern_ops"}),
        Index("ix_contacts_tenant_last_key", "tenant_id", "last_key", "id",
              postgresql_ops={"last_key": "text_pattern_ops"}),
        # PostgreSQL only, made by migration 0016: ix_contacts_tenant_sort_name_prefix
        # (text_pattern_ops), for LIKE prefixes of the display name; SQLite answers those
        # ranges from ix_contacts_tenant_sort_name. Email prefixes probe contact_points.
        # PostgreSQL only, made by migration 0013: ix_contacts_custom_fields, a GIN index
        # (jsonb_path_ops) that answers equality on custom fields (`custom_fields @> ...`).
    )

    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    time_zone_source: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(20))
    mobile: Mapped[str | None] = mapped_column(String(20))
    fax: Mapped[str | None] = mapped_column(String(20))
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    priority: Mapped[int] = mapped_column(Integer, default=3)
    preferred_channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    custom_attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    external_id: Mapped[str | None] = mapped_column(String(200))
    # Values of the tenant's custom fields by key (rapport.customfields).
    custom_fields: Mapped[dict[str, Any]] = mapped_column(ValuesJSON, default=dict)
    # Case- and accent-folded display name: sorting and prefix search.
    sort_name: Mapped[str] = mapped_column(String(320), default="")
    first_key: Mapped[str] = mapped_column(String(100), default="")
    last_key: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    account: Mapped[Account | None] = relationship(
        Account,
        primaryjoin="and_(Contact.tenant_id == Account.tenant_id,"
        " Contact.account_id == Account.id)",
        foreign_keys="[Contact.tenant_id, Contact.account_id]",
        viewonly=True,
        lazy="joined",
    )

    # Every phone and email in the order given; kept in step by contacts.service.
    points: Mapped[list[ContactPoint]] = relationship(
        "ContactPoint",
        primaryjoin="and_(Contact.tenant_id == ContactPoint.tenant_id,"
        " Contact.id == ContactPoint.contact_id)",
        foreign_keys="[ContactPoint.tenant_id, ContactPoint.contact_id]",
        order_by="ContactPoint.position",
        viewonly=True,
        lazy="select",
    )

    # Every postal address in the order given; the primary is also in the fields above.
    addresses: Mapped[list[ContactAddress]] = relationship(
        "ContactAddress",
        primaryjoin="and_(Contact.tenant_id == ContactAddress.tenant_id,"
        " Contact.id == ContactAddress.contact_id)",
        foreign_keys="[ContactAddress.tenant_id, ContactAddress.contact_id]",
        order_by="ContactAddress.position",
        viewonly=True,
        lazy="select",
    )

    __mapper_args__ = {"version_id_col": version}


class ContactPoint(Base):
    """Every normalised number and email of a contact, so a screen-pop look-up is one index
    probe. A number's kind follows its label (mobile, fax, else phone); the primary of each
    kind is the contact's `phone`, `mobile`, `fax` or `email`."""

    __tablename__ = "contact_points"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "contact_id"],
            ["contacts.tenant_id", "contacts.id"],
            ondelete="CASCADE",
        ),
        # Covers the screen pop's probe (kind and contact too), so the primary key, which
        # holds the value as well, is never the cheaper plan.
        Index("ix_contact_points_lookup", "tenant_id", "value", "kind", "contact_id"),
        Index("ix_contact_points_national", "tenant_id", "national"),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[str] = mapped_column(String(320), primary_key=True)
    # National significant number digits, for "search by the digits I typed".
    national: Mapped[str | None] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(40), default="other", server_default="other")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # An email as written (the value is its folded look-up key); null for numbers.
    shown: Mapped[str | None] = mapped_column(String(320))


class ContactAddress(Base):
    """A contact's postal address, labelled; the primary one is also the contact's own
    `address`, `city`, `state`, `postal_code` and `country`."""

    __tablename__ = "contact_addresses"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_id", "contact_id"],
            ["contacts.tenant_id", "contacts.id"],
            ondelete="CASCADE",
        ),
    )

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    label: Mapped[str] = mapped_column(String(40), default="work", server_default="work")
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # As on the contact: street lines, then the normalised city, ISO 3166-2 state, postal
    # code and ISO 3166-1 country.
    address: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(2))


class ContactRedirect(Base):
    """A contact merged into another: its old id answers with where it went."""

    __tablename__ = "contact_redirects"
    __table_args__ = (ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # Not a foreign key: the survivor may itself be merged or deleted later.
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
