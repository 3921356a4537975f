"""REST routes for the queue and for handling workitems. Thin: parse, call the services, shape."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy.orm import Session
from sse_starlette.sse import EventSourceResponse

from rapport.contacts.present import contact_out
from rapport.core.api_request import ApiContext, ApiRequest
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.http import json_response
from rapport.core.schemas import ERROR_RESPONSES, GONE, ErrorOut
from rapport.interactions import service as interactions_service
from rapport.interactions.present import interaction_out, summaries
from rapport.interactions.schemas import Channel
from rapport.routing import linking, offers, service
from rapport.routing.events import broadcaster, sse_messages
from rapport.routing.present import notes_out, queue_out, screen_pop_out
from rapport.routing.schemas import (
    AvailabilityOut,
    AvailabilityUpdate,
    Completed,
    CompleteIn,
    ContactForInteraction,
    ContactLinked,
    QueueOut,
    ScreenPop,
    TransferIn,
)
from rapport.routing.screen_pop import relink, screen_pop

router = APIRouter(prefix="/api/v1", tags=["routing"], responses=ERROR_RESPONSES)
CONFLICT = {409: {"model": ErrorOut, "description": "Not possible in the interaction's state."}}


def _queue_write_session(db: DbSession, principal: CurrentPrincipal) -> Session:
    # On SQLite the queue write must hold the write lock from its first statement.
    service.restart_as_queue_write(db)
    return db


QueueDb = Annotated[Session, Depends(_queue_write_session)]


# --- the agent ---------------------------------------------------------------------------


@router.get("/me/availability", response_model=AvailabilityOut)
def get_availability(principal: CurrentPrincipal) -> AvailabilityOut:
    """Whether you take work now, and the channels the queue gives you."""
    return AvailabilityOut.model_validate(principal.user)


@router.patch("/me/availability", response_model=AvailabilityOut)
def set_availability(
    body: AvailabilityUpdate, db: DbSession, principal: CurrentPrincipal
) -> AvailabilityOut:
    """Set yourself `available`, `busy` or `away`, and your capacity per channel."""
    user = offers.set_presence(
        db=db, agent=principal.user, availability=body.availability, capacity=body.capacity
    )
    return AvailabilityOut.model_validate(user)


# --- the queue ---------------------------------------------------------------------------


@router.get("/queue", response_model=QueueOut)
def list_queue(
    db: DbSession,
    principal: CurrentPrincipal,
    queue: str | None = None,
    channel: Annotated[list[Channel] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> QueueOut:
    """What is waiting, in the order it will be accepted: routing priority (1 first), then
    longest waiting; with queue aging on, each aging step waited counts as one priority level.
    Each item carries its wait time and its caller's contact summary."""
    interactions = service.waiting(
        db=db, tenant=principal.tenant, channels=channel, queue=queue, limit=limit
    )
    return queue_out(db=db, tenant=principal.tenant, interactions=interactions)


def _pop(db: Session, principal, interaction) -> Response:
    matches = relink(db=db, tenant=principal.tenant, interaction=interaction)
    pop = screen_pop(db=db, tenant=principal.tenant, interaction=interaction, matches=matches)
    return json_response(screen_pop_out(db=db, interaction=interaction, pop=pop))


@router.post(
    "/queue/accept",
    response_model=ScreenPop,
    responses={204: {"description": "Nothing waits on your channels."}, **CONFLICT},
)
async def accept_next(ctx: ApiContext, queue: str | None = None) -> Response:
    """Take the next waiting interaction on one of your channels (optionally from one queue).

    Safe under any number of agents accepting at once: each interaction goes to exactly one.
    The answer is the screen pop: the interaction and `match` — `one` (the contact with its
    account, last notes and interactions), `many` (ranked candidates to pick from) or `none`
    (a suggested new contact pre-filled from the number or email)."""
    return await ctx.run(_accept_next, ctx, queue)


def _accept_next(ctx: ApiRequest, queue: str | None) -> Response:
    db = ctx.db
    service.restart_as_queue_write(db)  # before the first statement, as `QueueDb`
    principal = ctx.principal
    interaction = service.accept_next(
        db=db, tenant=principal.tenant, agent=principal.user, queue=queue
    )
    if interaction is None:
        return Response(status_code=status.HTTP_204_NO_CONTENT)
    return _pop(db, principal, interaction)


