"""The workspace page: availability, the live queue, and taking the next workitem.

The queue is pushed, not polled: the page listens to `/workspace/events` (the routing
broadcaster, authenticated by the session rather than an API token) and, on a queue event,
fetches `/workspace/queue` (the queue fragment) and swaps it in.
"""

from __future__ import annotations

import math
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse

from rapport.contacts.models import Contact
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.db import utcnow
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, ValidationFailed
from rapport.interactions.models import Interaction
from rapport.routing import offers
from rapport.routing import service as routing
from rapport.routing.events import broadcaster, sse_messages
from rapport.routing.models import AVAILABILITIES, MAX_CAPACITY
from rapport.routing.present import queue_out
from rapport.routing.screen_pop import relink
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import CHANNEL_LABELS, render

router = APIRouter(prefix="/workspace", include_in_schema=False, dependencies=CSRF_PROTECTED)
AVAILABILITY_LABELS = {"available": "Available", "busy": "Busy", "away": "Away"}


def _queue_context(db, principal: Principal) -> dict:
    # The agent sees what accept-next can give them: the queue on their own channels.
    waiting = routing.waiting(db=db, tenant=principal.tenant, channels=principal.user.channels)
    return {"queue": queue_out(db=db, tenant=principal.tenant, interactions=waiting).items}


def _offer_context(db, principal: Principal) -> dict:
    pending = offers.pending_for(db=db, agent=principal.user)
    if not pending:
        return {"offer": None}
    offer, now = pending[0], utcnow()
    item = db.get(Interaction, (offer.tenant_id, offer.interaction_id))
    caller = db.get(Contact, (item.tenant_id, item.contact_id)) if item.contact_id else None
    return {"offer": {
        "id": offer.id, "item": item, "caller": contact_out(caller) if caller else None,
        "seconds_left": max(0, math.ceil((offer.expires_at - now).total_seconds())),
        "waited": int((now - (item.queued_at or now)).total_seconds()),
    }}  # fmt: skip


@router.get("/offer")
def offer_fragment(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    """The agent's pending offer alone, fetched by the page when an event says it changed."""
    return render(request, "workspace/_offer.html", _offer_context(db, principal),
                  principal=principal)  # fmt: skip


@router.post("/offers/{offer_id}/accept")
def accept_offer(
    request: Request, offer_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    try:
        interaction = offers.accept(db=db, principal=principal, offer_id=offer_id)
    except Conflict as exc:
        return _refused(request, exc)
    return _handle(request, db, principal, interaction)


@router.post("/offers/{offer_id}/reject")
def reject_offer(
    request: Request, offer_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    try:
        offers.reject(db=db, principal=principal, offer_id=offer_id)
    except Conflict as exc:
        return _refused(request, exc)
    get_session(request).flash("Offer rejected; it goes to the next agent.")
    return RedirectResponse("/workspace", status_code=303)


def _workspace(
    request: Request,
    db,
    principal: Principal,
    *,
    capacity_errors: dict[str, str] | None = None,
    capacity_typed: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "title": "Workspace",
        "availabilities": [(a, AVAILABILITY_LABELS[a]) for a in AVAILABILITIES],
        "max_capacity": MAX_CAPACITY,
        "capacity_errors": capacity_errors or {},
        "capacity_typed": capacity_typed or {},
        **_queue_context(db, principal),
        **_offer_context(db, principal),
    }
    return render(
        request, "workspace/page.html", context, principal=principal, status_code=status_code
    )


@router.get("")
def workspace_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    return _workspace(request, db, principal)


@router.get("/queue")
def queue_fragment(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    """The queue table alone, fetched by the page when an event says the queue changed."""
    context = _queue_context(db, principal)
    return render(request, "workspace/_queue.html", context, principal=principal)


@router.get("/events")
async def queue_events(principal: UiPrincipal) -> EventSourceResponse:
    """The tenant's queue events for the signed-in page (same events as the API stream)."""
    subscription = broadcaster.open(principal.tenant_id)  # before `ready`: nothing is missed
    ready = {"tenant": principal.tenant.slug}
    return EventSourceResponse(sse_messages(subscription, ready), ping=15)


@router.post("/availability")
def save_availability(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    chosen = form_text(posted, "availability") or ""
    try:
        offers.set_presence(db=db, agent=principal.user, availability=chosen)
    except ValidationFailed as exc:
        db.rollback()
        message = exc.by_field().get("availability")
        get_session(request).flash(f"Availability {message}.", "error")
    else:
        get_session(request).flash(f"You are {AVAILABILITY_LABELS[chosen].lower()}.")
    return RedirectResponse("/workspace", status_code=303)


@router.post("/capacity")
def save_capacity(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    """How many workitems of each of the agent's channels they take at once."""
    typed = {
        f"capacity.{channel}": (form_text(posted, f"capacity.{channel}") or "")
        for channel in principal.user.channels
    }
    # Digits become numbers; anything else goes to the service as typed, which names it.
    capacity = {
        name.removeprefix("capacity."): int(value) if value.isdigit() else value
        for name, value in typed.items()
    }
    try:
        offers.set_presence(db=db, agent=principal.user, capacity=capacity)
    except ValidationFailed as exc:
        db.rollback()
        errors = {
            name: f"{CHANNEL_LABELS.get(name.removeprefix('capacity.'), name)} {message}."
            for name, message in exc.by_field().items()
        }
        return _workspace(request, db, principal, capacity_errors=errors,
                          capacity_typed=typed, status_code=422)  # fmt: skip
    get_session(request).flash("Capacity saved.")
    return RedirectResponse("/workspace", status_code=303)


def _handle(request: Request, db, principal: Principal, interaction) -> Response:
    # An address unknown when the workitem arrived may match a contact created since.
    relink(db=db, tenant=principal.tenant, interaction=interaction)
    return RedirectResponse(f"/workspace/interactions/{interaction.id}", status_code=303)


def _refused(request: Request, exc: Conflict) -> Response:
    get_session(request).flash(exc.message, "error")
    return RedirectResponse("/workspace", status_code=303)


@router.post("/accept")
def accept_next(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    """Take the first waiting workitem on the agent's channels and open its screen pop."""
    try:
        interaction = routing.accept_next(db=db, tenant=principal.tenant, agent=principal.user)
    except Conflict as exc:
        return _refused(request, exc)
    if interaction is None:
        get_session(request).flash("Nothing is waiting on your channels.", "warning")
        return RedirectResponse("/workspace", status_code=303)
    return _handle(request, db, principal, interaction)


@router.post("/interactions/{interaction_id}/accept")
def accept_one(
    request: Request, interaction_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    """Take this row of the queue (someone may have been quicker: that is explained)."""
    try:
        interaction = routing.accept(
            db=db, tenant=principal.tenant, agent=principal.user, interaction_id=interaction_id
        )
    except Conflict as exc:
        return _refused(request, exc)
    return _handle(request, db, principal, interaction)
