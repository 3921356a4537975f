"""Reading an uploaded file: CSV in any common encoding and delimiter, or XLSX, row by row.

Rows are streamed (never the whole file in memory) and numbered by the line a person sees
in a spreadsheet or text editor: the header is line 1.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from charset_normalizer import from_bytes
from openpyxl.utils.exceptions import InvalidFileException

from rapport.contacts import fields
from rapport.core.errors import FieldError, ValidationFailed
from rapport.imports import profiles

SAMPLE_BYTES = 64 * 1024
DELIMITERS = ",;\t|"
# Western single-byte code pages a spreadsheet saves as "CSV" on Windows; cp1252 wins ties.
SINGLE_BYTE = ["cp1252", "iso8859_15", "latin_1", "cp1250", "mac_roman"]

# The contact's columns: what an import reads and an export writes.
IMPORTABLE = (
    "first_name", "last_name", "address", "city", "state", "postal_code", "country",
    "time_zone", "email", "phone", "mobile", "fax", "account", "priority",
    "preferred_channels", "custom_attributes", "external_id",
)  # fmt: skip
# Columns an import may also read: a name written whole, split into first and last name;
# Rapport's own contact id (in its exports), matched before anything else; a number whose type
# label (in its own "Phone 1 - Type" column, or its header) says phone, mobile or fax; and the
# type column itself.
FULL_NAME = "full_name"
CONTACT_ID = "id"
MAPPABLE = (*IMPORTABLE, FULL_NAME, CONTACT_ID, "phones", "type_label")

# Header spellings, folded to lower-case letters and digits only, that mean a field: English
# first, then how German, French, Spanish, Italian, Portuguese and Dutch spreadsheets say it.
SYNONYMS = {
    "first_name": ["firstname", "first", "givenname", "forename", "vorname", "prenom", "nombre",
                   "nome", "primeironome", "voornaam"],
    "last_name": ["lastname", "last", "surname", "familyname", "nachname", "familienname",
                  "nom", "nomdefamille", "apellido", "cognome", "sobrenome", "achternaam"],
    "address": ["address", "street", "streetaddress", "address1", "addressline1", "strasse",
                "anschrift", "adresse", "rue", "direccion", "indirizzo", "endereco", "adres"],
    "city": ["city", "town", "locality", "stadt", "ort", "wohnort", "ville", "localite",
             "ciudad", "localidad", "citta", "comune", "cidade", "plaats", "woonplaats"],
    "state": ["state", "province", "region", "stateprovince", "county", "countryarea",
              "bundesland", "kanton", "departement", "provincia", "estado", "provincie"],
    "postal_code": ["postalcode", "zip", "zipcode", "postcode", "plz", "postleitzahl",
                    "codepostal", "cp", "codigopostal", "cap", "cep", "npa"],
    "country": ["country", "countrycode", "land", "pays", "pais", "paese", "nazione"],
    "time_zone": ["timezone", "tz", "zone", "zeitzone", "fuseauhoraire", "zonahoraria"],
    "email": ["email", "emailaddress", "mail", "emailaddr", "emailadresse", "mailadresse",
              "courriel", "adresseemail", "adressemail", "correo", "correoelectronico",
              "postaelettronica", "emailadres"],
    "phone": ["phone", "phonenumber", "telephone", "tel", "workphone", "businessphone",
              "officephone", "homephone", "landline", "telefon", "telefonnummer", "festnetz",
              "telefono", "telefone", "telefoon"],
    "mobile": ["mobile", "mobilephone", "cell", "cellphone", "mobilenumber", "handy", "mobil",
               "mobiltelefon", "natel", "portable", "telephoneportable", "movil", "celular",
               "cellulare", "telemovel", "mobiel", "mobielnummer"],
    "fax": ["fax", "faxnumber", "telefax"],
    "account": ["account", "accountid", "accountidentifier", "accountnumber", "company",
                "firma", "unternehmen", "entreprise", "societe", "empresa", "azienda",
                "bedrijf"],
    "priority": ["priority", "prio", "prioritat", "priorite", "prioridad", "priorita"],
    "preferred_channels": ["preferredchannels", "channels", "preferredchannel"],
    "custom_attributes": ["customattributes", "attributes"],
    "external_id": ["externalid", "extid", "crmid", "customerid", "sourceid"],
    FULL_NAME: ["name", "fullname", "contactname", "displayname", "customername",
                "nomcomplet", "nombrecompleto", "nomecompleto", "volledigenaam"],
}  # fmt: skip
_FIELD_BY_SPELLING = {s: f for f, spellings in SYNONYMS.items() for s in [f, *spellings]}


def header_key(header: str) -> str:
    """'E-mail', 'e_mail ' and 'EMAIL' all become 'email'."""
    return re.sub(r"[^a-z0-9]", "", fields.fold(header))


def auto_mapping(headers: list[str]) -> dict[str, str | None]:
    """{header: field} where the meaning is clear; None for headers left to the user.

    A field read from one column (a name, the priority) is not given to a later column too;
    emails and numbers may come from several columns, address parts from one column per group
    ("Business City", "Home City")."""
    keys = [header_key(h) for h in headers]
    source = profiles.source_of(keys)
    mapping: dict[str, str | None] = {}
    taken: set[tuple[str, str]] = set()
    for header, key in zip(headers, keys, strict=True):
        found, group = profiles.field_of(key, source)
        if found is None and key not in profiles.NOT_MAPPED.get(source or "", ()):
            found = _FIELD_BY_SPELLING.get(key.removesuffix("s")) or _FIELD_BY_SPELLING.get(key)
            group = profiles.group_of(key)
        slot = (found or "", "" if found == "account" else group)
        if found == "address" and re.search(r"\d$", key) and (found, group) in taken:
            slot = (found, key)  # "Business Street 2": a further line of the same address
        free = found not in profiles.MULTI_COLUMN and slot not in taken
        mapping[header] = found if found and (free or found in profiles.MULTI_COLUMN) else None
        if found:
            taken.add(slot)
    if ("first_name", "") in taken and ("last_name", "") not in taken:
        # "Name" beside "First name" (German "Name, Vorname") is the last name.
        mapping = {h: "last_name" if f == FULL_NAME and header_key(h) == "name" else f
                   for h, f in mapping.items()}  # fmt: skip
    return mapping


def source_of(headers: list[str]) -> str | None:
    """The name of the system whose export these headers are ("Google Contacts"), if known."""
    source = profiles.source_of([header_key(h) for h in headers])
    return profiles.SOURCES.get(source) if source else None


def unknown_fields(mapping: dict[str, str | None]) -> list[FieldError]:
    """A mapping's targets that are not fields an import reads."""
    return [
        FieldError("mapping", f"'{f}' is not an importable field ({', '.join(MAPPABLE)})")
        for f in mapping.values()
        if f is not None and f not in MAPPABLE
    ]


