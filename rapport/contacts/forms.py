"""The contact form: posted fields to service values and back, and the choices it offers."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pycountry
from sqlalchemy.orm import Session, object_session
from starlette.datastructures import FormData

from rapport.accounts import service as accounts_service
from rapport.contacts import fields, form_lists
from rapport.contacts.models import CHANNELS, Contact
from rapport.core.text import fold
from rapport.customfields import forms as cf_forms
from rapport.customfields import service as custom_fields
from rapport.customfields.models import CustomField
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
    "phones": "Phone numbers",
    "emails": "Emails",
    "addresses": "Addresses",
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


def values_from_form(
    form: FormData,
    defined: list[CustomField] | None = None,
    role: str = "agent",
    *,
    existing: bool = False,
) -> dict[str, Any]:
    """What the agent typed, as the service's input (blank fields clear the value); custom
    fields of `defined` the role may edit go under `custom_fields`. Lists the form edits as
    rows replace their single fields (the contact form); a form with the single fields only
    (the screen pop's) sets those."""
    values: dict[str, Any] = {name: form_text(form, name) for name in TEXT_FIELDS}
    form_lists.put_lists(values, form_lists.service_values(form))
    # The zone shown pre-filled was inferred; sent back unchanged it stays inferred, so a
    # new phone number or country can move it.
    if values["time_zone"] and values["time_zone"] == form_text(form, "time_zone_inferred"):
        values["time_zone"] = None
    priority = form_text(form, "priority")
    values["priority"] = int(priority) if priority and priority.isdigit() else priority
    values["preferred_channels"] = [c for c in form.getlist("preferred_channels") if c]
    if defined:
        typed = cf_forms.posted_values(defined, form)
        values["custom_fields"] = cf_forms.service_values(defined, typed, role, existing=existing)
    return values


def form_from_contact(contact: Contact, rows: bool = True) -> dict[str, Any]:
    """The stored contact as the form shows it: numbers as people write them. `rows`: its
    phones, emails and addresses as the form's rows (False: as the single fields, to compare
    with a post of those)."""
    form: dict[str, Any] = {
        name: getattr(contact, name) or "" for name in TEXT_FIELDS if name != "account"
    }
    for name in ("phone", "mobile", "fax"):
        form[name] = fields.display_phone(getattr(contact, name), contact.country) or ""
    form["account"] = contact.account.identifier if contact.account else ""
    form["priority"] = contact.priority
    form["preferred_channels"] = list(contact.preferred_channels or [])
    form["time_zone_inferred"] = contact.time_zone if contact.time_zone_source == "inferred" else ""
    if rows:  # the form edits every phone, email and address as rows, not the single fields
        form_lists.put_lists(form, form_lists.rows_of(contact))
    defined = custom_fields.definitions(db=object_session(contact), tenant_id=contact.tenant_id)
    form.update(cf_forms.form_values(defined, contact.custom_fields, contact.country))
    return form


def form_from_post(form: FormData, defined: list[CustomField] | None = None) -> dict[str, Any]:
    """The posted form as typed, to show it again after a failed save."""
    shown: dict[str, Any] = {name: form.get(name) or "" for name in TEXT_FIELDS}
    shown["priority"] = form.get("priority") or ""
    shown["preferred_channels"] = [c for c in form.getlist("preferred_channels") if c]
    shown["time_zone_inferred"] = form.get("time_zone_inferred") or ""
    posted = {family: form_lists.posted_rows(form, family) for family in form_lists.edited(form)}
    form_lists.put_lists(shown, posted)
    shown.update(cf_forms.posted_values(defined or [], form))
    return shown


def channel_rows(selected: list[str]) -> list[tuple[str, bool]]:
    """Chosen channels first, in their order, then the others."""
    rest = [c for c in CHANNELS if c not in selected]
    return [(c, True) for c in selected if c in CHANNELS] + [(c, False) for c in rest]


def differences(
    typed: dict[str, Any], current: dict[str, Any], labels: dict[str, str] | None = None
) -> list[tuple[str, Any, Any]]:
    """(label, saved now, what you typed) for each field where they differ: for a stale edit."""
    labels = LABELS | (labels or {})
    found = []
    for name in _merged(typed, current):
        mine, theirs = typed.get(name) or "", current.get(name) or ""
        if name in form_lists.ROW_FIELDS:
            mine, theirs = form_lists.shown(name, mine), form_lists.shown(name, theirs)
        elif isinstance(mine, list) or isinstance(theirs, list):
            mine, theirs = ", ".join(mine or []), ", ".join(theirs or [])
        if str(mine).strip() != str(theirs).strip():
            found.append((labels.get(name, name), theirs, mine))
    return found


# --- three-way merge of a contact edit ---------------------------------------------------------
# The edit form carries the values it was opened with (`base`). Saving sends only the fields
# this agent changed from them, so a colleague's save of other fields in between is kept, and
# only a field both changed is a conflict.
MERGED_FIELDS = (*TEXT_FIELDS, "priority", "preferred_channels", *form_lists.ROW_FIELDS)


def _merged(*forms: dict[str, Any]) -> list[str]:
    """The standard fields, then the custom fields any of the forms holds."""
    custom = sorted({n for form in forms for n in form if n.startswith(cf_forms.PREFIX)})
    return [*MERGED_FIELDS, *custom]


def _comparable(name: str, value: Any) -> Any:
    if name in form_lists.ROW_FIELDS:
        return form_lists.comparable(name, value)
    if name == "preferred_channels" or isinstance(value, list):
        return [str(c) for c in value or []]
    return str(value if value is not None else "").strip()


def base_of(form: dict[str, Any]) -> str:
    """The form's values as the hidden `base` field carries them."""
    return json.dumps({name: _comparable(name, form.get(name)) for name in _merged(form)})


def posted_base(posted: FormData) -> dict[str, Any] | None:
    """The values the posted form was opened with; None from a form that carried none."""
    try:
        base = json.loads(posted.get("base") or "null")
    except ValueError:
        return None
    return base if isinstance(base, dict) else None


def changed_from(base: dict[str, Any], form: dict[str, Any]) -> set[str]:
    """The fields whose value in `form` differs from `base`. A custom field the base does not
    hold (defined since the form opened) counts as changed only when the form has a value."""
    changed = set()
    for name in _merged(form):
        if name in base or name in MERGED_FIELDS:
            if _comparable(name, form.get(name)) != base.get(name):
                changed.add(name)
        elif _comparable(name, form.get(name)) not in ("", []):
            changed.add(name)
    return changed


def conflicts(
    base: dict[str, Any],
    typed: dict[str, Any],
    current: dict[str, Any],
    labels: dict[str, str] | None = None,
) -> list[tuple[str, Any, Any]]:
    """(label, saved now, yours) for each field both this agent and the other save changed
    to different values: the only real conflicts of a three-way merge."""
    labels = LABELS | (labels or {})
    mine, theirs = changed_from(base, typed), changed_from(base, current)
    both = {labels.get(n, n) for n in mine & theirs}
    return [entry for entry in differences(typed, current, labels) if entry[0] in both]


def only_changed(values: dict[str, Any], mine: set[str]) -> dict[str, Any]:
    """The service input of the fields this agent changed; custom fields key by key."""
    kept = {k: v for k, v in values.items() if k in mine}
    custom = {
        key: value
        for key, value in (values.get("custom_fields") or {}).items()
        if cf_forms.PREFIX + key in mine
    }
    if custom:
        kept["custom_fields"] = custom
    return kept
