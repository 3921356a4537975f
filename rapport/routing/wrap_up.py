"""The note an agent leaves when finishing a workitem: outcome and next steps, on the contact."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rapport.contacts.models import Contact
from rapport.core.auth import Principal
from rapport.core.errors import FieldError, ValidationFailed
from rapport.interactions.models import Interaction
from rapport.notes import service as notes_service
from rapport.notes.models import Note


def add_wrap_up_note(
    *, db: Session, principal: Principal, interaction: Interaction, note: dict[str, Any] | None
) -> Note | None:
    """Store `note` (body, outcome, next_steps) tied to the interaction; errors name `note.*`."""
    if not note:
        return None
    if interaction.contact_id is None:
        raise ValidationFailed(
            [FieldError("note", "link or create the contact first: notes are kept on contacts")]
        )
    contact = db.get(Contact, (interaction.tenant_id, interaction.contact_id))
    values = {**note, "interaction_id": interaction.id}
    try:
        return notes_service.create(db=db, principal=principal, contact=contact, values=values)
    except ValidationFailed as exc:
        raise ValidationFailed(
            [FieldError(f"note.{e.field}", e.message, e.kind) for e in exc.errors]
        ) from None
