"""Contacts: the record of everyone who reaches out, validated and normalised in one place."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from rapport.accounts import service as accounts_service
from rapport.accounts.models import Account
from rapport.audit import service as audit
from rapport.contacts import fields, postal
from rapport.contacts import points as contact_points
from rapport.contacts.models import Contact, ContactAddress, ContactPoint, ContactRedirect
from rapport.core.auth import Actor
from rapport.core.db import built
from rapport.core.errors import (
    Conflict,
    FieldCollector,
    FieldError,
    Gone,
    NotFound,
    ValidationFailed,
    check_version,
)
from rapport.core.ids import new_id
from rapport.core.text import clean_text, fold, key_of
from rapport.customfields import service as custom_fields
from rapport.tenants.models import Tenant

EDITABLE = (
    "first_name", "last_name", "address", "city", "state", "postal_code", "country",
    "time_zone", "email", "phone", "mobile", "fax", "account", "priority",
    "preferred_channels", "custom_attributes", "external_id", "custom_fields",
)  # fmt: skip
# Every phone, email and address: sent beside the single fields, stored as their own rows.
LISTS = ("phones", "emails", "addresses")
TEXT_LIMITS = {"first_name": 100, "last_name": 100, "external_id": 200}
PHONE_FIELDS = ("phone", "mobile", "fax")
MAX_ATTRIBUTES = 50


def get(*, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> Contact:
    """The tenant's contact; a merged one answers Gone with the contact it was merged into."""
    # Its numbers and emails in the same query: every answer shows them.
    contact = db.get(Contact, (tenant_id, contact_id), options=[joinedload(Contact.points)])
    if contact is not None:
        return contact
    survivor_id = merged_into(db=db, tenant_id=tenant_id, contact_id=contact_id)
    if survivor_id is not None:
        raise Gone(f"This contact was merged into {survivor_id}.", survivor_id=str(survivor_id))
    raise NotFound("Contact not found.")


