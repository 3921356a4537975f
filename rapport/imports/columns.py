"""From a row's cells to the values of one contact, by the column mapping.

Exports from other systems spread one field over several columns: Outlook's Business, Home
and Other phones and addresses, Google's numbered "Phone 1 - Value" with its "Phone 1 - Type",
a second and third email. Every email and number of a row goes into the contact's `emails`
and `phones`, labelled from the source (Google's "Phone 1 - Type", Outlook's Business → work,
Home → home, Other → other, Mobile → mobile, Fax → fax); each address group with values
becomes one of its `addresses` (labelled by the group or Google's "Address 1 - Type"), taken
whole, so a business street never mixes with a home city. The first of each kind is primary
and fills the single field (`email`, `phone`, `mobile`, `fax`, the address fields) as before.
Lists are sent only when the file has several columns of a kind (or typed or grouped ones);
pagers and, when asked, unmapped columns are kept aside in custom attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapport.contacts import points as contact_points
from rapport.imports import profiles
from rapport.imports.reader import header_key

# Google writes several values of one field in one cell, separated so.
MULTI_VALUE = " ::: "
KEPT_ASIDE = ("email", "phone", "mobile", "fax")
ATTRIBUTE_KEY_MAX = 50
# The list entries of a row come with the column each came from, to name it in errors.
SOURCES = "__sources__"
LABEL_MAX = 40
# Labels by the word a header or group starts with (Outlook's "Business Phone", "Home City").
LABEL_WORDS = {
    "business": "work", "work": "work", "office": "work", "companymain": "work",
    "mailing": "work", "home": "home", "private": "home", "personal": "home",
    "other": "other", "billing": "billing", "shipping": "shipping",
}  # fmt: skip
TYPE_LABELS = ("work", "home", "mobile", "other")
ENTRY_KEYS = {"phones": "number", "emails": "address"}  # an entry's value, by list


@dataclass
class Layout:
    headers: list[str]
    keys: list[str] = field(default_factory=list)  # each header's `header_key`
    by_key: dict[str, int] = field(default_factory=dict)  # each key's first column
    single: list[tuple[int, str]] = field(default_factory=list)
    multi: dict[str, list[int]] = field(default_factory=dict)
    phones: list[tuple[int, int | None]] = field(default_factory=list)
    groups: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    unmapped: list[int] = field(default_factory=list)
    keep_unmapped: bool = False


def layout_of(
    headers: list[str], mapping: dict[str, str | None], keep_unmapped: bool = False
) -> Layout:
    keys = [header_key(h) for h in headers]  # once per file: rows look columns up by key
    by_key = {key: index for index, key in reversed(list(enumerate(keys)))}
    layout = Layout(headers=headers, keys=keys, by_key=by_key, keep_unmapped=keep_unmapped)
    for index, (header, key) in enumerate(zip(headers, keys, strict=True)):
        target = mapping.get(header)
        if target is None:
            layout.unmapped.append(index)
        elif target in profiles.ADDRESS_PARTS:
            parts = layout.groups.setdefault(profiles.group_of(key), {})
            parts.setdefault(target, []).append(index)
        elif target == "phones":
            layout.phones.append((index, _type_column(key, keys, mapping, headers)))
        elif target in profiles.REPEATABLE and target != "type_label":
            layout.multi.setdefault(target, []).append(index)
        elif target != "type_label":
            layout.single.append((index, target))
    if zones := layout.multi.get("time_zone"):  # an IANA column is read before a Rails one
        zones.sort(key=lambda i: "iana" not in keys[i])
    return layout


def _type_column(key: str, keys: list[str], mapping, headers) -> int | None:
    """The column holding the type of a "Phone 1 - Value" column: "Phone 1 - Type"/"- Label"."""
    stem = key.removesuffix("value")
    for index, other in enumerate(keys):
        if other in (f"{stem}type", f"{stem}label") and mapping.get(headers[index]) == "type_label":
            return index
    return None


def assemble(layout: Layout, cells: list[str | None]) -> tuple[dict[str, str], dict[str, str]]:
    """(the row's values by field, as text; what is kept aside, by column)."""

    def cell(index: int | None) -> str | None:
        if index is None or index >= len(cells) or cells[index] is None:
            return None
        return cells[index].strip() or None

    raw: dict[str, Any] = {}
    aside: dict[str, list[str]] = {}
    lists: dict[str, list[tuple[dict[str, Any], str]]] = {"phones": [], "emails": []}
    keys = layout.keys
    for index, target in layout.single:
        if (text := cell(index)) is not None:
            raw[target] = text
    for target, indexes in layout.multi.items():
        for index in indexes:
            for value in _values(cell(index)):
                if target in KEPT_ASIDE:
                    family = "emails" if target == "email" else "phones"
                    if target == "email":
                        label = _type_label(cell(_type_of(layout, index)))
                    else:
                        label = target if target != "phone" else None
                    lists[family].append((_entry(family, value, label or _word(keys[index])),
                                          layout.headers[index]))  # fmt: skip
                if target not in raw:
                    raw[target] = value
    for index, type_index in layout.phones:
        label = cell(type_index) or layout.headers[index]
        kind = profiles.phone_kind(label)
        for value in _values(cell(index)):
            if kind:
                typed = kind if kind != "phone" else _type_label(cell(type_index))
                lists["phones"].append((_entry("phones", value, typed), layout.headers[index]))
                raw.setdefault(kind, value)
            else:
                name = f"{layout.headers[index]} ({cell(type_index)})" if cell(type_index) else None
                aside.setdefault(name or layout.headers[index], []).append(value)
    _address(layout, cell, raw)
    _lists(layout, cell, raw, lists)
    if layout.keep_unmapped:
        for index in layout.unmapped:
            if (text := cell(index)) is not None:
                aside.setdefault(layout.headers[index], []).append(text)
    return raw, {key[:ATTRIBUTE_KEY_MAX]: ", ".join(values) for key, values in aside.items()}


def _entry(family: str, value: str, label: str | None) -> dict[str, Any]:
    return {ENTRY_KEYS[family]: value, "label": label, "primary": False}


def _type_label(text: str | None) -> str | None:
    """Google's "* Work" → work; a type of its own ("Assistant") as written, cut to fit."""
    text = (text or "").strip().lstrip("*").strip()
    if not text:
        return None
    return text.casefold() if text.casefold() in TYPE_LABELS else text[:LABEL_MAX]


def _word(key: str) -> str | None:
    """The label a header's leading word gives ("businessphone" → work), if any."""
    return next((label for word, label in LABEL_WORDS.items() if key.startswith(word)), None)


def _type_of(layout: Layout, index: int) -> int | None:
    """Google's "E-mail 1 - Type" beside "E-mail 1 - Value" (Outlook's "E-mail Type" is the
    transport, SMTP, and not a label)."""
    key = layout.keys[index]
    return layout.by_key.get(key.removesuffix("value") + "type") if key.endswith("value") else None


def _digits(family: str, value: str) -> str:
    return re.sub(r"\D", "", value) if family == "phones" else value.casefold()


def _lists(layout: Layout, cell, raw: dict[str, Any], lists) -> None:
    """Put the row's `phones`, `emails` and `addresses` in `raw` (with the columns they came
    from, in `raw[SOURCES]`) when the file has several columns of that kind."""
    sources: dict[str, list[str]] = {}
    counts = {t: len(layout.multi.get(t, [])) for t in KEPT_ASIDE}
    several = {
        "phones": bool(layout.phones) or any(counts[t] > 1 for t in ("phone", "mobile", "fax")),
        "emails": counts["email"] > 1,
    }
    for family, found in lists.items():
        kinds = ("email",) if family == "emails" else ("phone", "mobile", "fax")
        kind_of = (lambda e: "email") if family == "emails" else _kind_of_entry
        key = ENTRY_KEYS[family]
        # A single number per field, in columns of their own, stays as the single fields were.
        if not found or not several[family] and len(found) == len({kind_of(e) for e, _ in found}):
            continue
        entries, seen, columns = [], set(), []
        for entry, column in found:
            value = entry[key]
            if _digits(family, value) in seen:
                continue  # one number in two columns ("Primary Phone" and "Business Phone")
            seen.add(_digits(family, value))
            entries.append(entry)
            columns.append(column)
        for kind in kinds:  # the entry that fills the single field is the primary
            wanted = raw.get(kind)
            first = next((e for e in entries if kind_of(e) == kind
                          and _digits(family, e[key]) ==
                          _digits(family, wanted or "")), None)  # fmt: skip
            if wanted and first is not None:
                first["primary"] = True
        raw[family] = entries
        sources[family] = columns
    addresses, columns = _address_entries(layout, cell)
    if addresses:
        raw["addresses"] = addresses
        sources["addresses"] = columns
    if sources:
        raw[SOURCES] = sources


def _kind_of_entry(entry: dict[str, Any]) -> str:
    return contact_points.kind_of(entry["label"] or "")


def _address_entries(layout: Layout, cell) -> tuple[list[dict], list[dict]]:
    """Each named group with values, whole, with its label; the first is primary."""
    named = [g for g in layout.groups if g]
    entries: list[dict[str, Any]] = []
    columns: list[dict[str, str]] = []
    if not named:
        return entries, columns
    for group in named:
        parts = layout.groups[group]
        if not any(cell(i) for indexes in parts.values() for i in indexes):
            continue
        entry: dict[str, Any] = {}
        for part in profiles.ADDRESS_PARTS:
            for source in (parts, layout.groups.get("")):
                found = [text for i in (source or {}).get(part, []) if (text := cell(i))]
                if found:
                    entry[part] = "\n".join(found) if part == "address" else found[0]
                    break
        typed = layout.by_key.get(f"{group}type")
        entry["label"] = _type_label(cell(typed)) or LABEL_WORDS.get(group) or "work"
        entry["primary"] = not entries
        entries.append(entry)
        columns.append({part: layout.headers[indexes[0]] for part, indexes in parts.items()})
    return entries, columns


def _values(text: str | None) -> list[str]:
    if text is None:
        return []
    return [part.strip() for part in text.split(MULTI_VALUE) if part.strip()]


def _address(layout: Layout, cell, raw: dict[str, str]) -> None:
    """The address parts of the first group with any of them; an ungrouped column ("Country"
    beside "Business Street") fills what that group lacks."""
    chosen = next(
        (parts for group, parts in layout.groups.items()
         if group and any(cell(i) for indexes in parts.values() for i in indexes)),
        None,
    )  # fmt: skip
    for part in profiles.ADDRESS_PARTS:
        for source in (chosen, layout.groups.get("")):
            found = [text for i in (source or {}).get(part, []) if (text := cell(i))]
            if found:
                raw[part] = "\n".join(found) if part == "address" else found[0]
                break


NOTES = {
    "full_name": "split into first and last name",
    "id": "Rapport contact id: the row updates that contact",
    "phones": "phone, mobile or fax, by its type",
    "type_label": "the type of the number or email beside it",
    "account": "account (matched by identifier or name; created if new, unless refused)",
}


def describe(
    headers: list[str], mapping: dict[str, str | None], keep_unmapped: bool = False
) -> list[dict[str, object]]:
    """Every column, in file order, with what it maps to and what happens to it, in words."""
    seen: dict[str, int] = {}
    report = []
    groups = {profiles.group_of(header_key(h)) for h in headers
              if mapping.get(h) in profiles.ADDRESS_PARTS}  # fmt: skip
    for header in headers:
        target = mapping.get(header)
        if target is None:
            note = "ignored" + ("; kept in custom attributes" if keep_unmapped else "")
        else:
            seen[target] = seen.get(target, 0) + 1
            group = profiles.group_of(header_key(header))
            note = NOTES.get(target, target.replace("_", " "))
            if target.startswith("cf."):
                note = f"custom field {target[3:]}"
            if target in profiles.ADDRESS_PARTS and group and len(groups) > 1:
                name = re.sub(r"(\d+)$", r" \1", group).capitalize()
                note += f" ({name} address: one of the contact's addresses; the first is primary)"
            elif target in KEPT_ASIDE and seen[target] > 1:
                note += " (another of the contact's; primary when the earlier columns are empty)"
        report.append({"column": header, "field": target, "ignored": target is None,
                       "note": note})  # fmt: skip
    return report


def print_lines(report: list[dict[str, object]]) -> list[str]:
    """The report as aligned text lines: 'E-mail 1 - Value  ->  email'."""
    width = max((len(str(r["column"])) for r in report), default=0)
    return [f"  {str(r['column']):<{width}}  ->  {r['note']}" if not r["ignored"]
            else f"  {str(r['column']):<{width}}  --  {r['note']}" for r in report]  # fmt: skip
