"""What imports hold about a contact goes with the contact when it is erased or merged away:
its state before an import (for rollback), rejected rows that carried its values, and its
rows in uploaded files still kept for a later run."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from rapport.audit.models import AuditEvent
from rapport.contacts.models import Contact, ContactRedirect
from rapport.duplicates.merge import register_mover
from rapport.imports import reader
from rapport.imports.models import ImportChange, ImportJob, ImportRejection
from rapport.imports.service import is_stored_upload
from rapport.privacy.service import Section, register_section

MIN_NUMBER_DIGITS = 7  # shorter digit runs (house numbers, postcodes) are not phone numbers


def _changes(tenant_id: uuid.UUID, contact_ids: list[uuid.UUID]):
    return (ImportChange.tenant_id == tenant_id) & ImportChange.contact_id.in_(contact_ids)


def _export(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> list[dict]:
    rows = db.scalars(select(ImportChange).where(_changes(tenant_id, [contact_id])))
    return [
        {"import_id": str(c.import_id), "line": c.line, "action": c.action, "before": c.before}
        for c in rows
    ]


def _forget(db: Session, tenant_id: uuid.UUID, contact_ids: list[uuid.UUID]) -> int:
    return db.execute(delete(ImportChange).where(_changes(tenant_id, contact_ids))).rowcount


@dataclass
class _Person:
    """The values that identify one person in a row of a file, as they may have been typed."""

    FIELDS = ("email", "external_id", "phone", "mobile", "fax", "first_name", "last_name")

    texts: set[str] = field(default_factory=set)  # emails and external ids, case-folded
    numbers: set[str] = field(default_factory=set)  # phone digits, with country code
    names: set[tuple[str, str]] = field(default_factory=set)  # (first, last), case-folded

    def add(self, values: dict) -> None:
        for name in ("email", "external_id"):
            if values.get(name):
                self.texts.add(str(values[name]).strip().casefold())
        for name in ("phone", "mobile", "fax"):
            if digits := _digits(values.get(name)):
                self.numbers.add(digits)
        first, last = (str(values.get(n) or "").strip().casefold() for n in ("first_name",
                                                                             "last_name"))
        if first and last:
            self.names.add((first, last))

    def in_row(self, cells) -> bool:
        texts = {c.strip().casefold() for c in cells if c}
        if texts & self.texts or any({first, last} <= texts for first, last in self.names):
            return True
        for cell in texts:
            digits = _digits(cell)
            if len(digits) >= MIN_NUMBER_DIGITS and any(
                n.endswith(digits) or digits.endswith(n) for n in self.numbers
            ):
                return True
        return False


def _digits(value) -> str:
    return re.sub(r"\D", "", str(value or ""))


def _person(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> _Person:
    """Every value the contact (and each contact merged into it) has had, from its record
    and its audit trail (read before the erasure empties it)."""
    person = _Person()
    contact = db.get(Contact, (tenant_id, contact_id))
    person.add({name: getattr(contact, name, None) for name in _Person.FIELDS})
    merged = select(ContactRedirect.id).where(
        ContactRedirect.tenant_id == tenant_id, ContactRedirect.survivor_id == contact_id
    )
    trail = select(AuditEvent.changes).where(
        AuditEvent.tenant_id == tenant_id,
        or_(AuditEvent.record_id == contact_id, AuditEvent.record_id.in_(merged)),
    )
    for changes in db.scalars(trail):
        for side in (0, 1):
            person.add({name: pair[side] for name, pair in (changes or {}).items()
                        if isinstance(pair, list) and len(pair) == 2})  # fmt: skip
    return person


def _erase(db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID) -> int:
    person = _person(db, tenant_id, contact_id)
    erased = _forget(db, tenant_id, [contact_id])
    rejections = db.scalars(
        select(ImportRejection)
        .where(ImportRejection.tenant_id == tenant_id)
        .execution_options(yield_per=1000)
    )
    held = [r for r in rejections if person.in_row(list(r.cells.values()))]
    for rejection in held:
        db.delete(rejection)
    files = {
        Path(job.file_path): job.filename
        for job in db.scalars(select(ImportJob).where(ImportJob.tenant_id == tenant_id))
        if is_stored_upload(job)
    }
    blanked = sum(
        reader.blank_rows(reader.open_table(path, name), person.in_row)
        for path, name in files.items()
        if path.exists()
    )
    return erased + len(held) + blanked


def _drop_merged(
    db: Session, tenant_id: uuid.UUID, from_ids: list[uuid.UUID], _to_id: uuid.UUID
) -> int:
    # A merged contact no longer exists to be rolled back to; the survivor keeps its own rows.
    _forget(db, tenant_id, from_ids)
    return 0


register_mover("import_records", _drop_merged)
register_section("imports", Section(export=_export, erase=_erase))
