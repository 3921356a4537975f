"""The Notes tab of a contact: list newest first, add, edit in place, delete, preview."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from rapport.contacts import service as contacts_service
from rapport.contacts.models import Contact
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import PreconditionFailed, ValidationFailed
from rapport.core.inputs import Cursor
from rapport.interactions import service as interactions_service
from rapport.notes import render as markdown
from rapport.notes import service
from rapport.notes.models import Note
from rapport.search import history
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text, posted_version
from rapport.web.session import get_session
from rapport.web.templating import CHANNEL_LABELS, format_datetime, render

router = APIRouter(prefix="/contacts", include_in_schema=False, dependencies=CSRF_PROTECTED)
PAGE_SIZE = 20
CHOICES_LIMIT = 100
LABELS = {
    "body": "Note",
    "interaction_id": "About interaction",
    "outcome": "Outcome",
    "next_steps": "Next steps",
}


@dataclass
class NoteRow:
    """A note as the page shows it: with its author's name and what this user may do."""

    note: Note
    author: str
    may_change: bool
    interaction: str | None
    form: dict[str, str]


def interaction_choices(
    db: Session, principal: Principal, contact_id: uuid.UUID
) -> list[tuple[str, str]]:
    """The contact's latest interactions, as options a note can be tied to."""
    hits, _ = history.history(
        db=db,
        tenant_id=principal.tenant_id,
        filters=history.HistoryFilters(contact_id=contact_id),
        limit=CHOICES_LIMIT,
    )
    zone = principal.tenant.time_zone
    return [
        (
            str(h.interaction.id),
            " · ".join(
                part
                for part in (
                    format_datetime(h.interaction.started_at, zone),
                    CHANNEL_LABELS.get(h.interaction.channel, h.interaction.channel),
                    h.interaction.subject,
                )
                if part
            ),
        )
        for h in hits
    ]


def note_rows(
    db: Session, principal: Principal, notes: list[Note], choices: list[tuple[str, str]]
) -> list[NoteRow]:
    authors = interactions_service.agents_by_id(
        db=db, tenant_id=principal.tenant_id, ids={n.author_id for n in notes}
    )
    labels = dict(choices)
    rows = []
    for note in notes:
        author = authors.get(note.author_id)
        rows.append(
            NoteRow(
                note=note,
                author=(author.name or author.email) if author else "Former user",
                may_change=service.may_change(principal, note),
                interaction=labels.get(str(note.interaction_id), "an earlier interaction")
                if note.interaction_id
                else None,
                form=form_from_note(note),
            )
        )
    return rows


def values_from_form(posted: FormData) -> dict[str, Any]:
    """Service values from the posted note form; a malformed interaction id is a field error."""
    raw = form_text(posted, "interaction_id")
    interaction_id: Any = None
    if raw:
        try:
            interaction_id = uuid.UUID(raw.strip())
        except ValueError:
            interaction_id = uuid.UUID(int=0)  # no such interaction: the service says so
    return {
        "body": form_text(posted, "body"),
        "interaction_id": interaction_id,
        "outcome": form_text(posted, "outcome"),
        "next_steps": form_text(posted, "next_steps"),
    }


def form_from_post(posted: FormData) -> dict[str, str]:
    return {name: str(posted.get(name) or "") for name in LABELS}


def form_from_note(note: Note) -> dict[str, str]:
    return {
        "body": note.body,
        "interaction_id": str(note.interaction_id or ""),
        "outcome": note.outcome or "",
        "next_steps": note.next_steps or "",
    }


