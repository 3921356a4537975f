"""REST routes for the notes on a contact. Thin: parse, call the service, shape."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from sqlalchemy.orm import Session

from rapport.contacts import service as contacts_service
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.http import IfMatch, expected_version, set_etag
from rapport.core.idempotency import IdempotencyKeyHeader
from rapport.core.inputs import Cursor
from rapport.core.schemas import ERROR_RESPONSES, GONE, STALE, Limit, Page, with_etag
from rapport.interactions.schemas import UserRef
from rapport.notes import service
from rapport.notes.models import Note
from rapport.notes.schemas import NoteCreate, NoteOut, NoteUpdate
from rapport.users.models import User

router = APIRouter(
    prefix="/api/v1/contacts/{contact_id}/notes", tags=["notes"], responses=ERROR_RESPONSES
)

def _out(db: Session, note: Note, authors: dict | None = None) -> NoteOut:
    author = (authors or {}).get(note.author_id) or db.get(User, (note.tenant_id, note.author_id))
    values = {c.key: getattr(note, c.key) for c in Note.__table__.columns}
    return NoteOut.model_validate(
        {**values, "author": UserRef.model_validate(author) if author else None}
    )


@router.get("", response_model=Page[NoteOut], responses=GONE)
def list_notes(
    contact_id: uuid.UUID,
    db: DbSession,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[NoteOut]:
    """The contact's notes, newest first, a page at a time."""
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    rows, next_cursor = service.list_notes(
        db=db, tenant_id=principal.tenant_id, contact_id=contact_id, limit=limit, cursor=cursor
    )
    return Page[NoteOut](items=[_out(db, n) for n in rows], next_cursor=next_cursor)


@router.post(
    "",
    response_model=NoteOut,
    status_code=status.HTTP_201_CREATED,
    responses={**GONE, **with_etag(201)},
)
def add_note(
    contact_id: uuid.UUID,
    body: NoteCreate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    idempotency: IdempotencyKeyHeader,
) -> NoteOut:
    """Add a note (Markdown). Tie it to one of the contact's interactions to record its
    `outcome` and `next_steps`; its words then also find that interaction in history search."""
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    note = service.create(
        db=db, principal=principal, contact=contact, values=body.model_dump(exclude_unset=True)
    )
    set_etag(response, note.version)
    response.headers["Location"] = f"/api/v1/contacts/{contact_id}/notes/{note.id}"
    out = _out(db, note)
    idempotency.remember(response, out, status.HTTP_201_CREATED)
    return out


@router.get("/{note_id}", response_model=NoteOut, responses=with_etag())
def get_note(
    contact_id: uuid.UUID,
    note_id: uuid.UUID,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
) -> NoteOut:
    """One note, with an `ETag` to send back as `If-Match` when changing it."""
    note = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id, note_id=note_id)
    set_etag(response, note.version)
    return _out(db, note)


@router.patch(
    "/{note_id}", response_model=NoteOut, responses={**GONE, **STALE, **with_etag()}
)
def update_note(
    contact_id: uuid.UUID,
    note_id: uuid.UUID,
    body: NoteUpdate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> NoteOut:
    """Change a note. Agents change their own notes; supervisors and admins any."""
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    note = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id, note_id=note_id)
    note = service.update(
        db=db,
        principal=principal,
        contact=contact,
        note=note,
        changes=body.model_dump(exclude_unset=True),
        expected_version=expected_version(if_match),
    )
    set_etag(response, note.version)
    return _out(db, note)


@router.delete("/{note_id}", status_code=status.HTTP_204_NO_CONTENT, responses=STALE)
def delete_note(
    contact_id: uuid.UUID,
    note_id: uuid.UUID,
    db: DbSession,
    principal: CurrentPrincipal,
    if_match: IfMatch = None,
) -> Response:
    """Delete a note. Agents delete their own notes; supervisors and admins any."""
    note = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id, note_id=note_id)
    service.delete(
        db=db, principal=principal, note=note, expected_version=expected_version(if_match)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
