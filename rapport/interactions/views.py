"""The History tab of a contact (searchable, filtered) and the page of one interaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rapport.contacts import service as contacts_service
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import FieldCollector, NotFound, ValidationFailed
from rapport.interactions import service, transcript
from rapport.interactions.models import CHANNELS, STATES, Interaction
from rapport.notes import service as notes_service
from rapport.notes.views import note_rows
from rapport.search import history
from rapport.users import service as users_service
from rapport.web.deps import UiPrincipal
from rapport.web.templating import CHANNEL_LABELS, render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 25
STATE_LABELS = {s: s.capitalize() for s in STATES}


@dataclass
class HistoryRow:
    interaction: Interaction
    agent: str | None
    duration: str
    snippet: str | None  # already escaped by the search service, matches in <mark>


def duration_of(interaction: Interaction) -> str:
    """'4 min 05 s', '1 h 03 min', or '' while it has not ended."""
    if interaction.ended_at is None:
        return ""
    seconds = max(0, int((interaction.ended_at - interaction.started_at).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


def _day_start(errors: FieldCollector, name: str, value: str, zone: str) -> datetime | None:
    """A date typed in a filter, as the start of that day in the tenant's time zone."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors.add(name, "must be a date such as 2025-01-31")
        return None
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def _agent_names(db: Session, principal: Principal, interactions: list[Interaction]) -> dict:
    users = service.agents_by_id(
        db=db, tenant_id=principal.tenant_id, ids={i.agent_id for i in interactions if i.agent_id}
    )
    return {user_id: user.name or user.email for user_id, user in users.items()}


@router.get("/contacts/{contact_id}/history")
def history_tab(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    q: str = "",
    channel: str = "",
    state: str = "",
    agent: str = "",
    started_from: Annotated[str, Query(alias="from")] = "",
    started_to: Annotated[str, Query(alias="to")] = "",
    cursor: str = "",
) -> Response:
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    zone = principal.tenant.time_zone
    errors = FieldCollector()
    agents = users_service.list_users(db=db, tenant_id=principal.tenant_id)
    agent_id = None
    if agent:
        agent_id = next((u.id for u in agents if str(u.id) == agent), None)
        if agent_id is None:
            errors.add("agent", "is not a user of this workspace")
    start = _day_start(errors, "from", started_from, zone)
    end = _day_start(errors, "to", started_to, zone)
    filters = history.HistoryFilters(
        contact_id=contact.id,
        channel=channel if channel in CHANNELS else None,
        state=state if state in STATES else None,
        agent_id=agent_id,
        started_from=start,
        # "To" is the last day included, as people read a date range.
        started_to=end + timedelta(days=1) if end else None,
        q=q or None,
    )
    hits: list[history.Hit] = []
    next_cursor = None
    try:
        errors.raise_if_any()
        hits, next_cursor = history.history(
            db=db, tenant_id=principal.tenant_id, filters=filters, limit=PAGE_SIZE,
            cursor=cursor or None,
        )  # fmt: skip
    except ValidationFailed as exc:
        errors_by_field = {k.removeprefix("query."): v for k, v in exc.by_field().items()}
    else:
        errors_by_field = {}
    names = _agent_names(db, principal, [h.interaction for h in hits])
    rows = [
        HistoryRow(h.interaction, names.get(h.interaction.agent_id), duration_of(h.interaction),
                   h.snippet)
        for h in hits
    ]  # fmt: skip
    query = {
        "q": q, "channel": channel, "state": state, "agent": agent,
        "from": started_from, "to": started_to,
    }  # fmt: skip
    context = {
        "c": contact_out(contact),
        "active_tab": "history",
        "title": f"History · {contacts_service.display_name_of(contact)}",
        "rows": rows,
        "next_cursor": next_cursor,
        "paged": bool(cursor),
        "query": {k: v for k, v in query.items() if v},
        "errors": errors_by_field,
        "channels": [(ch, CHANNEL_LABELS[ch]) for ch in CHANNELS],
        "states": STATE_LABELS,
        "agents": [(str(u.id), u.name or u.email) for u in agents],
        "searching": bool(q),
    }
    return render(request, "interactions/history.html", context, principal=principal)


@router.get("/interactions/{interaction_id}")
def interaction_page(
    request: Request, interaction_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    interaction = service.get(db=db, tenant_id=principal.tenant_id, interaction_id=interaction_id)
    contact = None
    if interaction.contact_id is not None:
        try:
            contact = contacts_service.get(
                db=db, tenant_id=principal.tenant_id, contact_id=interaction.contact_id
            )
        except NotFound:
            contact = None
    notes = notes_service.list_for_interaction(
        db=db, tenant_id=principal.tenant_id, interaction_id=interaction.id
    )
    context = {
        "i": interaction,
        "c": contact_out(contact) if contact else None,
        "title": interaction.subject or "Interaction",
        "agent": _agent_names(db, principal, [interaction]).get(interaction.agent_id),
        "duration": duration_of(interaction),
        "messages": transcript.list_messages(db=db, interaction=interaction),
        "agent_zone": principal.tenant.time_zone,
        "contact_zone": contact.time_zone if contact else None,
        "rows": note_rows(db, principal, notes, [(str(interaction.id), "this interaction")]),
        "new_form": {"interaction_id": str(interaction.id)},
    }
    return render(request, "interactions/detail.html", context, principal=principal)
