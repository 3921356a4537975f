"""The supervisors' live board page: what waits, who is free, and how offers fare today.

The page reads the same board as `GET /api/v1/routing/board`; it re-reads its fragment on the
routing events of `/workspace/events` and every few seconds (a lapse or an aging wait moves
the numbers without an event).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rapport.core.auth import Principal
from rapport.core.db import utcnow
from rapport.core.deps import DbSession
from rapport.routing import board as routing_board
from rapport.web.deps import CSRF_PROTECTED, UiPrincipal
from rapport.web.templating import render

router = APIRouter(prefix="/board", include_in_schema=False, dependencies=CSRF_PROTECTED)
STATE_LABELS = {"available": "Available", "offered": "Offered", "busy": "Busy", "away": "Away"}


def _context(db, principal: Principal) -> dict:
    principal.require("supervisor", "see the routing board")
    board = routing_board.board(db=db, tenant=principal.tenant)
    counts = dict.fromkeys(STATE_LABELS, 0)
    for agent in board.agents:
        counts[agent.state] += 1
    return {
        "board": board,
        "now": utcnow(),
        "waiting_total": sum(w.count for w in board.waiting),
        "state_counts": counts,
        "state_labels": STATE_LABELS,
    }


@router.get("")
def board_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    context = {"title": "Board", **_context(db, principal)}
    return render(request, "routing/board.html", context, principal=principal)


@router.get("/live")
def board_fragment(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    """The board's numbers alone, fetched by the page on an event or a short refresh."""
    return render(request, "routing/_board.html", _context(db, principal), principal=principal)
