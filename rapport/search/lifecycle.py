"""What happens to history when a contact is deleted, in the same transaction.

Interactions happened and stay (unlinked, still searchable); the contact's notes go, so the
search documents of the interactions those notes were about are rebuilt without them.
"""

from __future__ import annotations

from sqlalchemy import delete, event, select, update
from sqlalchemy.engine import Connection

from rapport.contacts.models import Contact
from rapport.interactions.models import Interaction
from rapport.notes.models import Note
from rapport.search import index


@event.listens_for(Contact, "before_delete")
def _keep_history_of_deleted_contact(_mapper, connection: Connection, contact: Contact) -> None:
    tenant_id, contact_id = contact.tenant_id, contact.id
    noted = connection.scalars(
        select(Note.interaction_id)
        .where(
            Note.tenant_id == tenant_id,
            Note.contact_id == contact_id,
            Note.interaction_id.is_not(None),
        )
        .distinct()
    ).all()
    connection.execute(
        delete(Note).where(Note.tenant_id == tenant_id, Note.contact_id == contact_id)
    )
    connection.execute(
        update(Interaction)
        .where(Interaction.tenant_id == tenant_id, Interaction.contact_id == contact_id)
        .values(contact_id=None, version=Interaction.version + 1)
    )
    for interaction_id in noted:
        index.rebuild(db=connection, tenant_id=tenant_id, interaction_id=interaction_id)
