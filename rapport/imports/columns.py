"""From a row's cells to the values of one contact, by the column mapping.

Exports from other systems spread one field over several columns: Outlook's Business, Home
and Other phones and addresses, Google's numbered "Phone 1 - Value" with its "Phone 1 - Type",
a second and third email. A row takes the first value of each field; further emails and
numbers are kept aside (in custom attributes) rather than dropped, and the address comes
whole from the first group that has one, so a business street never mixes with a home city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapport.imports import profiles
from rapport.imports.reader import header_key

# Google writes several values of one field in one cell, separated so.
MULTI_VALUE = " ::: "
KEPT_ASIDE = ("email", "phone", "mobile", "fax")
ATTRIBUTE_KEY_MAX = 50


@dataclass
class Layout:
    headers: list[str]
    single: list[tuple[int, str]] = field(default_factory=list)
    multi: dict[str, list[int]] = field(default_factory=dict)
    phones: list[tuple[int, int | None]] = field(default_factory=list)
    groups: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    unmapped: list[int] = field(default_factory=list)
    keep_unmapped: bool = False


def layout_of(
    headers: list[str], mapping: dict[str, str | None], keep_unmapped: bool = False
) -> Layout:
    layout = Layout(headers=headers, keep_unmapped=keep_unmapped)
    keys = [header_key(h) for h in headers]
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

    raw: dict[str, str] = {}
    aside: dict[str, list[str]] = {}
    for index, target in layout.single:
        if (text := cell(index)) is not None:
            raw[target] = text
    for target, indexes in layout.multi.items():
        for index in indexes:
            for value in _values(cell(index)):
                if target not in raw:
                    raw[target] = value
                elif target in KEPT_ASIDE and value != raw[target]:
                    aside.setdefault(layout.headers[index], []).append(value)
    for index, type_index in layout.phones:
        label = cell(type_index) or layout.headers[index]
        kind = profiles.phone_kind(label)
        for value in _values(cell(index)):
            if kind and kind not in raw:
                raw[kind] = value
            else:
                name = f"{layout.headers[index]} ({cell(type_index)})" if cell(type_index) else None
                aside.setdefault(name or layout.headers[index], []).append(value)
    _address(layout, cell, raw)
    if layout.keep_unmapped:
        for index in layout.unmapped:
            if (text := cell(index)) is not None:
                aside.setdefault(layout.headers[index], []).append(text)
    return raw, {key[:ATTRIBUTE_KEY_MAX]: ", ".join(values) for key, values in aside.items()}


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
                note += f" ({name} address: used when it is the row's first address)"
            elif target in KEPT_ASIDE and seen[target] > 1:
                note += " (when the earlier columns are empty; else kept in custom attributes)"
        report.append({"column": header, "field": target, "ignored": target is None,
                       "note": note})  # fmt: skip
    return report


def print_lines(report: list[dict[str, object]]) -> list[str]:
    """The report as aligned text lines: 'E-mail 1 - Value  ->  email'."""
    width = max((len(str(r["column"])) for r in report), default=0)
    return [f"  {str(r['column']):<{width}}  ->  {r['note']}" if not r["ignored"]
            else f"  {str(r['column']):<{width}}  --  {r['note']}" for r in report]  # fmt: skip
