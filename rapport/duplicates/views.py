"""Duplicate pages: candidate pairs to review, and merging them field by field.

Never automatic: a supervisor or an administrator looks at the contacts side by side,
picks the surviving value of each field that differs and which contact remains."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.contacts import service as contacts_service
from rapport.contacts.forms import LABELS
from rapport.contacts.models import Contact
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, NotFound, ValidationFailed
from rapport.duplicates import service
from rapport.duplicates.merge import KEYED_FIELDS, _value, merge, merged_values
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/duplicates", include_in_schema=False, dependencies=CSRF_PROTECTED)
# Custom attributes are merged key by key, so they are not picked as a whole.
CHOSEN_FIELDS = tuple(f for f in contacts_service.EDITABLE if f not in KEYED_FIELDS)


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    shown: list[str]  # the value of each contact, as the contact page shows it
    default_id: uuid.UUID | None  # whose value survives unless the user picks another
    differs: bool


def _shown(contact: Contact, field: str) -> str:
    out = contact_out(contact)
    text = {
        "account": f"{out.account.identifier} — {out.account.name}" if out.account else None,
        "phone": out.phone_display,
        "mobile": out.mobile_display,
        "fax": out.fax_display,
        "country": out.country_name,
        "state": out.state_name or out.state,
        "preferred_channels": ", ".join(out.preferred_channels),
        "priority": str(out.priority),
    }.get(field, getattr(out, field, None))
    return str(text) if text not in (None, "") else ""


def field_rows(contacts: list[Contact]) -> list[FieldRow]:
    """One row per field; the default choice is the value merge would keep on its own."""
    defaults = merged_values(contacts, {})
    newest_first = sorted(contacts, key=lambda c: c.updated_at, reverse=True)
    rows = []
    for field in CHOSEN_FIELDS:
        values = [_value(c, field) for c in contacts]
        default = next((c.id for c in newest_first if _value(c, field) == defaults[field]), None)
        rows.append(
            FieldRow(
                name=field,
                label=LABELS[field],
                shown=[_shown(c, field) for c in contacts],
                default_id=default,
                differs=any(v != values[0] for v in values),
            )
        )
    return rows


def _parse_ids(raw: str) -> list[uuid.UUID]:
    try:
        ids = [uuid.UUID(part.strip()) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise NotFound("Contact not found.") from None
    if len(ids) < 2 or len(set(ids)) != len(ids):
        raise NotFound("Choose two or more different contacts to merge.")
    return ids


@router.get("")
def duplicate_pairs(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    principal.require("supervisor", "review duplicates")
    pairs = service.list_pairs(db=db, tenant_id=principal.tenant_id, limit=100)
    context = {
        "title": "Duplicates",
        "pairs": [(contact_out(p.first), contact_out(p.second), p) for p in pairs],
    }
    return render(request, "duplicates/list.html", context, principal=principal)


def _merge_page(
    request: Request,
    db,
    principal: Principal,
    ids: list[uuid.UUID],
    *,
    picked: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    contacts = [
        contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=i) for i in ids
    ]
    context = {
        "title": "Merge contacts",
        "ids": ",".join(str(i) for i in ids),
        "contacts": [contact_out(c) for c in contacts],
        "rows": field_rows(contacts),
        "picked": picked or {},
        "errors": errors or {},
    }
    return render(
        request, "duplicates/merge.html", context, principal=principal,
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/merge")
def merge_page(request: Request, db: DbSession, principal: UiPrincipal, ids: str = "") -> Response:
    principal.require("supervisor", "merge contacts")
    return _merge_page(request, db, principal, _parse_ids(ids))


@router.post("/merge")
def merge_contacts(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    principal.require("supervisor", "merge contacts")
    ids = _parse_ids(form_text(posted, "ids") or "")
    picked = {k: v for k, v in posted.items() if isinstance(v, str)}
    try:
        survivor_id = uuid.UUID(form_text(posted, "survivor") or "")
        choices = {
            field: uuid.UUID(picked[f"field_{field}"])
            for field in CHOSEN_FIELDS
            if picked.get(f"field_{field}")
        }
    except ValueError:
        return _merge_page(request, db, principal, ids, picked=picked,
                           errors={"survivor": "Choose the contact that remains."})  # fmt: skip
    if survivor_id not in ids or any(c not in ids for c in choices.values()):
        return _merge_page(request, db, principal, ids, picked=picked,
                           errors={"survivor": "Choose one of the contacts shown."})  # fmt: skip
    try:
        survivor, _moved = merge(
            db=db, tenant=principal.tenant, survivor_id=survivor_id,
            merged_ids=[i for i in ids if i != survivor_id], choices=choices,
            actor=principal.actor,
        )  # fmt: skip
    except ValidationFailed as exc:
        db.rollback()
        errors = {k.removeprefix("fields."): v for k, v in exc.by_field().items()}
        return _merge_page(request, db, principal, ids, picked=picked, errors=errors)
    except Conflict as exc:
        db.rollback()
        errors = {exc.extra.get("field", "survivor"): exc.message}
        return _merge_page(request, db, principal, ids, picked=picked, errors=errors)
    name = contacts_service.display_name_of(survivor)
    get_session(request).flash(f"Merged {len(ids)} contacts into {name}.")
    return RedirectResponse(f"/contacts/{survivor.id}", status_code=303)
