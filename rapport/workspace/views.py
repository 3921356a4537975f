"""The workspace page: availability, the live queue, and taking the next workitem.

The queue is pushed, not polled: the page listens to `/workspace/events` (the routing
broadcaster, authenticated by the session rather than an API token) and, on a queue event,
fetches `/workspace/queue` (the queue fragment) and swaps it in.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse

from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, ValidationFailed
from rapport.routing import service as routing
from rapport.routing.events import broadcaster, sse_messages
from rapport.routing.models import AVAILABILITIES
from rapport.routing.present import queue_out
from rapport.routing.screen_pop import relink
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/workspace", include_in_schema=False, dependencies=CSRF_PROTECTED)
AVAILABILITY_LABELS = {"available": "Available", "busy": "Busy", "away": "Away"}


def _queue_context(db, principal: Principal) -> dict:
    # The agent sees what accept-next can give them: the queue on their own channels.
    waiting = routing.waiting(db=db, tenant=principal.tenant, channels=principal.user.channels)
    return {"queue": queue_out(db=db, tenant=principal.tenant, interactions=waiting).items}


@router.get("")
def workspace_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    context = {
        "title": "Workspace",
        "availabilities": [(a, AVAILABILITY_LABELS[a]) for a in AVAILABILITIES],
        **_queue_context(db, principal),
    }
    return render(request, "workspace/page.html", context, principal=principal)


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
        routing.set_availability(db=db, agent=principal.user, availability=chosen)
    except ValidationFailed as exc:
        db.rollback()
        message = exc.by_field().get("availability")
        get_session(request).flash(f"Availability {message}.", "error")
    else:
        get_session(request).flash(f"You are {AVAILABILITY_LABELS[chosen].lower()}.")
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
