"""Files that are not spreadsheets: JSON Lines (Rapport's own export among them) and vCard.

Each is read as a table, so the mapping, the row rules and the reports are those of a CSV
file. A JSON Lines file's columns are the keys its records use (in the order first seen); a
vCard file's are Google Contacts' columns ("Phone 1 - Type", "Phone 1 - Value", "Address 1 -
City", ...), so a vCard maps as a Google export does. A row's line is the line of its record
(a card's BEGIN:VCARD line).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import vobject

from rapport.core.errors import FieldError, ValidationFailed


def _refuse(reason: str) -> ValidationFailed:
    return ValidationFailed([FieldError("file", reason)])


# --- JSON Lines ------------------------------------------------------------------------------


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8-sig") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except ValueError:
                raise _refuse(f"line {line} is not JSON (a JSON Lines file has one JSON object "
                              "per line)") from None  # fmt: skip
            if not isinstance(record, dict):
                raise _refuse(f"line {line} is not a JSON object")
            yield line, record


def jsonl_headers(path: Path) -> list[str]:
    try:
        keys = {key: None for _line, record in _records(path) for key in record}
    except UnicodeDecodeError:
        raise _refuse("is not UTF-8 text, as JSON Lines must be") from None
    return list(keys)


def jsonl_rows(path: Path, headers: list[str]) -> Iterator[tuple[int, list[Any]]]:
    for line, record in _records(path):
        yield line, [_cell(record.get(h)) for h in headers]


def _cell(value: Any) -> Any:
    """A JSON value as a cell: a list as "email; voice" (choices may hold commas), an object
    as JSON text."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


# --- vCard -------------------------------------------------------------------------------------

ADDRESS = ("street", "city", "region", "code", "country")
ADDRESS_HEADERS = ("Street", "City", "Region", "Postal Code", "Country")


def _cards(path: Path) -> Iterator[tuple[int, Any]]:
    """(line of BEGIN:VCARD, the parsed card) of every card in the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("is not UTF-8 text, as a vCard file must be") from None
    start, lines = 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().upper() == "BEGIN:VCARD":
            start, lines = number, []
        lines.append(line)
        if line.strip().upper() == "END:VCARD" and start:
            try:
                yield start, vobject.readOne("\r\n".join(lines) + "\r\n")
            except Exception:  # noqa: BLE001 - vobject raises many kinds; all mean unreadable
                raise _refuse(f"the card at line {start} is not a readable vCard") from None
            start = 0
    if start:
        raise _refuse(f"the card at line {start} has no END:VCARD")


def _all(card, name: str) -> list[Any]:
    return card.contents.get(name, [])


def _types(line) -> str:
    """A line's TYPE parameters as one label: 'work, voice' (3.0 and 4.0 spellings alike)."""
    found = [t for value in line.params.get("TYPE", []) for t in value.split(",")]
    return ", ".join(t.strip().lower() for t in found if t.strip() and t.lower() != "pref")


def vcard_table(path: Path) -> tuple[list[str], list[tuple[int, list[Any]]]]:
    """The cards as a table in Google Contacts' columns (cards are small: read at once)."""
    cards = list(_cards(path))
    emails = max((len(_all(c, "email")) for _, c in cards), default=0)
    phones = max((len(_all(c, "tel")) for _, c in cards), default=0)
    headers = ["vCard UID", "Name", "Given Name", "Family Name"]
    for n in range(1, emails + 1):
        headers += [f"E-mail {n} - Type", f"E-mail {n} - Value"]
    for n in range(1, phones + 1):
        headers += [f"Phone {n} - Type", f"Phone {n} - Value"]
    headers += [f"Address 1 - {h}" for h in ADDRESS_HEADERS]
    headers += ["Organization 1 - Name", "Time Zone", "Notes"]
    rows = []
    for line, card in cards:
        cells: list[Any] = [_text(card, "uid"), _text(card, "fn")]
        name = _all(card, "n")
        cells += [name[0].value.given, name[0].value.family] if name else [None, None]
        for kind, count in (("email", emails), ("tel", phones)):
            found = _all(card, kind)
            for n in range(count):
                if n < len(found):
                    cells += [_types(found[n]), str(found[n].value).removeprefix("tel:")]
                else:
                    cells += [None, None]
        address = _all(card, "adr")
        cells += [_join(getattr(address[0].value, part)) for part in ADDRESS] if address else (
            [None] * len(ADDRESS))  # fmt: skip
        org = _all(card, "org")
        cells += [_join(org[0].value[:1]) if org else None, _text(card, "tz"), _text(card, "note")]
        rows.append((line, [c or None for c in cells]))
    return headers, rows


def _text(card, name: str) -> str | None:
    found = _all(card, name)
    return str(found[0].value) if found and found[0].value else None


def _join(value: Any) -> str | None:
    if isinstance(value, list | tuple):
        return "\n".join(v for v in value if v) or None
    return value or None


def blank_records(path: Path, first_lines: set[int], temporary: Path) -> None:
    """Write the file to `temporary` with the records starting at these lines emptied (a JSON
    line; a card up to its END:VCARD); the other records keep their line numbers."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    in_card = False
    for number, line in enumerate(lines, start=1):
        starts = number in first_lines
        if starts or in_card:
            in_card = line.strip().upper() != "END:VCARD" and (in_card or line.strip().upper()
                                                               == "BEGIN:VCARD")  # fmt: skip
            lines[number - 1] = ""
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
