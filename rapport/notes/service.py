"""Notes on contacts: written in Markdown, shown as sanitised HTML, searchable with history."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rapport.audit import service as audit
from rapport.contacts.models import Contact
from rapport.core.auth import Principal
from rapport.core.db import utcnow
from rapport.core.errors import (
    FieldCollector,
    FieldError,
    Forbidden,
    NotFound,
    ValidationFailed,
    check_version,
)
from rapport.core.ids import new_id
from rapport.core.pagination import as_datetime, decode_cursor, encode_cursor, past_cursor
from rapport.core.text import clean_text
from rapport.interactions.models import Interaction
from rapport.notes import render
from rapport.notes.models import Note
from rapport.search import index

MAX_BODY = 20_000
EDITABLE = ("body", "interaction_id", "outcome", "next_steps")


def get(*, db: Session, tenant_id: uuid.UUID, contact_id: uuid.UUID, note_id: uuid.UUID) -> Note:
    """The note of this contact in this tenant, or NotFound: the same for "not yours"."""
    note = db.get(Note, (tenant_id, note_id))
    if note is None or note.contact_id != contact_id:
        raise NotFound("Note not found.")
    return note


def _normalize(db: Session, contact: Contact, values: dict[str, Any]) -> dict[str, Any]:
    errors = FieldCollector()
    clean: dict[str, Any] = {}
    try:
        clean["body"] = clean_text("body", values.get("body"), MAX_BODY, multiline=True)
        if clean["body"] is None:
            raise FieldError("body", "must not be empty")
    except FieldError as exc:
        errors.add(exc.field, exc.message)
    for field, limit in (("outcome", 200), ("next_steps", 5000)):
        try:
            clean[field] = clean_text(field, values.get(field), limit, multiline=True)
        except FieldError as exc:
            errors.add(exc.field, exc.message)
    clean["interaction_id"] = values.get("interaction_id")
    if clean["interaction_id"] is not None:
        interaction = db.get(Interaction, (contact.tenant_id, clean["interaction_id"]))
        if interaction is None or interaction.contact_id != contact.id:
            errors.add("interaction_id", "no interaction with this id for this contact")
    else:
        for field in ("outcome", "next_steps"):
            if clean.get(field):
                errors.add(field, "only applies to a note tied to an interaction")
    errors.raise_if_any()
    clean["body_html"] = render.to_html(clean["body"])
    clean["body_text"] = render.to_text(clean["body_html"])
    return clean


AUDITED = ("body", "interaction_id", "outcome", "next_steps")


def _audit(db: Session, principal: Principal, note: Note, action: str, before, after) -> None:
    audit.record(
        db=db, tenant_id=note.tenant_id, actor=principal.actor, action=action,
        record_type="note", record_id=note.id, label=f"note on contact {note.contact_id}",
        before=before, after=after,
    )  # fmt: skip


def _snapshot(note: Note) -> dict[str, Any]:
    return {field: getattr(note, field) for field in AUDITED}


def _reindex(db: Session, tenant_id: uuid.UUID, *interaction_ids: uuid.UUID | None) -> None:
    for interaction_id in dict.fromkeys(i for i in interaction_ids if i):
        index.rebuild(db=db, tenant_id=tenant_id, interaction_id=interaction_id)


def create(*, db: Session, principal: Principal, contact: Contact, values: dict[str, Any]) -> Note:
    clean = _normalize(db, contact, values)
    note = Note(
        tenant_id=contact.tenant_id,
        id=new_id(),
        contact_id=contact.id,
        author_id=principal.user.id,
        **clean,
    )
    db.add(note)
    db.flush()
    _reindex(db, contact.tenant_id, note.interaction_id)
    _audit(db, principal, note, "create", None, _snapshot(note))
    return note


def may_change(principal: Principal, note: Note) -> bool:
    """Agents answer for their own words; supervisors and admins curate everyone's."""
    return note.author_id == principal.user.id or principal.can("supervisor")


def _require_may_change(principal: Principal, note: Note) -> None:
    if not may_change(principal, note):
        raise Forbidden("Agents can change only their own notes.", required_role="supervisor")


def update(
    *,
    db: Session,
    principal: Principal,
    contact: Contact,
    note: Note,
    changes: dict[str, Any],
    expected_version: int | None = None,
) -> Note:
    _require_may_change(principal, note)
    check_version(note.version, expected_version)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationFailed([FieldError(f, "is not a note field") for f in sorted(unknown)])
    current = {field: getattr(note, field) for field in EDITABLE}
    clean = _normalize(db, contact, {**current, **changes})
    before, snapshot = note.interaction_id, _snapshot(note)
    for column, value in clean.items():
        setattr(note, column, value)
    note.edited_at = utcnow()
    db.flush()
    _reindex(db, note.tenant_id, before, note.interaction_id)
    _audit(db, principal, note, "update", snapshot, _snapshot(note))
    return note


def delete(
    *, db: Session, principal: Principal, note: Note, expected_version: int | None = None
) -> None:
    _require_may_change(principal, note)
    check_version(note.version, expected_version)
    interaction_id = note.interaction_id
    _audit(db, principal, note, "delete", _snapshot(note), None)
    db.delete(note)
    db.flush()
    _reindex(db, note.tenant_id, interaction_id)


def list_notes(
    *,
    db: Session,
    tenant_id: uuid.UUID,
    contact_id: uuid.UUID,
    limit: int = 50,
    cursor: str | None = None,
) -> tuple[list[Note], str | None]:
    """Newest first; the cursor is the (created_at, id) of the last note of the page."""
    query = select(Note).where(Note.tenant_id == tenant_id, Note.contact_id == contact_id)
    if cursor:
        created, last = decode_cursor(cursor, as_datetime, uuid.UUID)
        position = (Note.created_at, Note.id)
        query = query.where(past_cursor(position, (created, last), descending=True))
    rows = list(db.scalars(query.order_by(Note.created_at.desc(), Note.id.desc()).limit(limit + 1)))
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor([rows[-1].created_at.isoformat(), str(rows[-1].id)])


def list_for_interaction(
    *, db: Session, tenant_id: uuid.UUID, interaction_id: uuid.UUID
) -> list[Note]:
    """The notes about one interaction, newest first (a handful: no pages needed)."""
    query = select(Note).where(Note.tenant_id == tenant_id, Note.interaction_id == interaction_id)
    return list(db.scalars(query.order_by(Note.created_at.desc(), Note.id.desc())))
