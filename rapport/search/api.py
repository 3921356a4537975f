"""REST routes for history and search. Thin: parse, call the search services, shape."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from rapport.contacts import service as contacts_service
from rapport.contacts.service import display_name_of
from rapport.core.deps import CurrentPrincipal, ReadDbSession
from rapport.core.errors import FieldCollector
from rapport.core.inputs import Cursor, Moment
from rapport.core.schemas import ERROR_RESPONSES, GONE, Limit, Page
from rapport.interactions import service as interactions_service
from rapport.interactions.present import summaries
from rapport.interactions.schemas import Channel, HistoryItem, State
from rapport.search import everything, history
from rapport.search.schemas import AccountHit, ContactHit, SearchResults

router = APIRouter(tags=["history and search"], responses=ERROR_RESPONSES)


def _items(db: Session, hits: list[history.Hit]) -> list[HistoryItem]:
    extra = {h.interaction.id: {"score": h.score, "snippet": h.snippet} for h in hits}
    return summaries(
        db=db, interactions=[h.interaction for h in hits], cls=HistoryItem, extra=extra
    )


@router.get(
    "/api/v1/contacts/{contact_id}/interactions", response_model=Page[HistoryItem], responses=GONE
)
def contact_history(
    contact_id: uuid.UUID,
    db: ReadDbSession,
    principal: CurrentPrincipal,
    limit: Limit = 50,
    cursor: Cursor = None,
    channel: Channel | None = None,
    state: State | None = None,
    agent: Annotated[str | None, Query(description="A user id or email.")] = None,
    started_from: Annotated[
        Moment | None, Query(alias="from", description="Started at or after.")
    ] = None,
    started_to: Annotated[Moment | None, Query(alias="to", description="Started before.")] = None,
    q: Annotated[
        str | None,
        Query(
            description="Words to find in subjects, transcripts and notes (word prefixes, any "
            "case and accents). Results are then ranked, each with a highlighted `snippet`."
        ),
    ] = None,
) -> Page[HistoryItem]:
    """The contact's interactions, newest first (or by relevance with `q`)."""
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    errors = FieldCollector()
    agent_id = None
    if agent:
        user = interactions_service.resolve_agent(
            db=db, tenant_id=principal.tenant_id, reference=agent.strip()
        )
        if user is None:
            errors.add("query.agent", f"no user with id or email '{agent}' in this tenant")
        agent_id = user.id if user else None
    for name, value in (("query.from", started_from), ("query.to", started_to)):
        if value is not None and value.tzinfo is None:
            errors.add(name, "must include a time zone offset (e.g. 2025-01-31T00:00:00Z)")
    errors.raise_if_any()
    filters = history.HistoryFilters(
        contact_id=contact_id,
        channel=channel,
        state=state,
        agent_id=agent_id,
        started_from=started_from,
        started_to=started_to,
        q=q,
    )
    hits, next_cursor = history.history(
        db=db, tenant_id=principal.tenant_id, filters=filters, limit=limit, cursor=cursor
    )
    return Page[HistoryItem](items=_items(db, hits), next_cursor=next_cursor)


@router.get("/api/v1/search", response_model=SearchResults)
def search(
    db: ReadDbSession,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(min_length=1, max_length=200, description="What was typed.")],
    limit: Annotated[int, Query(ge=1, le=50, description="Per kind.")] = 10,
) -> SearchResults:
    """One box for the whole tenant: contacts (name with one typo forgiven, email, phone
    digits in any format, account identifier), accounts, and interactions by their text."""
    found = everything.search(db=db, tenant=principal.tenant, q=q, limit=limit)
    return SearchResults(
        contacts=[
            ContactHit(
                id=c.id,
                display_name=display_name_of(c),
                email=c.email,
                phone=c.phone,
                mobile=c.mobile,
                account_identifier=c.account.identifier if c.account else None,
                score=score,
                matched=why,
            )
            for c, score, why in found.contacts
        ],
        accounts=[
            AccountHit(id=a.id, identifier=a.identifier, name=a.name, score=score)
            for a, score in found.accounts
        ],
        interactions=_items(db, found.interactions),
    )