def resolve_mapping(
    headers: list[str], chosen: dict[str, str | None] | None
) -> dict[str, str | None]:
    """The automatic mapping overridden by the user's; every field used by one column only."""
    chosen = chosen or {}
    problems = [
        FieldError("mapping", f"'{h}' is not a column of the file ({', '.join(headers)})")
        for h in chosen
        if h not in headers
    ]
    problems += unknown_fields(chosen)
    mapping = auto_mapping(headers)
    if chosen:
        # A field the user gives to one column is taken from the column it was guessed for.
        claimed = {f for f in chosen.values() if f}
        mapping = {h: (None if f in claimed else f) for h, f in mapping.items()}
        mapping.update({h: f for h, f in chosen.items() if h in mapping})
    used = [f for f in mapping.values() if f]
    problems += [
        FieldError("mapping", f"more than one column is mapped to '{f}'")
        for f in sorted({f for f in used if used.count(f) > 1})
        if f not in profiles.REPEATABLE
    ]
    if not used and not problems:
        problems.append(FieldError("mapping", "no column is mapped to a contact field"))
    if problems:
        raise ValidationFailed(problems)
    return mapping


@dataclass
class Table:
    """An opened import file: its headers and a fresh stream of its rows on each call."""

    path: Path
    file_format: str
    headers: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(line, cells) of every non-blank row after the header."""
        source = _readable(_csv_rows(self) if self.file_format == "csv" else _xlsx_rows(self.path))
        next(source, None)  # the header
        for line, cells in source:
            cells = [_cell_text(c) for c in cells]
            if any(c for c in cells):
                yield line, cells

    def count_rows(self) -> int:
        return sum(1 for _ in self.rows())


def open_table(path: Path, filename: str | None = None) -> Table:
    name = (filename or path.name).lower()
    if name.endswith((".xlsx", ".xlsm")):
        table = Table(path=path, file_format="xlsx", headers=[])
        first = next(_readable(_xlsx_rows(path)), None)
    elif name.endswith((".csv", ".txt", ".tsv")) or not name.rpartition(".")[1]:
        encoding = detect_encoding(path)
        delimiter = detect_delimiter(path, encoding)
        table = Table(
            path=path, file_format="csv", headers=[], encoding=encoding, delimiter=delimiter
        )
        first = next(_readable(_csv_rows(table)), None)
    else:
        raise ValidationFailed([FieldError("file", "must be a .csv or .xlsx file")])
    if first is None:
        raise ValidationFailed([FieldError("file", "is empty: the first line must name columns")])
    table.headers = _unique_headers([_cell_text(c) or "" for c in first[1]])
    return table


def _readable(source: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    """The rows of a file, or a clear refusal naming where a damaged one stops being readable."""
    line = 0
    try:
        for line, cells in source:
            yield line, cells
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        reason = (f"cannot be read as text from line {line + 1} on (byte 0x{byte:02x} is not "
                  f"a character in {exc.encoding}); save it as CSV UTF-8 or .xlsx")  # fmt: skip
        raise ValidationFailed([FieldError("file", reason)]) from None
    except csv.Error as exc:
        reason = f"line {line + 1} is not CSV ({exc})"
        raise ValidationFailed([FieldError("file", reason)]) from None
    except (zipfile.BadZipFile, InvalidFileException, KeyError):
        raise ValidationFailed([FieldError("file", "is not a readable .xlsx workbook")]) from None


def _unique_headers(headers: list[str]) -> list[str]:
    while headers and not headers[-1]:
        headers.pop()
    seen: dict[str, int] = {}
    unique = []
    for index, header in enumerate(headers, start=1):
        header = header.strip() or f"Column {index}"
        seen[header] = seen.get(header, 0) + 1
        unique.append(header if seen[header] == 1 else f"{header} ({seen[header]})")
    return unique


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:  # text files have no NUL bytes: a binary file named .csv
        raise ValidationFailed([FieldError("file", "is not a text file: save it as CSV or .xlsx")])
    if _is_utf8(path):
        return "utf-8"
    matches = from_bytes(head, cp_isolation=SINGLE_BYTE)
    # A short sample often fits several code pages equally; Windows-1252 is the likely one.
    if not matches or any("cp1252" in (m.encoding, *m.could_be_from_charset) for m in matches):
        return "cp1252"
    return matches.best().encoding


def _is_utf8(path: Path) -> bool:
    """Checks the whole file (in chunks): a cp1252 'é' may first appear on line 90,000."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(path: Path, encoding: str) -> str:
    with path.open(encoding=encoding, newline="", errors="replace") as handle:
        sample = handle.read(SAMPLE_BYTES // 4)
    header = sample.splitlines()[0] if sample else ""
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = None
    if delimiter is None or (delimiter not in header and any(d in header for d in DELIMITERS)):
        # The sniffer needs several consistent lines; the header line alone decides otherwise.
        delimiter = max(DELIMITERS, key=header.count)
    return delimiter


def _csv_rows(table: Table) -> Iterator[tuple[int, list[str]]]:
    with table.path.open(encoding=table.encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=table.delimiter or ",")
        start = 1
        for cells in reader:
            yield start, [_from_text_cell(c) for c in cells]
            start = reader.line_num + 1


def _xlsx_rows(path: Path) -> Iterator[tuple[int, tuple[Any, ...]]]:
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.active
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
    finally:
        workbook.close()


def _cell_text(value: Any) -> str | None:
    """Every cell as text, as a person reads it: 42.0 as '42', a date as ISO 8601."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


# Text a spreadsheet would run as a formula ("=HYPERLINK(...)", "@SUM(...)", "+cmd|..."); signed
# numbers and phone numbers ("+1 415 555 0100", "-5") are left alone.
FORMULA_START = re.compile(r"[=@\t\r]|[+-](?![\d\s().-]*$)")


def as_text_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never runs: a formula-like text gets the leading
    apostrophe spreadsheets read as "this is text". `_csv_rows` takes it off again."""
    if isinstance(value, str) and FORMULA_START.match(value):
        return "'" + value
    return value


def _from_text_cell(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and FORMULA_START.match(cell[1:]) else cell


def blank_rows(table: Table, holds: Callable[[list[str | None]], bool]) -> int:
    """Empty, in the file itself, every row for which `holds(cells)` is true (erasure of a
    person's data); the file keeps its other rows and their line numbers. Returns how many."""
    temporary = table.path.with_name(f".{table.path.name}.scrub")
    if table.file_format == "csv":
        blanked = _blank_csv_rows(table, holds, temporary)
    else:
        blanked = _blank_xlsx_rows(table.path, holds, temporary)
    if blanked:
        os.replace(temporary, table.path)
    else:
        temporary.unlink(missing_ok=True)
    return blanked


def _blank_csv_rows(table: Table, holds, temporary: Path) -> int:
    blanked = 0
    with (
        table.path.open(encoding=table.encoding, newline="") as source,
        temporary.open("w", encoding=table.encoding, newline="") as target,
    ):
        reader = csv.reader(source, delimiter=table.delimiter or ",")
        writer = csv.writer(target, delimiter=table.delimiter or ",")
        previous_line = 0
        for number, cells in enumerate(reader):
            spans = reader.line_num - previous_line  # a quoted cell may run over several lines
            previous_line = reader.line_num
            if number and holds([_cell_text(_from_text_cell(c)) for c in cells]):
                # Blank, but as many lines as before, so later rows keep their line numbers.
                cells = ["\n" * (spans - 1)] if spans > 1 else [""] * len(cells)
                blanked += 1
            writer.writerow(cells)
    return blanked


def _blank_xlsx_rows(path: Path, holds, temporary: Path) -> int:
    workbook = openpyxl.load_workbook(path)
    blanked = 0
    try:
        for row in workbook.active.iter_rows(min_row=2):
            if holds([_cell_text(cell.value) for cell in row]):
                for cell in row:
                    cell.value = None
                blanked += 1
        if blanked:
            workbook.save(temporary)
    finally:
        workbook.close()
    return blanked