@router.get(
    "/queue/events",
    response_class=EventSourceResponse,
    responses={200: {
        "description": "A stream of server-sent events (`event:` name, `data:` JSON).",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }},
)  # fmt: skip
async def queue_events(principal: CurrentPrincipal) -> EventSourceResponse:
    """Server-sent events of your tenant's queue, pushed as they happen (no polling).

    The first event is `ready`. Then: `interaction.queued`, `interaction.accepted`,
    `interaction.completed`, `interaction.abandoned`, `interaction.offered`,
    `queue.reordered` (a priority or setting changed) and `message.appended`. Each `data` is
    JSON with `interaction_id` (or `contact_id`), `at`, and what changed."""
    subscription = broadcaster.open(principal.tenant_id)  # before `ready`: nothing is missed
    ready = {"tenant": principal.tenant.slug}
    return EventSourceResponse(sse_messages(subscription, ready), ping=15)


# --- handling one interaction ------------------------------------------------------------


@router.post("/interactions/{interaction_id}/accept", response_model=ScreenPop, responses=CONFLICT)
def accept_interaction(
    interaction_id: uuid.UUID, db: QueueDb, principal: CurrentPrincipal
) -> Response:
    """Take this interaction (409 when someone already has it or it has ended); the answer
    is the screen pop, as for `POST /queue/accept`."""
    interaction = service.accept(
        db=db, tenant=principal.tenant, agent=principal.user, interaction_id=interaction_id
    )
    return _pop(db, principal, interaction)


@router.post(
    "/interactions/{interaction_id}/contact",
    response_model=ContactLinked,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": ContactLinked, "description": "An existing contact was linked."},
        **GONE,
    },
)
def set_interaction_contact(
    interaction_id: uuid.UUID,
    body: ContactForInteraction,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
) -> ContactLinked:
    """Create the contact this interaction was with (`contact`, validated like
    `POST /contacts`) or link an existing one (`contact_id`). The answer lists the other
    unlinked interactions from the same address; send `link_others: true` to link them too."""
    interaction = interactions_service.get(
        db=db, tenant_id=principal.tenant_id, interaction_id=interaction_id
    )
    contact, created, others, linked = linking.set_contact(
        db=db,
        principal=principal,
        interaction=interaction,
        contact_id=body.contact_id,
        new_contact=body.contact.model_dump(exclude_unset=True) if body.contact else None,
        link_others=body.link_others,
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return ContactLinked(
        interaction=interaction_out(db=db, interaction=interaction),
        contact=contact_out(contact),
        created=created,
        other_interactions=summaries(db=db, interactions=others),
        others_linked=linked,
    )


@router.post(
    "/interactions/{interaction_id}/complete", response_model=Completed, responses=CONFLICT
)
async def complete_interaction(
    interaction_id: uuid.UUID, body: CompleteIn, ctx: ApiContext
) -> Response:
    """Finish the interaction you handle with a disposition and, optionally, a note (outcome,
    next steps) kept on the contact and tied to this interaction."""
    return await ctx.run(_complete, interaction_id, body, ctx)


def _complete(interaction_id: uuid.UUID, body: CompleteIn, ctx: ApiRequest) -> Response:
    db = ctx.db
    service.restart_as_queue_write(db)  # before the first statement, as `QueueDb`
    principal = ctx.principal
    interaction, note = service.complete(
        db=db,
        principal=principal,
        interaction_id=interaction_id,
        disposition=body.disposition,
        note=body.note.model_dump(exclude_unset=True) if body.note else None,
    )
    return json_response(Completed(
        interaction=interaction_out(db=db, interaction=interaction),
        note=notes_out(db, [note])[0] if note else None,
    ))  # fmt: skip


@router.post("/interactions/{interaction_id}/abandon", response_model=Completed, responses=CONFLICT)
def abandon_interaction(
    interaction_id: uuid.UUID, db: QueueDb, principal: CurrentPrincipal
) -> Completed:
    """The contact left before or while being served (hung up, closed the chat)."""
    interaction = service.abandon(db=db, principal=principal, interaction_id=interaction_id)
    return Completed(interaction=interaction_out(db=db, interaction=interaction), note=None)


@router.post(
    "/interactions/{interaction_id}/transfer", response_model=Completed, responses=CONFLICT
)
def transfer_interaction(
    interaction_id: uuid.UUID,
    db: QueueDb,
    principal: CurrentPrincipal,
    body: TransferIn | None = None,
) -> Completed:
    """Put the interaction back in the queue, optionally into another `queue`. It keeps its
    place by waiting time, and its agent is cleared."""
    interaction = service.transfer(
        db=db,
        principal=principal,
        interaction_id=interaction_id,
        queue=body.queue if body else None,
    )
    return Completed(interaction=interaction_out(db=db, interaction=interaction), note=None)
