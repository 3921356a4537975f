"""Audit pages: a contact's Activity tab, and the tenant-wide trail for administrators."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rapport.audit import service
from rapport.audit.present import account_names, event_rows
from rapport.contacts import service as contacts_service
from rapport.contacts.present import contact_out
from rapport.core.deps import DbSession
from rapport.core.inputs import Cursor, in_range
from rapport.users import service as users_service
from rapport.web.deps import CSRF_PROTECTED, UiPrincipal
from rapport.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=CSRF_PROTECTED)
PAGE_SIZE = 25
RECORD_TYPES = {"contact": "Contact", "account": "Account", "note": "Note", "tenant": "Workspace",
                "webhook_endpoint": "Webhook endpoint"}  # fmt: skip
FILTER_LABELS = {"user": "User", "record_type": "Record type", "record_id": "Record id",
                 "from": "From", "to": "To"}  # fmt: skip


@router.get("/contacts/{contact_id}/activity")
def contact_activity(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    cursor: Cursor = None,
) -> Response:
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    events, next_cursor = service.list_events(
        db=db, tenant_id=principal.tenant_id, record_type="contact", record_id=contact.id,
        limit=PAGE_SIZE, cursor=cursor or None,
    )  # fmt: skip
    context = {
        "contact": contact_out(contact),
        "title": f"Activity · {contacts_service.display_name_of(contact)}",
        "rows": event_rows(events, account_names(db, principal.tenant_id, events)),
        "next_cursor": next_cursor,
        "paged": bool(cursor),
    }
    return render(request, "audit/activity.html", context, principal=principal)


def _parse_filters(params: dict[str, str], zone: str) -> tuple[dict[str, object], dict[str, str]]:
    """The audit filters typed in the form, as list_events arguments, and any field errors.
    Dates are whole days in the workspace's time zone; "to" includes its day."""
    args: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name, arg in (("user", "actor_user_id"), ("record_id", "record_id")):
        if params.get(name):
            try:
                args[arg] = uuid.UUID(params[name])
            except ValueError:
                errors[name] = "is not a valid id"
    if params.get("record_type"):
        if params["record_type"] in RECORD_TYPES:
            args["record_type"] = params["record_type"]
        else:
            errors["record_type"] = "is not a known record type"
    for name, arg, shift in (("from", "since", 0), ("to", "until", 1)):
        if params.get(name):
            try:
                day = date.fromisoformat(params[name]) + timedelta(days=shift)
                args[arg] = in_range(datetime.combine(day, time(), tzinfo=ZoneInfo(zone)))
            except (ValueError, OverflowError):
                errors[name] = "is not a date (YYYY-MM-DD)"
    if "since" in args and "until" in args and args["since"] >= args["until"]:
        errors["to"] = "must not be before From"
    return args, errors


@router.get("/settings/audit")
def tenant_audit(
    request: Request,
    db: DbSession,
    principal: UiPrincipal,
    user: str = "",
    record_type: str = "",
    record_id: str = "",
    cursor: Cursor = None,
) -> Response:
    principal.require("admin", "read the audit trail")
    # "from" and "to" are Python keywords, so they are read from the query string directly.
    params = {
        "user": user.strip(),
        "record_type": record_type.strip(),
        "record_id": record_id.strip(),
        "from": request.query_params.get("from", "").strip(),
        "to": request.query_params.get("to", "").strip(),
    }
    args, errors = _parse_filters(params, principal.tenant.time_zone or "UTC")
    events, next_cursor = [], None
    if not errors:
        events, next_cursor = service.list_events(
            db=db, tenant_id=principal.tenant_id, limit=PAGE_SIZE, cursor=cursor or None, **args
        )
    context = {
        "title": "Audit trail",
        "tab": "audit",
        "rows": event_rows(events, account_names(db, principal.tenant_id, events)),
        "next_cursor": next_cursor,
        "paged": bool(cursor),
        "filters": params,
        "query": {k: v for k, v in params.items() if v},
        "errors": errors,
        "labels": FILTER_LABELS,
        "users": users_service.list_users(db=db, tenant_id=principal.tenant_id),
        "record_types": RECORD_TYPES,
    }
    status_code = 422 if errors else 200
    return render(
        request, "audit/tenant.html", context, principal=principal, status_code=status_code
    )