def _page(
    request: Request,
    db: Session,
    principal: Principal,
    contact: Contact,
    *,
    cursor: Cursor = None,
    new_form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    editing: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    notes, next_cursor = service.list_notes(
        db=db, tenant_id=principal.tenant_id, contact_id=contact.id, limit=PAGE_SIZE,
        cursor=cursor,
    )  # fmt: skip
    choices = interaction_choices(db, principal, contact.id)
    context = {
        "c": contact_out(contact),
        "active_tab": "notes",
        "title": f"Notes · {contacts_service.display_name_of(contact)}",
        "rows": note_rows(db, principal, notes, choices),
        "next_cursor": next_cursor,
        "paged": bool(cursor),
        "choices": choices,
        "new_form": new_form or {},
        "errors": errors or {},
        "labels": LABELS,
        # The note whose inline form reopens: after a failed or stale save.
        "editing": editing or {},
    }
    return render(
        request, "notes/tab.html", context, principal=principal, status_code=status_code
    )


def _contact(db: Session, principal: Principal, contact_id: uuid.UUID) -> Contact:
    return contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)


@router.get("/{contact_id}/notes")
def notes_tab(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    cursor: Cursor = None,
) -> Response:
    contact = _contact(db, principal, contact_id)
    return _page(request, db, principal, contact, cursor=cursor or None)


@router.post("/{contact_id}/notes")
def add_note(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    contact = _contact(db, principal, contact_id)
    try:
        service.create(db=db, principal=principal, contact=contact, values=values_from_form(posted))
    except ValidationFailed as exc:
        db.rollback()
        contact = _contact(db, principal, contact_id)
        return _page(
            request, db, principal, contact, new_form=form_from_post(posted),
            errors=exc.by_field(), status_code=422,
        )  # fmt: skip
    get_session(request).flash("Note added.")
    return RedirectResponse(_back(posted, contact_id), status_code=303)


def _back(posted: FormData, contact_id: uuid.UUID) -> str:
    """Where a note form returns to: the interaction page it was posted from, or the tab."""
    back = form_text(posted, "back")
    if back and back.startswith("/interactions/") and "//" not in back:
        return back
    return f"/contacts/{contact_id}/notes"


@router.post("/{contact_id}/notes/preview")
def preview_note(
    contact_id: uuid.UUID, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> HTMLResponse:
    """The sanitised HTML the note's Markdown will show as (the same renderer as on save)."""
    _contact(db, principal, contact_id)
    return HTMLResponse(markdown.to_html(str(posted.get("body") or "")))


@router.post("/{contact_id}/notes/{note_id}/edit")
def edit_note(
    request: Request,
    contact_id: uuid.UUID,
    note_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    contact = _contact(db, principal, contact_id)
    note = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id, note_id=note_id)
    try:
        service.update(
            db=db, principal=principal, contact=contact, note=note,
            changes=values_from_form(posted), expected_version=posted_version(posted),
        )  # fmt: skip
    except PreconditionFailed:
        # Someone saved first: keep what this user typed, show what is there now, and let
        # them save again knowingly (the form now carries the current version).
        db.rollback()
        contact = _contact(db, principal, contact_id)
        editing = {"id": note_id, "form": form_from_post(posted), "stale": True, "errors": {}}
        return _page(request, db, principal, contact, editing=editing, status_code=409)
    except ValidationFailed as exc:
        db.rollback()
        contact = _contact(db, principal, contact_id)
        editing = {"id": note_id, "form": form_from_post(posted), "errors": exc.by_field()}
        return _page(request, db, principal, contact, editing=editing, status_code=422)
    get_session(request).flash("Note saved.")
    return RedirectResponse(_back(posted, contact_id), status_code=303)


@router.post("/{contact_id}/notes/{note_id}/delete")
def delete_note(
    request: Request,
    contact_id: uuid.UUID,
    note_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    _contact(db, principal, contact_id)
    note = service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id, note_id=note_id)
    try:
        service.delete(
            db=db, principal=principal, note=note, expected_version=posted_version(posted)
        )
    except PreconditionFailed:
        db.rollback()
        get_session(request).flash(
            "This note was changed meanwhile, so it was not deleted. Read it again first.",
            "warning",
        )
        return RedirectResponse(f"/contacts/{contact_id}/notes", status_code=303)
    get_session(request).flash("Note deleted.")
    return RedirectResponse(_back(posted, contact_id), status_code=303)
