"""REST routes for push routing: your offers, accepting or rejecting one, the live board."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.errors import Forbidden
from rapport.core.schemas import ERROR_RESPONSES, ErrorOut
from rapport.routing import board as routing_board
from rapport.routing import offers
from rapport.routing.api import _pop
from rapport.routing.schemas import OfferOut, ScreenPop

router = APIRouter(prefix="/api/v1", tags=["routing"], responses=ERROR_RESPONSES)
CONFLICT = {409: {"model": ErrorOut, "description": "The offer lapsed or was rejected."}}


@router.get("/me/offers", response_model=list[OfferOut])
def my_offers(db: DbSession, principal: CurrentPrincipal) -> list[OfferOut]:
    """Your pending offer (push routing), with the moment its countdown ends.

    The `offer.created` event on `/api/v1/queue/events` says the same as it happens."""
    return [OfferOut.model_validate(o) for o in offers.pending_for(db=db, agent=principal.user)]


@router.post("/offers/{offer_id}/accept", response_model=ScreenPop, responses=CONFLICT)
def accept_offer(offer_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal) -> ScreenPop:
    """Take the offered workitem: the answer is its screen pop, as for accept-next."""
    interaction = offers.accept(db=db, principal=principal, offer_id=offer_id)
    return _pop(db, principal, interaction)


@router.post("/offers/{offer_id}/reject", response_model=OfferOut, responses=CONFLICT)
def reject_offer(offer_id: uuid.UUID, db: DbSession, principal: CurrentPrincipal) -> OfferOut:
    """Hand the workitem back: it returns to its place in the queue and is offered to the
    next agent (not to you again for the tenant's cool-down)."""
    return OfferOut.model_validate(offers.reject(db=db, principal=principal, offer_id=offer_id))


@router.get("/routing/board", response_model=routing_board.BoardOut)
def board(db: DbSession, principal: CurrentPrincipal) -> routing_board.BoardOut:
    """Supervisors: waiting per channel and priority, the oldest wait, agents and their
    state (available, offered, busy, away), and offers lapsed today."""
    if not principal.can("supervisor"):
        raise Forbidden("Only supervisors see the routing board.", required_role="supervisor")
    return routing_board.board(db=db, tenant=principal.tenant)
