"""REST routes for interactions and their transcripts. Thin: parse, call, shape."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from rapport.core.api_request import ApiContext, ApiRequest
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.http import IfMatch, expected_version, json_response, set_etag
from rapport.core.idempotency import Idempotency, RequestIdempotencyKey
from rapport.core.schemas import ERROR_RESPONSES, GONE, STALE, conflict, with_etag
from rapport.interactions import service, transcript
from rapport.interactions.present import interaction_out
from rapport.interactions.schemas import (
    InteractionCreate,
    InteractionOut,
    InteractionUpdate,
    MessageIn,
    MessageOut,
)

router = APIRouter(prefix="/api/v1/interactions", tags=["interactions"], responses=ERROR_RESPONSES)


@router.post(
    "",
    response_model=InteractionOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": InteractionOut, "description": "Already recorded (external_id).",
              "headers": with_etag()[200]["headers"]},
        **with_etag(201),
        **GONE,
    },
)
async def record_interaction(
    body: InteractionCreate,
    ctx: ApiContext,
    response: Response,
    idempotency: RequestIdempotencyKey,
) -> Response:
    """Record a call, chat, email or SMS with a contact, optionally with its first messages.

    Without `contact_id`, the interaction is linked to the contact whose phone, mobile or
    email matches the address when exactly one does; `match_count` tells how many did.
    Posting an `external_id` again returns the stored interaction with 200 (201 when created).
    """
    return await ctx.run(_record, body, ctx, response, idempotency)


def _record(
    body: InteractionCreate, ctx: ApiRequest, response: Response, idempotency: Idempotency
) -> Response:
    db, principal = ctx.db, ctx.principal
    interaction, created = service.record(
        db=db,
        tenant=principal.tenant,
        values=body.model_dump(exclude_unset=True),
        principal=principal,
    )
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/interactions/{interaction.id}"
    set_etag(response, interaction.version)
    # Created just now without messages: its transcript is empty, no need to read it.
    known = [] if created and not body.messages else None
    out = interaction_out(db=db, interaction=interaction, messages=known)
    idempotency.remember(response, out, status.HTTP_201_CREATED)
    return json_response(out, response.status_code, headers=response)


@router.get("/{interaction_id}", response_model=InteractionOut, responses=with_etag())
def get_interaction(
    interaction_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal, response: Response
) -> InteractionOut:
    """One interaction with its transcript, oldest message first."""
    interaction = service.get(db=db, tenant_id=principal.tenant_id, interaction_id=interaction_id)
    set_etag(response, interaction.version)
    return interaction_out(db=db, interaction=interaction)


@router.patch(
    "/{interaction_id}",
    response_model=InteractionOut,
    responses={**conflict("A different `state`: use the routing actions."), **STALE, **with_etag()},
)
def update_interaction(
    interaction_id: uuid.UUID,
    body: InteractionUpdate,
    db: DbSession,
    principal: CurrentPrincipal,
    response: Response,
    if_match: IfMatch = None,
) -> InteractionOut:
    """Change the descriptive fields `subject` and `disposition`, or the `agent`.

    Assigning an `agent` is for supervisors and administrators (403 otherwise). An agent
    cannot change an interaction held by another agent (403). The `state` moves only through
    the routing actions — `/accept`, `/transfer`, `/complete`, `/abandon` — which keep its
    rules: a different `state` here answers 409 (the same state is accepted and changes
    nothing)."""
    interaction = service.get(db=db, tenant_id=principal.tenant_id, interaction_id=interaction_id)
    interaction = service.update(
        db=db,
        principal=principal,
        interaction=interaction,
        changes=body.model_dump(exclude_unset=True),
        expected_version=expected_version(if_match),
    )
    set_etag(response, interaction.version)
    return interaction_out(db=db, interaction=interaction)


@router.post(
    "/{interaction_id}/messages",
    response_model=MessageOut,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": MessageOut, "description": "Already recorded (external_id)."},
        **conflict("This external_id belongs to a message of another interaction: "
                   "`field`, `interaction_id`."),
    },
)
async def append_message(interaction_id: uuid.UUID, body: MessageIn, ctx: ApiContext) -> Response:
    """Append a message to the transcript. HTML (email) is sanitised; its text is searchable.

    An agent cannot append to an interaction held by another agent (403)."""
    return await ctx.run(_append, interaction_id, body, ctx)


def _append(interaction_id: uuid.UUID, body: MessageIn, ctx: ApiRequest) -> Response:
    db, principal = ctx.db, ctx.principal
    interaction = service.get_plain(
        db=db, tenant_id=principal.tenant_id, interaction_id=interaction_id
    )
    service.require_hands_on(principal, interaction, "add messages to")
    message, created = transcript.append(
        db=db, tenant=principal.tenant, interaction=interaction, values=body.model_dump()
    )
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return json_response(MessageOut.model_validate(message), code)
