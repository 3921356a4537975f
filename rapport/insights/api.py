"""REST routes of Personality Insights. Thin: parse, call the service, shape."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response, status
from fastapi.concurrency import run_in_threadpool

from rapport.contacts import service as contacts_service
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.schemas import ERROR_RESPONSES, GONE, ErrorOut
from rapport.insights import examples, service
from rapport.insights.content import texts_from_body
from rapport.insights.schemas import (
    ExampleCreate,
    ExampleOut,
    ExamplesOut,
    ExclusionOut,
    NotEnoughTextOut,
    ProfileOut,
)
from rapport.interactions import service as interactions_service
from rapport.interactions.schemas import UserRef

DISABLED = (
    "403 `personality_insights_disabled` while the tenant has Personality Insights off "
    "(a system administrator can enable it); nothing is read or analysed then."
)


def require_enabled(principal: CurrentPrincipal) -> None:
    service.ensure_enabled(principal.tenant)


router = APIRouter(
    prefix="/api/v1",
    tags=["personality insights"],
    responses={**ERROR_RESPONSES, 403: {"model": ErrorOut, "description": DISABLED}},
    dependencies=[Depends(require_enabled)],
)
PROFILE_RESPONSE = ProfileOut | NotEnoughTextOut


@router.get(
    "/contacts/{contact_id}/personality", response_model=PROFILE_RESPONSE, responses=GONE
)
def get_profile(
    contact_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> ProfileOut | NotEnoughTextOut:
    """The contact's personality profile, from what they wrote in SMS, chat and email and
    from examples added by hand (never the agent's words, system messages or calls).

    Two shapes, told apart by `status`:

    - `"ready"`: Watson Personality Insights' shape (`word_count`, `warnings`,
      `personality` with the Big Five, `needs`, `values`, each trait with `trait_id`, `name`,
      `category`, `percentile`, `raw_score`, `significant`, `children`) plus `confidence`
      (`low` under 600 words, with a `WORD_COUNT_MESSAGE` warning; `medium`; `full` from
      1,200), `model_version`, `computed_at`, `evidence` and `guidance` (tips for the agent,
      each with the `trait_id` it comes from).
    - `"not_enough_text"` (still 200): under 100 words; `word_count`, `words_needed` and a
      `message` such as "63 more words needed ...".

    The stored profile is reused while its input texts and the model are unchanged
    (`computed_at` stays the same); otherwise it is recomputed in this request.
    Estimates are weak tone hints; see the model card before relying on them.
    """
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    result = service.current_profile(db=db, tenant=principal.tenant, contact_id=contact_id)
    if isinstance(result, service.NotEnoughText):
        return NotEnoughTextOut(**service.presented_not_enough(result, contact_id))
    return ProfileOut(**service.presented_row(result))


@router.get(
    "/contacts/{contact_id}/personality/examples", response_model=ExamplesOut, responses=GONE
)
def list_examples(contact_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal) -> ExamplesOut:
    """Everything the profile is computed from, newest first: the contact's messages in SMS,
    chat and email interactions (`kind: "message"`, with `interaction_id`, `channel`, `at`
    and `excluded`) and examples added by hand (`kind: "manual"`, with `source` and
    `author`). Excluded messages are listed, flagged, so they can be included again."""
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    found = examples.list_examples(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    authors = interactions_service.agents_by_id(
        db=db, tenant_id=principal.tenant_id, ids={e.author_id for e in found if e.author_id}
    )
    inputs = examples.inputs_of(found)
    items = [
        ExampleOut(
            id=e.id, kind=e.kind, text=e.text, word_count=e.word_count, at=e.at,
            excluded=e.excluded, interaction_id=e.interaction_id, channel=e.channel,
            source=e.source,
            author=UserRef.model_validate(authors[e.author_id]) if e.author_id in authors else None,
        )
        for e in found
    ]  # fmt: skip
    needed = service.NotEnoughText(word_count=inputs.word_count).words_needed
    return ExamplesOut(word_count=inputs.word_count, words_needed=needed, items=items)


@router.post(
    "/contacts/{contact_id}/personality/examples",
    response_model=ExampleOut,
    status_code=status.HTTP_201_CREATED,
    responses=GONE,
)
def add_example(
    contact_id: uuid.UUID, body: ExampleCreate, db: DbSession, principal: CurrentPrincipal
) -> ExampleOut:
    """Add text the contact wrote themselves (e.g. a review, with its URL as `source`).
    The profile is brought up to date in the same request."""
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    example = service.add_example(
        db=db, tenant=principal.tenant, contact_id=contact_id, author_id=principal.user.id,
        text=body.text, source=body.source,
    )  # fmt: skip
    return ExampleOut(
        id=example.id, kind="manual", text=example.text,
        word_count=examples.word_count(example.text), at=example.created_at, excluded=False,
        source=example.source, author=UserRef.model_validate(principal.user),
    )  # fmt: skip


@router.delete(
    "/contacts/{contact_id}/personality/examples/{example_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=GONE,
)
def delete_example(
    contact_id: uuid.UUID, example_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> Response:
    """Delete an example added by hand: its author, a supervisor or an administrator.
    (Messages are not deleted here; exclude them instead.)"""
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    service.delete_example(
        db=db, tenant=principal.tenant, principal=principal, contact_id=contact_id,
        example_id=example_id,
    )  # fmt: skip
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _set_excluded(
    db, principal, contact_id: uuid.UUID, message_id: uuid.UUID, excluded: bool
) -> ExclusionOut:
    contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    changed = service.set_excluded(
        db=db, tenant=principal.tenant, contact_id=contact_id, message_id=message_id,
        excluded=excluded, user_id=principal.user.id,
    )  # fmt: skip
    return ExclusionOut(message_id=message_id, excluded=excluded, changed=changed)


@router.post(
    "/contacts/{contact_id}/personality/exclusions/{message_id}",
    response_model=ExclusionOut,
    responses=GONE,
)
def exclude_message(
    contact_id: uuid.UUID, message_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> ExclusionOut:
    """Leave one of the contact's messages out of the analysis (e.g. text they pasted or
    quoted). Idempotent; the profile is brought up to date in the same request."""
    return _set_excluded(db, principal, contact_id, message_id, excluded=True)


@router.delete(
    "/contacts/{contact_id}/personality/exclusions/{message_id}",
    response_model=ExclusionOut,
    responses=GONE,
)
def include_message(
    contact_id: uuid.UUID, message_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal
) -> ExclusionOut:
    """Take an excluded message back into the analysis. Idempotent."""
    return _set_excluded(db, principal, contact_id, message_id, excluded=False)


TEXT_BODY = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}, "example": "I have been a customer..."},
        "application/json": {
            "schema": {
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {
                            "content_items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        "content": {"type": "string"},
                                        "contenttype": {
                                            "type": "string",
                                            "enum": ["text/plain", "text/html"],
                                        },
                                    },
                                    "required": ["content"],
                                },
                            }
                        },
                        "required": ["content_items"],
                    },
                    {"type": "array", "items": {"type": "string"}},
                ]
            }
        },
    },
}


@router.post(
    "/personality/profile",
    response_model=PROFILE_RESPONSE,
    openapi_extra={"requestBody": TEXT_BODY},
    responses={
        413: {"model": ErrorOut, "description": "More than 1 MB posted."},
        415: {"model": ErrorOut, "description": "Neither text/plain nor application/json."},
    },
)
async def analyze_text(request: Request, principal: CurrentPrincipal) -> dict:
    """Profile posted text without storing it (for integrators and evaluations).

    Send the text as `text/plain`, as Watson's JSON
    `{"content_items": [{"content": "...", "contenttype": "text/plain"}]}` (`text/html` items
    are reduced to their text), or as a JSON list of strings (several messages by the same
    person). Answers the same two shapes as the contact profile (`contact_id` null): under
    100 words, `status: "not_enough_text"` with `words_needed`. Only the first 250 KB are
    analysed."""
    texts = texts_from_body(await request.body(), request.headers.get("content-type"))
    # Analysis is CPU work (about 5 ms per 1,000 words): keep it off the event loop.
    result = await run_in_threadpool(service.analyze_texts, tenant=principal.tenant, texts=texts)
    if isinstance(result, service.NotEnoughText):
        return service.presented_not_enough(result)
    return service.presented(result)
