"""A contact's several postal addresses: labelled, one primary, kept in step with the single
`address`, `city`, `state`, `postal_code` and `country` fields that older integrations use.

The single fields and every listed address go through the same rules (`clean_parts`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from typing import Any

from rapport.contacts import fields
from rapport.contacts.models import ADDRESS_LABELS, Contact, ContactAddress
from rapport.contacts.points import clean_label
from rapport.core.db import built
from rapport.core.errors import FieldCollector, FieldError
from rapport.core.inputs import column_overflow
from rapport.core.text import clean_text

PARTS = ("address", "city", "state", "postal_code", "country")
# Street lines may span lines; the others are one line, at most their column's length.
LIMITS = {"address": 500, "city": 100, "state": 320, "postal_code": 320, "country": 320}
# The label of a primary that comes from the single fields, and of an entry sent without one.
DEFAULT_LABEL = "work"
MAX_ADDRESSES = 20


@dataclass(frozen=True)
class PostalAddress:
    label: str
    primary: bool
    address: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    country: str | None = None

    @property
    def parts(self) -> tuple[str | None, ...]:
        return tuple(getattr(self, name) for name in PARTS)


def clean_parts(errors: FieldCollector, raw: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """An address's fields checked and normalised: the country to its ISO code, the state to
    its ISO 3166-2 code where the country has subdivisions, the postal code to the country's
    format. Errors go to `errors`, named `prefix` + field (`addresses.1.postal_code`)."""
    clean: dict[str, Any] = {}

    def attempt(rule, *args) -> Any:
        try:
            return rule(*args)
        except FieldError as exc:
            errors.add(prefix + exc.field, exc.message)
            return None

    for name, limit in LIMITS.items():
        clean[name] = attempt(clean_text, name, raw.get(name), limit, name == "address")
    country = clean["country"] and attempt(fields.normalize_country, clean["country"])
    clean["country"] = country
    failed = errors.has(prefix + "country")
    if clean["state"] and not failed:
        clean["state"] = attempt(fields.normalize_state, clean["state"], country)
    if clean["postal_code"] and not failed and not errors.has(prefix + "state"):
        clean["postal_code"] = attempt(
            fields.normalize_postal_code, clean["postal_code"], country, clean["state"]
        )
    # What the normalisers kept as entered (a state or postal code of a country without
    # rules) must still fit its column, or PostgreSQL refuses it where SQLite stores it.
    for name in ("state", "postal_code"):
        if clean[name] and not errors.has(prefix + name):
            if too_long := column_overflow(Contact, name, clean[name]):
                errors.add(prefix + name, too_long)
    return clean


def _parse(errors: FieldCollector, items: list[dict]) -> list[PostalAddress] | None:
    """The `addresses` entries as sent, each checked; None if any is bad."""
    before = len(errors.errors)
    if len(items) > MAX_ADDRESSES:
        errors.add("addresses", f"at most {MAX_ADDRESSES} entries")
        return None
    found: list[PostalAddress] = []
    marked: list[int] = []
    for n, item in enumerate(items):
        prefix, had = f"addresses.{n}.", len(errors.errors)
        label = clean_label(errors, prefix + "label", item.get("label"), DEFAULT_LABEL,
                            ADDRESS_LABELS)  # fmt: skip
        parts = clean_parts(errors, item, prefix)
        if len(errors.errors) > had:
            continue
        if not any(parts.values()):
            errors.add(f"addresses.{n}", "an address needs a street, city, postal code or country")
            continue
        if item.get("primary"):
            marked.append(n)
        found.append(PostalAddress(label or DEFAULT_LABEL, bool(item.get("primary")), **parts))
    if len(marked) > 1:
        errors.add(f"addresses.{marked[1]}.primary", "only one address can be primary")
    return None if len(errors.errors) > before else _with_primary(found)


def _with_primary(found: list[PostalAddress]) -> list[PostalAddress]:
    """Where no entry is marked primary, the first one is."""
    if not found or any(a.primary for a in found):
        return found
    return [replace(found[0], primary=True), *found[1:]]


def primary(found: list[PostalAddress]) -> PostalAddress | None:
    return next((a for a in found if a.primary), None)


def _set_primary(found: list[PostalAddress], wanted: PostalAddress | None) -> list[PostalAddress]:
    """The list with `wanted` as its primary (None: the next one, if any)."""
    current = primary(found)
    if current is not None and wanted is not None and current.parts == wanted.parts:
        return found
    rest = [a for a in found if a is not current]
    if wanted is None:
        return _with_primary(rest)
    listed = next((a for a in rest if a.parts == wanted.parts), None)
    if listed is not None:  # already an other address: it becomes the primary
        return [replace(a, primary=True) if a is listed else a for a in rest]
    if current is None:
        return [replace(wanted, label=DEFAULT_LABEL, primary=True), *found]
    # A changed address keeps its place and label.
    new = replace(wanted, label=current.label, primary=True)
    return [new if a is current else a for a in found]


def _stored(items: list[dict]) -> list[PostalAddress]:
    """The stored list as it was: checked when saved, so a rule changed since loses nothing."""
    names = {f.name for f in dataclass_fields(PostalAddress)}
    return [PostalAddress(**{k: v for k, v in item.items() if k in names}) for item in items]


def merge(
    *, errors: FieldCollector, values: dict[str, Any], sent: set[str], clean: dict[str, Any]
) -> list[PostalAddress]:
    """Every address of the record: the list when sent, else the stored list with the single
    fields as its primary. The single fields in `clean` are set to the primary's."""
    given = "addresses" in sent and values.get("addresses") is not None
    single = PostalAddress(DEFAULT_LABEL, True, **{n: clean[n] for n in PARTS})
    if given:
        found = _parse(errors, values["addresses"])
        if found is None:
            return []
        chosen = primary(found)
        for name in PARTS:
            if name in sent and clean[name] and not errors.has(name):
                if chosen is None or getattr(chosen, name) != clean[name]:
                    errors.add(name, "differs from the primary address in `addresses`; "
                               "send one or make them agree")  # fmt: skip
    else:
        found = _stored(values.get("addresses") or [])
        if any(errors.has(n) for n in PARTS):
            return found  # the record is refused anyway
        found = _set_primary(found, single if any(single.parts) else None)
    chosen = primary(found)
    for name in PARTS:
        clean[name] = getattr(chosen, name) if chosen else None
    return found


def stored(contact: Contact) -> list[dict[str, Any]]:
    """The contact's addresses in input form, so a change is validated as the whole record."""
    return [
        {"label": a.label, "primary": a.is_primary, **{n: getattr(a, n) for n in PARTS}}
        for a in contact.addresses
    ]


def rows(contact: Contact, found: list[PostalAddress]) -> list[ContactAddress]:
    return [
        built(ContactAddress, {
            "tenant_id": contact.tenant_id, "contact_id": contact.id, "position": position,
            "label": a.label, "is_primary": a.primary, **{n: getattr(a, n) for n in PARTS},
        })  # fmt: skip
        for position, a in enumerate(found)
    ]


def same(contact: Contact, found: list[PostalAddress]) -> bool:
    mine = [(a.label, a.is_primary, *(getattr(a, n) for n in PARTS)) for a in contact.addresses]
    return mine == [(a.label, a.primary, *a.parts) for a in found]


def one_line(address: Any) -> str:
    """An address on one line, for the audit trail."""
    return ", ".join(p for p in (getattr(address, n) for n in PARTS) if p).replace("\n", ", ")
