"""The contact form: posted fields to service values and back, and the choices it offers."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pycountry
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from rapport.accounts import service as accounts_service
from rapport.contacts import fields
from rapport.contacts.models import CHANNELS, Contact
from rapport.core.text import fold
from rapport.web.deps import form_text

TEXT_FIELDS = (
    "first_name", "last_name", "email", "phone", "mobile", "fax", "address", "city",
    "state", "postal_code", "country", "time_zone", "account", "external_id",
)  # fmt: skip
LABELS = {
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "mobile": "Mobile",
    "fax": "Fax",
    "address": "Street address",
    "city": "City",
    "state": "State / province",
    "postal_code": "Postal code",
    "country": "Country",
    "time_zone": "Time zone",
    "account": "Account",
    "external_id": "External id",
    "priority": "Priority",
    "preferred_channels": "Preferred channels",
    "custom_attributes": "Custom attributes",
}


@lru_cache(maxsize=1)
def country_choices() -> list[tuple[str, str]]:
    return sorted(
        ((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: fold(pair[1])
    )


def account_choices(db: Session, tenant_id: Any) -> list[tuple[str, str]]:
    """(identifier, "IDENT — Name") of the tenant's accounts, for the account field's list."""
    rows, _ = accounts_service.list_accounts(db=db, tenant_id=tenant_id, limit=500)
    return [(a.identifier, f"{a.identifier} — {a.name}") for a in rows]


@lru_cache(maxsize=1)
def time_zone_choices() -> list[str]:
    return fields.all_time_zones()


def values_from_form(form: FormData) -> dict[str, Any]:
    """What the agent typed, as the service's input (blank fields clear the value)."""
    values: dict[str, Any] = {name: form_text(form, name) for name in TEXT_FIELDS}
    # The zone shown pre-filled was inferred; sent back unchanged it stays inferred, so a
    # new phone number or country can move it.
    if values["time_zone"] and values["time_zone"] == form_text(form, "time_zone_inferred"):
        values["time_zone"] = None
    priority = form_text(form, "priority")
    values["priority"] = int(priority) if priority and priority.isdigit() else priority
    values["preferred_channels"] = [c for c in form.getlist("preferred_channels") if c]
    return values


def form_from_contact(contact: Contact) -> dict[str, Any]:
    """The stored contact as the form shows it: numbers as people write them."""
    form: dict[str, Any] = {
        name: getattr(contact, name) or "" for name in TEXT_FIELDS if name != "account"
    }
    for name in ("phone", "mobile", "fax"):
        form[name] = fields.display_phone(getattr(contact, name), contact.country) or ""
    form["account"] = contact.account.identifier if contact.account else ""
    form["priority"] = contact.priority
    form["preferred_channels"] = list(contact.preferred_channels or [])
    form["time_zone_inferred"] = contact.time_zone if contact.time_zone_source == "inferred" else ""
    return form


def form_from_post(form: FormData) -> dict[str, Any]:
    """The posted form as typed, to show it again after a failed save."""
    shown: dict[str, Any] = {name: form.get(name) or "" for name in TEXT_FIELDS}
    shown["priority"] = form.get("priority") or ""
    shown["preferred_channels"] = [c for c in form.getlist("preferred_channels") if c]
    shown["time_zone_inferred"] = form.get("time_zone_inferred") or ""
    return shown


def channel_rows(selected: list[str]) -> list[tuple[str, bool]]:
    """Chosen channels first, in their order, then the others."""
    rest = [c for c in CHANNELS if c not in selected]
    return [(c, True) for c in selected if c in CHANNELS] + [(c, False) for c in rest]


def differences(typed: dict[str, Any], current: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(label, saved now, what you typed) for each field where they differ: for a stale edit."""
    found = []
    for name in (*TEXT_FIELDS, "priority", "preferred_channels"):
        mine, theirs = typed.get(name) or "", current.get(name) or ""
        if name == "preferred_channels":
            mine, theirs = ", ".join(mine), ", ".join(theirs)
        if str(mine).strip() != str(theirs).strip():
            found.append((LABELS[name], theirs, mine))
    return found


# --- three-way merge of a contact edit ---------------------------------------------------------
# The edit form carries the values it was opened with (`base`). Saving sends only the fields
# this agent changed from them, so a colleague's save of other fields in between is kept, and
# only a field both changed is a conflict.
MERGED_FIELDS = (*TEXT_FIELDS, "priority", "preferred_channels")


def _comparable(name: str, value: Any) -> Any:
    if name == "preferred_channels":
        return [str(c) for c in value or []]
    return str(value if value is not None else "").strip()


def base_of(form: dict[str, Any]) -> str:
    """The form's values as the hidden `base` field carries them."""
    return json.dumps({name: _comparable(name, form.get(name)) for name in MERGED_FIELDS})


def posted_base(posted: FormData) -> dict[str, Any] | None:
    """The values the posted form was opened with; None from a form that carried none."""
    try:
        base = json.loads(posted.get("base") or "null")
    except ValueError:
        return None
    return base if isinstance(base, dict) else None


def changed_from(base: dict[str, Any], form: dict[str, Any]) -> set[str]:
    """The fields whose value in `form` differs from `base`."""
    return {n for n in MERGED_FIELDS if _comparable(n, form.get(n)) != base.get(n)}


def conflicts(
    base: dict[str, Any], typed: dict[str, Any], current: dict[str, Any]
) -> list[tuple[str, Any, Any]]:
    """(label, saved now, yours) for each field both this agent and the other save changed
    to different values: the only real conflicts of a three-way merge."""
    mine, theirs = changed_from(base, typed), changed_from(base, current)
    both = [n for n in MERGED_FIELDS if n in mine and n in theirs]
    return [
        entry
        for entry in differences(typed, current)
        if entry[0] in {LABELS[n] for n in both}
    ]