def merged_into(*, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> uuid.UUID | None:
    """Where a merged contact went, following merges of merges to the one that remains."""
    survivor_id, seen = None, set()
    while (redirect := db.get(ContactRedirect, (tenant_id, contact_id))) and contact_id not in seen:
        seen.add(contact_id)
        survivor_id = contact_id = redirect.survivor_id
    return survivor_id


# --- normalisation -------------------------------------------------------------------------


class Lookups:
    """Where the rules look up accounts and who holds a unique key: the database, by default.
    A batch of many contacts (`contacts.bulk`) answers from what it read once for all of them."""

    def account(self, db: Session, tenant_id: uuid.UUID, reference: str) -> Account | None:
        return accounts_service.find(db=db, tenant_id=tenant_id, reference=reference)

    def holder(self, db: Session, tenant_id: uuid.UUID, column, value: str) -> Contact | None:
        """The contact whose unique `column` (email_key or external_id) is `value`."""
        return db.scalar(select(Contact).where(Contact.tenant_id == tenant_id, column == value))


DATABASE = Lookups()


def input_values(contact: Contact) -> dict[str, Any]:
    """The stored record in input form: a PATCH is validated as the whole new record, and an
    import's rollback puts it back (a time zone that was inferred is inferred again)."""
    values = {name: getattr(contact, name) for name in EDITABLE if name != "account"}
    values.update(contact_points.stored(contact))
    values["addresses"] = postal.stored(contact)
    values["account"] = str(contact.account_id) if contact.account_id else None
    if contact.time_zone_source != "entered":
        values["time_zone"] = None
    return values


def _clean_attributes(errors: FieldCollector, attributes: dict | None) -> dict:
    attributes = attributes or {}
    if len(attributes) > MAX_ATTRIBUTES:
        errors.add("custom_attributes", f"at most {MAX_ATTRIBUTES} attributes")
    for key, value in attributes.items():
        try:
            if not clean_text("custom_attributes", key, 50):
                raise FieldError("custom_attributes", "attribute names must not be empty")
            if isinstance(value, str):
                clean_text(f"custom_attributes.{key}", value, 1000, multiline=True)
        except FieldError as exc:
            errors.add(exc.field, exc.message)
    return attributes


def _clean_channels(
    errors: FieldCollector, channels: list[str] | None, clean: dict, sms_capable: bool
) -> list[str]:
    channels = channels or []
    if len(set(channels)) != len(channels):
        errors.add("preferred_channels", "lists a channel more than once")
        return channels
    # channel -> (the fields it needs, whether it is reachable, why not)
    needs = {
        "email": (("email",), bool(clean["email_key"]), "email needs an email address"),
        "voice": (
            ("phone", "mobile"),
            bool(clean["phone"] or clean["mobile"]),
            "voice needs a phone or mobile number",
        ),
        "sms": (("mobile",), sms_capable, "sms needs a mobile number that can receive SMS"),
    }
    for channel in channels:
        if channel not in needs:
            continue
        needed, reachable, reason = needs[channel]
        # A bad number is reported on its own field; do not blame the channel for it too.
        if not reachable and not any(errors.has(f) for f in needed):
            errors.add("preferred_channels", reason)
    return channels


def normalize(
    *,
    db: Session,
    tenant: Tenant,
    values: dict[str, Any],
    lookups: Lookups = DATABASE,
    required_for: set[str] | None = None,
    sent: set[str] | None = None,
) -> dict[str, Any]:
    """Validate a whole contact record and return its column values; all errors at once.
    `sent`: the fields the request gave (all of `values` by default)."""
    errors = FieldCollector()
    clean: dict[str, Any] = {}

    def attempt(field: str, rule, *args) -> Any:
        try:
            return rule(*args)
        except FieldError as exc:
            errors.add(exc.field, exc.message)
            return None

    for field, limit in TEXT_LIMITS.items():
        clean[field] = attempt(field, clean_text, field, values.get(field), limit)
    for field in ("time_zone", "email", *PHONE_FIELDS):
        clean[field] = attempt(field, clean_text, field, values.get(field), 320)
    sent = set(values) if sent is None else sent
    clean.update(postal.clean_parts(errors, values))
    # Before the numbers: the primary address's country is the region they are read in.
    addresses = postal.merge(errors=errors, values=values, sent=sent, clean=clean)
    country = clean["country"]

    clean["email_key"] = None
    if clean["email"]:
        parsed = attempt("email", fields.normalize_email, "email", clean["email"])
        if parsed:
            clean["email"], clean["email_key"] = parsed

    region = country or tenant.default_country
    phones: dict[str, fields.Phone] = {}
    for field in PHONE_FIELDS:
        if clean[field]:
            phone = attempt(field, fields.parse_phone, field, clean[field], region)
            if phone:
                phones[field] = phone
                clean[field] = phone.e164
    points = contact_points.merge(
        errors=errors, values=values, sent=sent, clean=clean, phones=phones, region=region,
    )  # fmt: skip

    if clean["time_zone"]:
        clean["time_zone"] = attempt("time_zone", fields.normalize_time_zone, clean["time_zone"])
        clean["time_zone_source"] = "entered"
    else:
        dialable = [phones[f] for f in ("mobile", "phone") if f in phones]
        clean["time_zone"] = fields.time_zone_of(dialable, country)
        clean["time_zone_source"] = "inferred" if clean["time_zone"] else None

    clean["account_id"] = None
    if values.get("account"):
        account = lookups.account(db, tenant.id, values["account"])
        if account is None:
            errors.add("account", f"no account with identifier or id '{values['account']}'")
        else:
            clean["account_id"] = account.id

    priority = values.get("priority")
    clean["priority"] = tenant.default_priority if priority is None else priority
    if (
        isinstance(priority, bool)
        or not isinstance(clean["priority"], int)
        or not (1 <= clean["priority"] <= 5)
    ):
        errors.add("priority", "must be a whole number from 1 (served first) to 5 (served last)")

    sms_capable = "mobile" in phones and phones["mobile"].can_receive_sms
    clean["preferred_channels"] = _clean_channels(
        errors, values.get("preferred_channels"), clean, sms_capable
    )
    clean["custom_attributes"], typed = custom_fields.split_attributes(
        db=db, tenant_id=tenant.id, values=values
    )
    clean["custom_attributes"] = _clean_attributes(errors, clean["custom_attributes"])
    clean["custom_fields"] = custom_fields.clean_contact_values(
        db=db, tenant_id=tenant.id, values=typed, region=region, errors=errors,
        required_for=required_for,
    )  # fmt: skip
    if not errors.errors and not any(
        clean[f] for f in ("first_name", "last_name", "email", "phone", "mobile")
    ):
        errors.add(
            "first_name",
            "a contact needs at least one of first name, last name, email, phone or mobile",
        )
    errors.raise_if_any()

    clean["first_key"] = key_of(fold(clean["first_name"]), Contact.first_key)
    clean["last_key"] = key_of(fold(clean["last_name"]), Contact.last_key)
    clean["sort_name"] = key_of(fold(display_name_of(clean)), Contact.sort_name)
    clean["_points"] = points
    clean["_addresses"] = addresses
    return clean


def display_name_of(record: Any) -> str:
    get_value = record.get if isinstance(record, dict) else lambda f: getattr(record, f)
    name = " ".join(p for p in (get_value("first_name"), get_value("last_name")) if p)
    return name or get_value("email") or get_value("phone") or get_value("mobile") or ""


def _ensure_unique(
    db: Session, tenant_id: uuid.UUID, clean: dict, contact_id: uuid.UUID | None, lookups: Lookups
) -> None:
    for column, label in ((Contact.email_key, "email"), (Contact.external_id, "external id")):
        value = clean.get(column.key)
        if not value:
            continue
        existing = lookups.holder(db, tenant_id, column, value)
        if existing is not None and existing.id != contact_id:
            raise Conflict(
                f"Another contact already has this {label}: "
                f"{display_name_of(existing)} ({existing.id}).",
                field=column.key.removesuffix("_key"),
                existing_contact_id=str(existing.id),
            )


def _sync_points(db: Session, contact: Contact, lists: Lists, new: bool = False) -> None:
    if not new:  # a contact created in this request has no rows to replace
        for model in (ContactPoint, ContactAddress):
            db.execute(
                delete(model).where(
                    model.tenant_id == contact.tenant_id, model.contact_id == contact.id
                )
            )
    set_rows(db, contact, lists)


def list_rows(contact: Contact, lists: Lists) -> tuple[list[ContactPoint], list[ContactAddress]]:
    """The rows of the contact's lists, kept on it as stored (without reading them back)."""
    points = contact_points.rows(contact, lists.points)
    addresses = postal.rows(contact, lists.addresses)
    set_committed_value(contact, "points", points)
    set_committed_value(contact, "addresses", addresses)
    return points, addresses


def set_rows(db: Session, contact: Contact, lists: Lists) -> None:
    """Add the rows of the contact's lists, and keep them on it as stored now."""
    for rows in list_rows(contact, lists):
        db.add_all(rows)


AUDITED = tuple(f for f in EDITABLE if f != "account") + ("account_id",)


def snapshot(contact: Contact) -> dict[str, Any]:
    """The fields an audit event compares, before and after a change."""
    values = {field: getattr(contact, field) for field in AUDITED if field != "custom_fields"}
    # Each custom field is its own line in the Activity tab.
    values.update({f"custom_fields.{k}": v for k, v in (contact.custom_fields or {}).items()})
    for family, kinds in (("phones", ("phone", "mobile", "fax")), ("emails", ("email",))):
        values[family] = ", ".join(
            f"{p.shown or p.value} ({p.label}{', primary' if p.is_primary else ''})"
            for p in contact.points
            if p.kind in kinds
        ) or None
    # The primary address is the single fields above; a change of it is told there once.
    values["addresses"] = "; ".join(
        f"{postal.one_line(a)} ({a.label})" for a in contact.addresses if not a.is_primary
    ) or None
    return values


@dataclass
class Lists:
    """A contact's numbers and emails, and its addresses, as validated."""

    points: list[contact_points.Point]
    addresses: list[postal.PostalAddress]


def _assign(contact: Contact, clean: dict) -> Lists:
    """Put normalised values on the contact; its lists, for their own rows."""
    lists = Lists(clean.pop("_points"), clean.pop("_addresses"))
    for column, value in clean.items():
        setattr(contact, column, value)
    return lists


def _save(
    db: Session,
    contact: Contact,
    lists: Lists,
    new: bool = False,
    then: Callable[[], None] | None = None,
) -> None:
    """Write the contact, then its lists; `then` (the audit event) goes with the lists:
    one flush fewer than writing it at commit."""
    db.flush()  # the contact row first: its points refer to it
    _sync_points(db, contact, lists, new)
    if then is not None:
        then()
    db.flush()
    # The relationships are read-only; reload them on next access instead of a full refresh.
    db.expire(contact, ["account"])


def prepare_create(
    *, db: Session, tenant: Tenant, values: dict[str, Any], lookups: Lookups = DATABASE
) -> tuple[Contact, Lists]:
    """A new, valid contact not yet in the session, and its lists."""
    clean = normalize(db=db, tenant=tenant, values=values, lookups=lookups)
    _ensure_unique(db, tenant.id, clean, None, lookups)
    lists = Lists(clean.pop("_points"), clean.pop("_addresses"))
    # Every column at once: a new contact's values are inserted whole, never diffed.
    return built(Contact, {"tenant_id": tenant.id, "id": new_id(), **clean}), lists


def create(
    *,
    db: Session,
    tenant: Tenant,
    values: dict[str, Any],
    actor: Actor | None = None,
    role: str | None = None,
) -> Contact:
    """A new contact; `role`, when given, must be allowed to fill each custom field it sets."""
    contact, lists = prepare_create(db=db, tenant=tenant, values=values)
    custom_fields.check_edit_roles(
        db=db, tenant_id=tenant.id, role=role, before={}, after=contact.custom_fields
    )
    db.add(contact)
    _save(db, contact, lists, new=True,
          then=lambda: audit_change(db, contact, actor, "create", None))  # fmt: skip
    return contact


def audit_change(
    db: Session, contact: Contact, actor: Actor | None, action: str, before: dict | None
) -> None:
    _audit(db, contact, actor, action, before, snapshot(contact))


def audit_values(
    contact: Contact, actor: Actor | None, action: str, before: dict | None
) -> dict[str, Any] | None:
    """The audit event `audit_change` would add, as columns (for `audit.record_many`)."""
    return audit.event_values(**_event(contact, actor, action, before, snapshot(contact)))


def _audit(db: Session, contact: Contact, actor: Actor | None, action: str, before, after):
    audit.record(db=db, **_event(contact, actor, action, before, after))


def _event(contact: Contact, actor: Actor | None, action: str, before, after) -> dict[str, Any]:
    return {"tenant_id": contact.tenant_id, "actor": actor, "action": action,
            "record_type": "contact", "record_id": contact.id,
            "label": display_name_of(contact), "before": before, "after": after}  # fmt: skip


@dataclass
class PreparedUpdate:
    before: dict[str, Any]  # the audited fields as they were
    lists: Lists


def prepare_update(
    *,
    db: Session,
    tenant: Tenant,
    contact: Contact,
    changes: dict[str, Any],
    expected_version: int | None = None,
    lookups: Lookups = DATABASE,
) -> PreparedUpdate | None:
    """Validate the changed record and put it on the contact; None when nothing changes."""
    check_version(contact.version, expected_version)
    unknown = set(changes) - set(EDITABLE) - set(LISTS)
    if unknown:
        raise ValidationFailed([FieldError(f, "is not a contact field") for f in sorted(unknown)])
    values = {**input_values(contact), **changes}
    # Custom fields change key by key: the ones sent, the others stay.
    values["custom_fields"] = {
        **(contact.custom_fields or {}),
        **(changes.get("custom_fields") or {}),
    }
    clean = normalize(
        db=db, tenant=tenant, values=values, lookups=lookups,
        required_for=set(changes.get("custom_fields") or {}), sent=set(changes),
    )  # fmt: skip
    _ensure_unique(db, tenant.id, clean, contact.id, lookups)
    if all(
        getattr(contact, column) == value for column, value in clean.items() if column[0] != "_"
    ) and contact_points.same(contact, clean["_points"]) and postal.same(
        contact, clean["_addresses"]
    ):
        return None  # nothing changed: keep the version, write nothing
    before = snapshot(contact)
    return PreparedUpdate(before, _assign(contact, clean))


def update(
    *,
    db: Session,
    tenant: Tenant,
    contact: Contact,
    changes: dict[str, Any],
    expected_version: int | None = None,
    actor: Actor | None = None,
    role: str | None = None,
) -> Contact:
    before_fields = dict(contact.custom_fields or {})
    prepared = prepare_update(
        db=db, tenant=tenant, contact=contact, changes=changes, expected_version=expected_version
    )
    if prepared is None:
        return contact
    custom_fields.check_edit_roles(
        db=db, tenant_id=tenant.id, role=role, before=before_fields, after=contact.custom_fields
    )
    _save(db, contact, prepared.lists,
          then=lambda: audit_change(db, contact, actor, "update", prepared.before))  # fmt: skip
    return contact


def delete_contact(
    *,
    db: Session,
    contact: Contact,
    expected_version: int | None = None,
    actor: Actor | None = None,
) -> None:
    check_version(contact.version, expected_version)
    _audit(db, contact, actor, "delete", snapshot(contact), None)
    db.delete(contact)
    db.flush()
