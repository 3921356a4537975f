"""The Jinja2 environment shared by every domain's pages, and the one `render` helper.

Templates live beside their domain (`rapport/contacts/templates/contacts/...`); the layout
and shared macros live in `rapport/web/templates/`. Names are prefixed by domain, so
`contacts/list.html` is found in the contacts package.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from rapport.contacts.present import address_lines
from rapport.core.auth import Principal
from rapport.web.session import get_session

PACKAGE = Path(__file__).resolve().parent.parent
# Every domain package with pages keeps a `templates/` folder; the layout comes first.
TEMPLATE_DIRS = [
    PACKAGE / "web" / "templates",
    *sorted(d for d in PACKAGE.glob("*/templates") if d.parent.name != "web"),
]
PRIORITY_LABELS = {1: "Highest", 2: "High", 3: "Normal", 4: "Low", 5: "Lowest"}
CHANNEL_LABELS = {"email": "Email", "chat": "Chat", "voice": "Voice", "sms": "SMS"}
ROLE_LABELS = {"agent": "Agent", "supervisor": "Supervisor", "admin": "Administrator"}


def zone_city(zone: str | None) -> str:
    """'America/New_York' -> 'New York': how people name a time zone."""
    if not zone:
        return ""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def format_datetime(value: datetime | None, zone: str | None = None) -> str:
    if value is None:
        return ""
    if zone:
        value = value.astimezone(ZoneInfo(zone))
    return value.strftime("%Y-%m-%d %H:%M")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(d) for d in TEMPLATE_DIRS]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["zone_city"] = zone_city
    env.filters["datetime"] = format_datetime
    env.filters["address_lines"] = address_lines
    env.globals.update(
        PRIORITY_LABELS=PRIORITY_LABELS,
        CHANNEL_LABELS=CHANNEL_LABELS,
        ROLE_LABELS=ROLE_LABELS,
    )
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    session = get_session(request)
    html = (
        environment()
        .get_template(template)
        .render(
            request=request,
            principal=principal,
            csrf_token=session.csrf_token,
            flashes=session.pop_flashes(),
            path=request.url.path,
            **(context or {}),
        )
    )
    return HTMLResponse(html, status_code=status_code)
