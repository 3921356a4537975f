"""Undoing an import: delete the contacts it created, put back the fields it changed.

A contact someone changed after the import is left as it is (and counted), so a rollback
never silently overwrites later work. The whole rollback is one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from rapport.core.auth import Actor
from rapport.core.db import utcnow
from rapport.core.errors import Conflict, ValidationFailed
from rapport.imports.models import ImportChange, ImportJob
from rapport.imports.runner import clear_changes
from rapport.tenants.models import Tenant

PAGE = 500


@dataclass
class RollbackReport:
    deleted: int = 0
    restored: int = 0
    kept: int = 0  # changed by someone since the import, or no longer valid to restore
    gone: int = 0  # deleted since the import


def rollback(*, db: Session, tenant: Tenant, job: ImportJob, actor: Actor) -> RollbackReport:
    if job.status in ("queued", "running"):
        raise Conflict("The import is still running; roll it back when it has stopped.")
    if not job.applied or job.status == "rolled_back":
        raise Conflict("This import wrote nothing, so there is nothing to roll back.")
    report = RollbackReport()
    after = None
    while True:
        query = select(ImportChange).where(
            ImportChange.tenant_id == tenant.id,
            ImportChange.import_id == job.id,
            ImportChange.action != "unchanged",
        )
        if after is not None:
            query = query.where(ImportChange.contact_id > after)
        page = list(db.scalars(query.order_by(ImportChange.contact_id).limit(PAGE)))
        if not page:
            break
        for change in page:
            _undo(db, tenant, change, actor, report)
        after = page[-1].contact_id
        db.flush()
        db.expunge_all()  # keep memory flat over large imports
        job = db.get(ImportJob, (tenant.id, job.id))
        tenant = db.get(Tenant, tenant.id)
    clear_changes(db, job)
    job.status, job.applied, job.finished_at = "rolled_back", False, utcnow()
    job.message = (
        f"Rolled back: {report.deleted} created contacts deleted, {report.restored} restored; "
        f"{report.kept} changed since the import were kept, {report.gone} already deleted."
    )
    return report


def _undo(db: Session, tenant: Tenant, change: ImportChange, actor: Actor, report) -> None:
    contact = db.get(Contact, (tenant.id, change.contact_id))
    if contact is None:
        report.gone += 1
        return
    if contact.version != change.version_after:
        report.kept += 1
        return
    if change.action == "created":
        contacts_service.delete_contact(db=db, contact=contact, actor=actor)
        report.deleted += 1
        return
    before = dict(change.before or {})
    if "custom_fields" in before:
        # Custom fields change key by key: a value the import added is cleared explicitly.
        added = dict.fromkeys(contact.custom_fields or {})
        before["custom_fields"] = {**added, **(before["custom_fields"] or {})}
    try:
        contacts_service.update(
            db=db, tenant=tenant, contact=contact, changes=before, actor=actor
        )
        report.restored += 1
    except (ValidationFailed, Conflict):
        report.kept += 1  # e.g. its old account was deleted since
