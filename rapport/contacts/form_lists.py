"""The contact form's lists of phones, emails and addresses: indexed rows posted by a plain
HTML form (`phones-0-number`, `phones-0-label`, `phones-0-primary`, `emails-primary`, ...),
to the service's lists and back. A row left blank is no entry, so a spare blank row lets a
person add one without scripts, and clearing a row removes it."""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData

from rapport.contacts import fields, postal
from rapport.contacts import points as contact_points
from rapport.contacts.models import ADDRESS_LABELS, EMAIL_LABELS, PHONE_LABELS, Contact

# Each list's fields besides label and primary, and the single fields its primaries are.
ROW_FIELDS = {
    "phones": ("number",),
    "emails": ("address",),
    "addresses": postal.PARTS,
}
SINGLE_FIELDS = {
    "phones": ("phone", "mobile", "fax"),
    "emails": ("email",),
    "addresses": postal.PARTS,
}
# A number has one primary per kind (phone, mobile, fax): a tick per row. An email and an
# address have one primary in all: a radio button of the list (`emails-primary`).
TICKED = ("phones",)
OFFERED_LABELS = {"phones": PHONE_LABELS, "emails": EMAIL_LABELS, "addresses": ADDRESS_LABELS}
NOUNS = {"phones": "Number", "emails": "Email", "addresses": "Address"}
PART_NAMES = {"address": "street", "city": "city", "state": "state / province",
              "postal_code": "postal code", "country": "country", "number": "number",
              "label": "label", "primary": "primary"}  # fmt: skip
MAX_ROWS = 50
_ROW = re.compile(r"^(phones|emails|addresses)-(\d{1,3})-([a-z_]+)$")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def posted_rows(form: FormData, family: str) -> list[dict[str, Any]]:
    """The list's rows as typed, in their order, blank ones left out; `primary` a bool."""
    indexes = sorted(
        {int(m.group(2)) for key in form if (m := _ROW.match(key)) and m.group(1) == family}
    )[:MAX_ROWS]
    chosen = _text(form.get(f"{family}-primary"))
    rows = []
    for n in indexes:
        row = {name: _text(form.get(f"{family}-{n}-{name}")) for name in ROW_FIELDS[family]}
        if not any(row.values()):
            continue
        row["label"] = _text(form.get(f"{family}-{n}-label"))
        ticked = bool(form.get(f"{family}-{n}-primary"))
        row["primary"] = ticked if family in TICKED else chosen == str(n)
        rows.append(row)
    return rows


def edited(form: FormData) -> list[str]:
    """The lists this form edits as rows (the contact form says so; the screen pop's form,
    with single fields only, does not)."""
    return [f for f in form.getlist("lists") if f in ROW_FIELDS]


def service_values(form: FormData) -> dict[str, Any]:
    """The posted lists as the service's input: blank texts as null, labels as typed."""
    values: dict[str, Any] = {}
    for family in edited(form):
        values[family] = [
            {k: (v if v != "" else None) for k, v in row.items()}
            for row in posted_rows(form, family)
        ]
    return values


def put_lists(target: dict[str, Any], lists: dict[str, list[dict[str, Any]]]) -> None:
    """Each list in `target` in place of the single fields its primaries are."""
    for family, rows in lists.items():
        for name in SINGLE_FIELDS[family]:
            target.pop(name, None)
        target[family] = rows


def rows_of(contact: Contact) -> dict[str, list[dict[str, Any]]]:
    """The contact's lists as the form shows them: numbers as people write them, a state by
    its name."""
    lists = contact_points.stored(contact)
    for phone in lists["phones"]:
        phone["number"] = fields.display_phone(phone["number"], contact.country) or phone["number"]
    lists["addresses"] = postal.stored(contact)
    for address in lists["addresses"]:
        address.update({name: address[name] or "" for name in postal.PARTS})
        if "-" in address["state"]:
            address["state"] = fields.subdivision_name(address["state"]) or address["state"]
    return lists


def comparable(family: str, rows: Any) -> list[list[str]]:
    """A list as the three-way merge compares it: each row's texts in a fixed order."""
    keys = (*ROW_FIELDS[family], "label", "primary")
    out = []
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict):
            out.append([_text(str(row.get(k) or "")) if k != "primary" else
                        ("1" if row.get(k) else "") for k in keys])  # fmt: skip
        elif isinstance(row, list):  # already compared form, from a form's `base`
            out.append([str(v) for v in row])
    return out


def shown(family: str, rows: Any) -> str:
    """A list in one line, for the notice of a save that met another."""
    parts = []
    for row in comparable(family, rows):
        *values, label, primary = row
        text = ", ".join(v for v in values if v)
        parts.append(f"{text} ({label or 'work'}{', primary' if primary else ''})")
    return "; ".join(parts)


def form_errors(errors: dict[str, str]) -> dict[str, str]:
    """The service's error names as the form's field names: `phones.1.number` is
    `phones-1-number`, `addresses.4` the row `addresses-4`."""
    return {
        (key.replace(".", "-") if key.split(".")[0] in ROW_FIELDS else key): message
        for key, message in errors.items()
    }


def primary_row_field(family: str, rows: list[dict[str, Any]]) -> str:
    """The form field of the list's primary entry (marked, else the first)."""
    at = next((n for n, row in enumerate(rows) if row.get("primary")), 0)
    return f"{family}-{at}-{ROW_FIELDS[family][0]}"


def labels_for(errors: dict[str, str]) -> dict[str, str]:
    """What the error summary calls each row field that has an error: 'Number 2: label'."""
    found = {}
    for key in errors:
        parts = key.split("-")
        if parts[0] in ROW_FIELDS and len(parts) >= 2 and parts[1].isdigit():
            row = f"{NOUNS[parts[0]]} {int(parts[1]) + 1}"
            found[key] = f"{row}: {PART_NAMES.get(parts[2], parts[2])}" if len(parts) > 2 else row
    return found
