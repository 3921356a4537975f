"""A row's phones, emails and addresses, added to those of the contact it updates.

An import knows what its file carries, not what the contact gained elsewhere: on an update
the row's entries are merged into the contact's lists instead of replacing them. A number or
email already there keeps its place and label; a new one is added after the others; an
address replaces the one with the same label (its empty cells keep what that address had)
or is added. The row's first of each kind becomes the primary, as its single fields always
did. Importing the same file again therefore changes nothing.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from rapport.contacts import fields, postal
from rapport.contacts import points as contact_points
from rapport.contacts.models import Contact
from rapport.core.errors import FieldError
from rapport.imports.columns import ENTRY_KEYS

LISTED = (*ENTRY_KEYS, "addresses")


def _kind(family: str, entry: dict[str, Any]) -> str:
    return "email" if family == "emails" else contact_points.kind_of(entry.get("label") or "")


def _key(family: str, value: str, region: str | None) -> str:
    """The value as stored (E.164, the email's key), or as written when it does not read."""
    with suppress(FieldError):
        if family == "phones":
            return fields.parse_phone(family, value, region).e164
        return fields.normalize_email(family, value)[1]
    return value.strip().casefold()


def _region(values: dict[str, Any], contact: Contact, default: str | None) -> str | None:
    with suppress(FieldError):
        if values.get("country"):
            return fields.normalize_country(values["country"])
    return contact.country or default


def merge_into(
    contact: Contact, values: dict[str, Any], sources: dict[str, list], default_country: str | None
) -> None:
    """Replace the row's lists in `values` by the contact's lists with them merged in, and
    their `sources` by the column of each merged entry ('' for those the contact had)."""
    region = _region(values, contact, default_country)
    stored = contact_points.stored(contact)
    for family, key in ENTRY_KEYS.items():
        if family not in values:
            continue
        merged = [dict(e) for e in stored[family]]
        columns = [""] * len(merged)
        for entry, column in zip(values[family], sources.get(family, []), strict=False):
            kind, value = _kind(family, entry), _key(family, entry[key], region)
            same = next((e for e in merged if _kind(family, e) == kind
                         and _key(family, e[key], region) == value), None)  # fmt: skip
            if same is None:
                same = {**entry, "primary": False}
                merged.append(same)
                columns.append(column)
            if entry.get("primary"):
                for other in merged:
                    if _kind(family, other) == kind:
                        other["primary"] = other is same
        values[family] = merged
        sources[family] = columns
    if "addresses" in values:
        _merge_addresses(contact, values, sources)


def _merge_addresses(contact: Contact, values: dict[str, Any], sources: dict) -> None:
    merged = postal.stored(contact)
    columns = [""] * len(merged)
    for entry, column in zip(values["addresses"], sources.get("addresses", []), strict=False):
        same = next((e for e in merged if e["label"] == entry["label"]), None)
        given = {k: v for k, v in entry.items() if v not in (None, "")}
        if same is None:
            merged.append({**given, "primary": False})
            columns.append(column)
            same = merged[-1]
        else:  # the file's cells replace that address's, its empty cells keep them
            same.update({k: v for k, v in given.items() if k != "primary"})
            columns[merged.index(same)] = column
        if entry.get("primary"):
            for other in merged:
                other["primary"] = other is same
    values["addresses"] = merged
    sources["addresses"] = columns


def column_of(field: str, sources: dict[str, list]) -> str:
    """'phones.2.number' → the column that entry came from, when known; else the field."""
    family, _, rest = field.partition(".")
    index, _, part = rest.partition(".")
    if family in sources and index.isdigit() and int(index) < len(sources[family]):
        found = sources[family][int(index)]
        if isinstance(found, dict):  # an address: its columns by part
            found = found.get(part) or next(iter(found.values()), "")
        return found or field
    return field


def named(
    errors: list[tuple[str, str]], values: dict[str, Any], sources: dict[str, list]
) -> list[tuple[str, str]]:
    """The errors with list entries named by their column. A primary entry is the single
    field too, whose own error says it already: its list error is left out."""
    out = []
    singles = {field for field, _ in errors if "." not in field}
    for field, message in errors:
        family, _, rest = field.partition(".")
        index = rest.partition(".")[0]
        entries = values.get(family) if family in LISTED else None
        if isinstance(entries, list) and index.isdigit() and int(index) < len(entries):
            entry = entries[int(index)]
            if isinstance(entry, dict) and entry.get("primary") and singles:
                continue
        out.append((column_of(field, sources), message))
    return out
