"""Tenants: the companies served, and their settings."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.audit import service as audit
from rapport.contacts.fields import normalize_country, normalize_time_zone
from rapport.core.auth import Actor
from rapport.core.errors import Conflict, FieldCollector, FieldError, NotFound, ValidationFailed
from rapport.core.ids import new_id
from rapport.tenants.models import Tenant

_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
SETTINGS_FIELDS = (
    "name",
    "default_country",
    "time_zone",
    "personality_insights_enabled",
    "default_priority",
    "queue_aging_seconds",
    "routing_mode",
    "offer_seconds",
    "offer_lapses_to_away",
    "offer_cooldown_seconds",
)
# Offers: (lowest, highest) of each whole-number setting; lapses 0 = never set away.
OFFER_LIMITS = {
    "offer_seconds": (3, 300),
    "offer_lapses_to_away": (0, 20),
    "offer_cooldown_seconds": (0, 3600),
}
MAX_AGING_SECONDS = 7 * 24 * 3600


def get(*, db: Session, tenant_id: uuid.UUID) -> Tenant:
    tenant = db.get(Tenant, tenant_id)
    if tenant is None:
        raise NotFound("Tenant not found.")
    return tenant


def get_by_slug(*, db: Session, slug: str) -> Tenant:
    tenant = db.scalar(select(Tenant).where(Tenant.slug == slug.lower()))
    if tenant is None:
        raise NotFound(f"No tenant '{slug}'.")
    return tenant


def _clean_settings(values: dict) -> dict:
    errors = FieldCollector()
    clean = dict(values)
    try:
        if "name" in values:
            name = (values["name"] or "").strip()
            if not name or len(name) > 200:
                raise FieldError("name", "must be 1 to 200 characters")
            clean["name"] = name
        if values.get("default_country"):
            clean["default_country"] = normalize_country(values["default_country"])
        if "time_zone" in values:
            clean["time_zone"] = normalize_time_zone(values["time_zone"] or "")
    except FieldError as exc:
        errors.add(exc.field if exc.field != "country" else "default_country", exc.message)
    priority = values.get("default_priority")
    if priority is not None and (
        not isinstance(priority, int) or isinstance(priority, bool) or not 1 <= priority <= 5
    ):
        errors.add("default_priority", "must be a whole number from 1 to 5")
    aging = values.get("queue_aging_seconds")
    if aging is not None and (
        not isinstance(aging, int) or isinstance(aging, bool) or not 1 <= aging <= MAX_AGING_SECONDS
    ):
        errors.add(
            "queue_aging_seconds",
            f"must be a whole number of seconds from 1 to {MAX_AGING_SECONDS}, or null for off",
        )
    if values.get("routing_mode") is not None and values["routing_mode"] not in ("push", "pull"):
        errors.add("routing_mode", "must be push (work is offered) or pull (agents take work)")
    for field in ("routing_mode", *OFFER_LIMITS):
        if field in values and values[field] is None:
            errors.add(field, "cannot be empty")
    for field, (low, high) in OFFER_LIMITS.items():
        value = values.get(field)
        if value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
        ):
            errors.add(field, f"must be a whole number from {low} to {high}")
    errors.raise_if_any()
    return clean


def create(
    *,
    db: Session,
    slug: str,
    name: str,
    default_country: str | None = None,
    time_zone: str = "UTC",
) -> Tenant:
    slug = slug.strip().lower()
    if not _SLUG.match(slug):
        raise ValidationFailed(
            [FieldError("slug", "use lower-case letters, digits and hyphens (max 63)")]
        )
    if db.scalar(select(Tenant.id).where(Tenant.slug == slug)):
        raise Conflict(f"A tenant '{slug}' already exists.")
    values = _clean_settings(
        {"name": name, "default_country": default_country, "time_zone": time_zone}
    )
    tenant = Tenant(id=new_id(), slug=slug, **values)
    db.add(tenant)
    db.flush()
    return tenant


def update_settings(
    *, db: Session, tenant: Tenant, changes: dict, actor: Actor | None = None
) -> Tenant:
    clean = _clean_settings(changes)
    before = {field: getattr(tenant, field) for field in SETTINGS_FIELDS}
    for field, value in clean.items():
        setattr(tenant, field, value)
    db.flush()
    audit.record(
        db=db, tenant_id=tenant.id, actor=actor, action="update", record_type="tenant",
        record_id=tenant.id, label=tenant.slug, before=before,
        after={field: getattr(tenant, field) for field in SETTINGS_FIELDS},
    )  # fmt: skip
    return tenant
