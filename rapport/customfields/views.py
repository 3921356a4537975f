"""Settings → Custom fields: administrators define, change, delete and restore fields."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, ValidationFailed
from rapport.customfields import service
from rapport.customfields.models import FIELD_TYPES, ROLES
from rapport.web.deps import CSRF_PROTECTED, UiPrincipal, form_text
from rapport.web.templating import render

router = APIRouter(
    prefix="/settings/custom-fields", include_in_schema=False, dependencies=CSRF_PROTECTED
)
TYPE_LABELS = {
    "text": "Text",
    "long_text": "Long text",
    "number": "Whole number",
    "decimal": "Decimal",
    "date": "Date",
    "boolean": "Yes / no",
    "single_choice": "Single choice",
    "multiple_choice": "Multiple choice",
    "url": "Web address",
    "email": "Email",
    "phone": "Phone",
}
FLAGS = ("required", "show_in_list", "show_in_screen_pop", "show_in_exports")


def _values_from_form(form: FormData) -> dict[str, Any]:
    position = form_text(form, "position")
    return {
        "key": form_text(form, "key") or "",
        "label": form_text(form, "label"),
        "type": form_text(form, "type"),
        "help_text": form_text(form, "help_text"),
        "choices": [
            c.strip() for c in (form_text(form, "choices") or "").splitlines() if c.strip()
        ],
        "position": int(position) if position and position.lstrip("-").isdigit() else None,
        "edit_roles": [r for r in form.getlist("edit_roles") if r in ROLES],
        **{flag: form.get(flag) == "on" for flag in FLAGS},
    }


def _page(request, db, principal, form=None, errors=None, status_code=200) -> Response:
    context = {
        "title": "Custom fields",
        "tab": "custom_fields",
        "fields": service.definitions(db=db, tenant_id=principal.tenant_id, include_deleted=True),
        "types": TYPE_LABELS,
        "field_types": FIELD_TYPES,
        "roles": ROLES,
        "form": form or {"edit_roles": list(ROLES), "show_in_exports": True},
        "errors": errors or {},
    }
    return render(
        request,
        "settings/custom_fields.html",
        context,
        principal=principal,
        status_code=status_code,
    )


@router.get("")
def custom_fields_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    principal.require("admin", "define custom fields")
    return _page(request, db, principal)


@router.post("")
async def add_field(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    principal.require("admin", "define custom fields")
    form = await request.form()
    values = _values_from_form(form)
    try:
        service.create(
            db=db, tenant_id=principal.tenant_id, values=dict(values), actor=principal.actor
        )
    except (ValidationFailed, Conflict) as exc:
        db.rollback()
        errors = exc.by_field() if isinstance(exc, ValidationFailed) else {"key": exc.message}
        shown = values | {"choices": "\n".join(values["choices"])}
        return _page(request, db, principal, shown, errors, status_code=422)
    db.commit()
    return RedirectResponse("/settings/custom-fields", status_code=303)


@router.post("/{key}")
async def change_field(
    key: str, request: Request, db: DbSession, principal: UiPrincipal
) -> Response:
    """Rename, reorder, delete or restore a field from its row."""
    principal.require("admin", "change custom fields")
    field = service.get(db=db, tenant_id=principal.tenant_id, key=key)
    form = await request.form()
    action = form.get("action")
    try:
        if action == "delete":
            service.delete_field(db=db, field=field, actor=principal.actor)
        elif action == "restore":
            service.restore_field(db=db, field=field, actor=principal.actor)
        else:
            changes = {"label": form_text(form, "label")}
            if form_text(form, "position"):
                changes["position"] = int(form_text(form, "position") or 0)
            service.update_field(db=db, field=field, changes=changes, actor=principal.actor)
    except (ValidationFailed, ValueError) as exc:
        db.rollback()
        message = (
            "; ".join(exc.by_field().values())
            if isinstance(exc, ValidationFailed)
            else ("position must be a whole number")
        )
        return _page(request, db, principal, errors={f"row.{key}": message}, status_code=422)
    db.commit()
    return RedirectResponse("/settings/custom-fields", status_code=303)
