from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from rapport.accounts.schemas import AccountRef
from rapport.contacts.models import Contact
from rapport.core.inputs import ColumnText
from rapport.core.schemas import InputModel, OutputModel

Channel = Literal["email", "chat", "voice", "sms"]
AttributeValue = str | int | float | bool | None
CustomValue = str | int | float | bool | list[str] | None


class PhoneIn(InputModel):
    number: str = Field(description="Any format; read in the contact's country.")
    label: str | None = Field(
        None,
        description="work, home, mobile, fax, other or the workspace's own; `work` when "
        "omitted. A number labelled mobile or fax is a mobile or fax number.",
    )
    primary: StrictBool = Field(
        False, description="The primary of its kind (phone, mobile, fax); else the first."
    )


class EmailIn(InputModel):
    address: str
    label: str | None = Field(None, description="work, home, other or the workspace's own.")
    primary: StrictBool = Field(False, description="The contact's `email`; else the first.")


class AddressIn(InputModel):
    """A postal address, with the fields and rules of the contact's own address."""

    label: str | None = Field(
        None,
        description="billing, shipping, home, work, other or the workspace's own (up to 40 "
        "characters); `work` when omitted.",
    )
    primary: StrictBool = Field(
        False, description="The contact's own address fields; else the first address."
    )
    address: str | None = Field(None, description="Street address; may span lines.")
    city: ColumnText(Contact.city) | None = None
    state: ColumnText(Contact.state) | None = Field(
        None, description="As the contact's `state`: stored as the ISO 3166-2 code."
    )
    postal_code: ColumnText(Contact.postal_code) | None = Field(
        None, description="Checked against the country's format."
    )
    country: str | None = Field(None, description="As the contact's `country`.")


class AddressOut(OutputModel):
    label: str
    primary: bool
    address: str | None
    city: str | None
    state: str | None
    state_name: str | None
    postal_code: str | None
    country: str | None
    country_name: str | None
    formatted: str = Field(description="As the country writes it, lines separated by \\n.")


class PhoneOut(OutputModel):
    number: str = Field(description="E.164.")
    display: str | None
    label: str
    primary: bool


class EmailOut(OutputModel):
    address: str
    label: str
    primary: bool


class ContactFields(InputModel):
    first_name: ColumnText(Contact.first_name) | None = Field(None)
    last_name: ColumnText(Contact.last_name) | None = Field(None)
    address: str | None = Field(None, description="Street address; may span lines.")
    city: ColumnText(Contact.city) | None = None
    state: ColumnText(Contact.state) | None = Field(
        None,
        description="State or province: ISO 3166-2 code (`CA`, `US-CA`) or name "
        "(`California`) where the country has subdivisions; stored as the ISO 3166-2 code.",
    )
    postal_code: ColumnText(Contact.postal_code) | None = Field(
        None, description="Checked against the country's format."
    )
    country: str | None = Field(
        None, description="ISO 3166-1 alpha-2 or alpha-3 code, or English name; any case."
    )
    time_zone: str | None = Field(
        None, description="IANA zone (`Europe/Berlin`); inferred from phone or country if omitted."
    )
    email: str | None = None
    phone: str | None = Field(
        None, description="Any format; read in the contact's country (else the tenant's default)."
    )
    mobile: str | None = None
    fax: str | None = None
    account: str | None = Field(
        None, description="The account's id or its Account Identifier; null for none."
    )
    priority: Annotated[StrictInt, Field(ge=1, le=5)] | None = Field(
        None, description="1 (served first) to 5 (served last); 3 when omitted."
    )
    preferred_channels: list[Channel] | None = Field(
        None, description="Ordered, without repeats; each channel must be reachable."
    )
    custom_attributes: dict[str, AttributeValue] | None = Field(
        None, description="Free-form values (older integrations); prefer `custom_fields`."
    )
    external_id: ColumnText(Contact.external_id) | None = Field(
        None, description="Your system's id; unique per tenant."
    )
    phones: list[PhoneIn] | None = Field(
        None,
        description="Every number; when sent it replaces them all, and `phone`, `mobile` and "
        "`fax` become its primaries. When not sent, `phone`, `mobile` and `fax` replace the "
        "primaries and the other numbers stay.",
    )
    emails: list[EmailIn] | None = Field(
        None, description="Every email address; `email` is the primary one. As `phones`."
    )
    addresses: list[AddressIn] | None = Field(
        None,
        description="Every postal address; when sent it replaces them all, and `address`, "
        "`city`, `state`, `postal_code` and `country` become its primary's. When not sent, "
        "those fields replace the primary address and the others stay.",
    )
    custom_fields: dict[str, CustomValue] | None = Field(
        None,
        description="Values of the workspace's custom fields by key, checked by each field's "
        "type. On a change only the keys sent are changed; `null` clears one.",
    )


class ContactCreate(ContactFields):
    pass


class ContactUpdate(ContactFields):
    """Only the fields sent are changed; `null` clears a field."""


class ContactOut(OutputModel):
    id: uuid.UUID
    display_name: str
    first_name: str | None
    last_name: str | None
    address: str | None
    city: str | None
    state: str | None
    state_name: str | None
    postal_code: str | None
    country: str | None
    country_name: str | None
    time_zone: str | None
    time_zone_source: Literal["entered", "inferred"] | None
    local_time: datetime | None = Field(None, description="Now, in the contact's time zone.")
    email: str | None
    phone: str | None = Field(None, description="E.164.")
    phone_display: str | None
    mobile: str | None
    mobile_display: str | None
    fax: str | None
    fax_display: str | None
    phones: list[PhoneOut] = Field(default_factory=list, description="Every number.")
    emails: list[EmailOut] = Field(default_factory=list, description="Every email address.")
    addresses: list[AddressOut] = Field(
        default_factory=list, description="Every postal address; the primary is also above."
    )
    account: AccountRef | None
    priority: int
    preferred_channels: list[Channel]
    custom_attributes: dict[str, AttributeValue]
    external_id: str | None
    custom_fields: dict[str, CustomValue] = Field(
        default_factory=dict, description="Values of the custom fields, by key."
    )
    version: int
    created_at: datetime
    updated_at: datetime
