"""A person's data on pages: download everything about a contact, or erase it."""

from __future__ import annotations

import json
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.contacts import service as contacts_service
from rapport.contacts.present import contact_out
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.privacy import service
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/contacts", include_in_schema=False, dependencies=CSRF_PROTECTED)


@router.get("/{contact_id}/export")
def export_personal_data(contact_id: uuid.UUID, db: DbSession, principal: UiPrincipal) -> Response:
    principal.require("supervisor", "export a person's data")
    document = service.export(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="contact-{contact_id}.json"',
            "Cache-Control": "no-store",  # personal data: never kept by a shared cache
        },
    )


def _erase_page(
    request: Request, db, principal: Principal, contact_id: uuid.UUID, errors: dict | None = None
) -> Response:
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    context = {
        "c": contact_out(contact),
        "title": f"Erase {contacts_service.display_name_of(contact)}",
        "errors": errors or {},
    }
    return render(
        request, "privacy/erase.html", context, principal=principal,
        status_code=422 if errors else 200,
    )  # fmt: skip


@router.get("/{contact_id}/erase")
def confirm_erase(
    request: Request, contact_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    principal.require("admin", "erase a person's data")
    return _erase_page(request, db, principal, contact_id)


@router.post("/{contact_id}/erase")
def erase_personal_data(
    request: Request,
    contact_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    principal.require("admin", "erase a person's data")
    if form_text(posted, "confirm") != "yes":
        return _erase_page(
            request, db, principal, contact_id,
            errors={"confirm": "Tick the box to confirm: erasure cannot be undone."},
        )  # fmt: skip
    contact = contacts_service.get(db=db, tenant_id=principal.tenant_id, contact_id=contact_id)
    name = contacts_service.display_name_of(contact)
    service.erase(
        db=db, tenant_id=principal.tenant_id, contact_id=contact.id, confirm=True,
        actor=principal.actor,
    )  # fmt: skip
    get_session(request).flash(f"Everything about {name} was erased.")
    return RedirectResponse("/contacts", status_code=303)
