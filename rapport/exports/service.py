"""Exporting contacts as CSV, XLSX or JSON Lines, streamed a keyset page at a time.

The columns are exactly those the importer accepts, written the way it reads them, so an
export imports back without changes; the last, `id`, is the contact's own id, so that a
re-import updates each contact it came from, with or without an email or external id. A time
zone Rapport inferred is left blank: the import infers it again (writing it would turn it into
an entered one). Then come the workspace's custom fields marked "show in exports", one column
each, headed by the field's label (or `cf.KEY` where the label would read as another column),
written as the importer reads them back.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy.orm import Session, sessionmaker

from rapport.contacts import listing
from rapport.contacts.models import Contact
from rapport.customfields import service as custom_fields
from rapport.customfields.models import CustomField
from rapport.imports.reader import CONTACT_ID, CUSTOM, IMPORTABLE, as_text_cell, header_key
from rapport.tenants.models import Tenant

COLUMNS = (*IMPORTABLE, CONTACT_ID)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "jsonl": ("application/x-ndjson", "jsonl"),
}
PAGE = 500
CHUNK = 64 * 1024


@dataclass(frozen=True)
class FieldColumn:
    """A custom field's column in an export."""

    header: str
    key: str
    type: str


def field_columns(defined: Sequence[CustomField]) -> list[FieldColumn]:
    """The columns of the fields marked for exports, in the administrator's order. A label
    that reads as a standard column, as another field's label or key, or as nothing, would
    not import back as this field: its column is headed `cf.KEY` instead."""
    active = [f for f in defined if f.deleted_at is None]
    own = {header_key(c) for c in COLUMNS}
    labels = Counter(header_key(f.label) for f in active)
    keys = {header_key(f.key): f.key for f in active}
    columns = []
    for field in (f for f in active if f.show_in_exports):
        name = header_key(field.label)
        clash = not name or name in own or labels[name] > 1
        clash = clash or keys.get(name, field.key) != field.key
        header = CUSTOM + field.key if clash else field.label
        columns.append(FieldColumn(header, field.key, field.type))
    return columns


def record_of(contact: Contact, columns: Sequence[FieldColumn] = ()) -> dict[str, Any]:
    """The contact as import columns (lists and objects kept as such, for JSON Lines)."""
    record = {c: getattr(contact, c) for c in IMPORTABLE if c != "account"}
    record[CONTACT_ID] = str(contact.id)
    record["account"] = contact.account.identifier if contact.account else None
    if contact.time_zone_source != "entered":
        record["time_zone"] = None
    values = contact.custom_fields or {}
    record.update({column.header: values.get(column.key) for column in columns})
    return record


def _field_cell(column: FieldColumn, value: Any) -> Any:
    """A custom value as the importer reads it back: Yes/No, choices 'a; b', numbers as such."""
    if value is None or value == []:
        return None
    if column.type == "boolean":
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value


def cells_of(record: dict[str, Any], columns: Sequence[FieldColumn] = ()) -> list[Any]:
    """The record as spreadsheet cells: channels 'email, voice', attributes as JSON text."""
    cells = dict(record)
    cells["preferred_channels"] = ", ".join(record["preferred_channels"] or []) or None
    attributes = record["custom_attributes"]
    cells["custom_attributes"] = json.dumps(attributes, ensure_ascii=False) if attributes else None
    custom = [_field_cell(column, record.get(column.header)) for column in columns]
    return [cells[c] for c in COLUMNS] + custom


def headers_of(columns: Sequence[FieldColumn] = ()) -> list[str]:
    return [*COLUMNS, *(column.header for column in columns)]


def iter_contacts(
    *,
    session_factory: sessionmaker[Session],
    tenant_id: uuid.UUID,
    filters: listing.ContactFilters,
    columns: Sequence[FieldColumn] = (),
) -> Iterator[dict[str, Any]]:
    """Every matching contact's record, one keyset page in memory at a time."""
    with session_factory() as db:
        cursor = None
        while True:
            tenant = db.get(Tenant, tenant_id)
            page, cursor = listing.list_contacts(
                db=db, tenant=tenant, filters=filters, sort="name", limit=PAGE, cursor=cursor,
                with_lists=False,
            )
            records = [record_of(contact, columns) for contact in page]
            db.expunge_all()  # the identity map would otherwise hold every exported contact
            yield from records
            if cursor is None:
                return


def csv_chunks(
    records: Iterator[dict[str, Any]], columns: Sequence[FieldColumn] = ()
) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # spreadsheets read the BOM as "this is UTF-8"
    writer.writerow(headers_of(columns))
    for record in records:
        cells = cells_of(record, columns)
        writer.writerow(["" if c is None else as_text_cell(c) for c in cells])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def jsonl_chunks(
    records: Iterator[dict[str, Any]], columns: Sequence[FieldColumn] = ()
) -> Iterator[bytes]:
    lines: list[str] = []
    size = 0
    for record in records:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        lines.append(line)
        size += len(line)
        if size >= CHUNK:
            yield "".join(lines).encode()
            lines, size = [], 0
    yield "".join(lines).encode()


def xlsx_chunks(
    records: Iterator[dict[str, Any]], columns: Sequence[FieldColumn] = ()
) -> Iterator[bytes]:
    """openpyxl's write-only mode spools rows to disk; the finished file is streamed from there."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(headers_of(columns))
    for record in records:
        sheet.append([_text_cell(sheet, c) for c in cells_of(record, columns)])
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk


def _text_cell(sheet, value: Any) -> Any:
    """openpyxl writes text starting with '=' as a formula; the contact's text stays text."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def export(
    *,
    session_factory: sessionmaker[Session],
    tenant_id: uuid.UUID,
    filters: listing.ContactFilters,
    file_format: str,
    on_record: Callable[[], None] | None = None,
) -> Iterator[bytes]:
    """The export file's bytes, chunk by chunk."""
    with session_factory() as db:
        columns = field_columns(custom_fields.definitions(db=db, tenant_id=tenant_id))
    records = iter_contacts(
        session_factory=session_factory, tenant_id=tenant_id, filters=filters, columns=columns
    )
    if on_record is not None:
        records = _counted(records, on_record)
    writers = {"csv": csv_chunks, "xlsx": xlsx_chunks, "jsonl": jsonl_chunks}
    return writers[file_format](records, columns)


def _counted(records: Iterator[dict[str, Any]], on_record: Callable[[], None]):
    for record in records:
        on_record()
        yield record
