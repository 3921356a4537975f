"""Routing answers as clients see them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from rapport.accounts.schemas import AccountOut
from rapport.contacts.models import Contact
from rapport.contacts.present import contact_out, local_time
from rapport.contacts.service import display_name_of
from rapport.core.db import utcnow
from rapport.interactions import service as interactions_service
from rapport.interactions.models import Interaction
from rapport.interactions.present import interaction_out, summaries
from rapport.interactions.schemas import InteractionSummary, UserRef
from rapport.notes.models import Note
from rapport.notes.schemas import NoteOut
from rapport.routing import service
from rapport.routing.schemas import (
    CallerSummary,
    Candidate,
    QueueItem,
    QueueOut,
    ReachedOn,
    ScreenPop,
    SuggestedContact,
)
from rapport.tenants.models import Tenant


def notes_out(db: Session, notes: list[Note]) -> list[NoteOut]:
    if not notes:
        return []
    authors = interactions_service.agents_by_id(
        db=db, tenant_id=notes[0].tenant_id, ids={n.author_id for n in notes}
    )
    out = []
    for note in notes:
        author = authors.get(note.author_id)
        values = {c.key: getattr(note, c.key) for c in Note.__table__.columns}
        out.append(NoteOut.model_validate(
            {**values, "author": UserRef.model_validate(author) if author else None}
        ))  # fmt: skip
    return out


def queue_out(*, db: Session, tenant: Tenant, interactions: list[Interaction]) -> QueueOut:
    now = utcnow()
    contact_ids = {i.contact_id for i in interactions if i.contact_id}
    contacts = {
        c.id: c
        for c in (db.get(Contact, (tenant.id, contact_id)) for contact_id in contact_ids)
        if c is not None
    }
    extra: dict[Any, dict] = {}
    for item in interactions:
        contact = contacts.get(item.contact_id)
        extra[item.id] = {
            "wait_seconds": max(0, int((now - item.queued_at).total_seconds())),
            "aged_priority": service.aged_priority(item, tenant, now),
            "caller": CallerSummary(
                id=contact.id, display_name=display_name_of(contact), priority=contact.priority,
                account=contact.account, time_zone=contact.time_zone,
                local_time=local_time(contact.time_zone, now),
            ) if contact else None,
        }  # fmt: skip
    items = summaries(db=db, interactions=interactions, cls=QueueItem, extra=extra)
    return QueueOut(items=items, queue_aging_seconds=tenant.queue_aging_seconds)


def _user_ref(row: Any, prefix: str, id_column: str) -> UserRef | None:
    user_id = getattr(row, id_column)
    email = getattr(row, f"{prefix}_email")
    if user_id is None or email is None:
        return None
    return UserRef(id=user_id, email=email, name=getattr(row, f"{prefix}_name"))


def _pop_notes(rows: list) -> list[NoteOut]:
    """The pop's notes: rows of the notes with their authors (`screen_pop.recent_history`)."""
    return [NoteOut.model_validate({**row._mapping,
                                    "author": _user_ref(row, "author", "author_id")})
            for row in rows]  # fmt: skip


def _pop_interactions(rows: list) -> list[InteractionSummary]:
    return [InteractionSummary.model_validate({**row._mapping,
                                               "agent": _user_ref(row, "agent", "agent_id")})
            for row in rows]  # fmt: skip


def screen_pop_out(*, db: Session, interaction: Interaction, pop: dict[str, Any]) -> ScreenPop:
    out = ScreenPop(interaction=interaction_out(db=db, interaction=interaction), match=pop["match"])
    if pop["match"] == "one":
        out.contact = contact_out(pop["contact"])
        out.account = AccountOut.model_validate(pop["account"]) if pop["account"] else None
        out.reached_on = ReachedOn(**pop["reached_on"]) if pop.get("reached_on") else None
        out.notes = _pop_notes(pop["notes"])
        out.recent_interactions = _pop_interactions(pop["interactions"])
    elif pop["match"] == "many":
        out.candidates = [
            Candidate(contact=contact_out(m.contact), score=m.score, reasons=m.reasons)
            for m in pop["candidates"]
        ]
    else:
        out.suggested_contact = SuggestedContact(**pop["suggested_contact"])
    return out
