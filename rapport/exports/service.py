"""Exporting contacts as CSV, XLSX or JSON Lines, streamed a keyset page at a time.

The columns are exactly those the importer accepts, written the way it reads them, so an
export imports back without changes; the last, `id`, is the contact's own id, so that a
re-import updates each contact it came from, with or without an email or external id. A time
zone Rapport inferred is left blank: the import infers it again (writing it would turn it into
an entered one).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy.orm import Session, sessionmaker

from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from rapport.imports.reader import CONTACT_ID, IMPORTABLE, as_text_cell
from rapport.tenants.models import Tenant

COLUMNS = (*IMPORTABLE, CONTACT_ID)
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "jsonl": ("application/x-ndjson", "jsonl"),
}
PAGE = 500
CHUNK = 64 * 1024


def record_of(contact: Contact) -> dict[str, Any]:
    """The contact as import columns (lists and objects kept as such, for JSON Lines)."""
    record = {c: getattr(contact, c) for c in IMPORTABLE if c != "account"}
    record[CONTACT_ID] = str(contact.id)
    record["account"] = contact.account.identifier if contact.account else None
    if contact.time_zone_source != "entered":
        record["time_zone"] = None
    return record


def cells_of(record: dict[str, Any]) -> list[Any]:
    """The record as spreadsheet cells: channels 'email, voice', attributes as JSON text."""
    cells = dict(record)
    cells["preferred_channels"] = ", ".join(record["preferred_channels"] or []) or None
    attributes = record["custom_attributes"]
    cells["custom_attributes"] = json.dumps(attributes, ensure_ascii=False) if attributes else None
    return [cells[c] for c in COLUMNS]


def iter_contacts(
    *,
    session_factory: sessionmaker[Session],
    tenant_id: uuid.UUID,
    filters: contacts_service.ContactFilters,
) -> Iterator[dict[str, Any]]:
    """Every matching contact's record, one keyset page in memory at a time."""
    with session_factory() as db:
        cursor = None
        while True:
            tenant = db.get(Tenant, tenant_id)
            page, cursor = contacts_service.list_contacts(
                db=db, tenant=tenant, filters=filters, sort="name", limit=PAGE, cursor=cursor
            )
            records = [record_of(contact) for contact in page]
            db.expunge_all()  # the identity map would otherwise hold every exported contact
            yield from records
            if cursor is None:
                return


def csv_chunks(records: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # spreadsheets read the BOM as "this is UTF-8"
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(["" if c is None else as_text_cell(c) for c in cells_of(record)])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def jsonl_chunks(records: Iterator[dict[str, Any]]) -> Iterator[bytes]:
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


def xlsx_chunks(records: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    """openpyxl's write-only mode spools rows to disk; the finished file is streamed from there."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Contacts")
    sheet.append(list(COLUMNS))
    for record in records:
        sheet.append([_text_cell(sheet, c) for c in cells_of(record)])
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
    filters: contacts_service.ContactFilters,
    file_format: str,
    on_record: Callable[[], None] | None = None,
) -> Iterator[bytes]:
    """The export file's bytes, chunk by chunk."""
    records = iter_contacts(session_factory=session_factory, tenant_id=tenant_id, filters=filters)
    if on_record is not None:
        records = _counted(records, on_record)
    writers = {"csv": csv_chunks, "xlsx": xlsx_chunks, "jsonl": jsonl_chunks}
    return writers[file_format](records)


def _counted(records: Iterator[dict[str, Any]], on_record: Callable[[], None]):
    for record in records:
        on_record()
        yield record
