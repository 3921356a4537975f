"""What an import remembers about a contact (its state before the import, for rollback)
goes with the contact when it is erased or merged away."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rapport.duplicates.merge import register_mover
from rapport.imports.models import ImportChange
from rapport.privacy.service import Section, register_section


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


def _drop_merged(
    db: Session, tenant_id: uuid.UUID, from_ids: list[uuid.UUID], _to_id: uuid.UUID
) -> int:
    # A merged contact no longer exists to be rolled back to; the survivor keeps its own rows.
    _forget(db, tenant_id, from_ids)
    return 0


register_mover("import_records", _drop_merged)
register_section(
    "imports",
    Section(export=_export, erase=lambda db, tenant_id, cid: _forget(db, tenant_id, [cid])),
)
