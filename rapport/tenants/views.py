"""Administrator settings page for the workspace (tenant) itself."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.contacts.forms import country_choices, time_zone_choices
from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import ValidationFailed
from rapport.core.inputs import plain_number
from rapport.tenants import service
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/settings", include_in_schema=False, dependencies=CSRF_PROTECTED)
LABELS = {
    "name": "Workspace name",
    "default_country": "Default country",
    "time_zone": "Default time zone",
    "default_priority": "Default priority",
    "personality_insights_enabled": "Personality Insights",
}


def _page(
    request: Request,
    principal: Principal,
    form: dict,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "form": form,
        "errors": errors or {},
        "labels": LABELS,
        "countries": country_choices(),
        "time_zones": time_zone_choices(),
        "title": "Workspace settings",
        "tab": "tenant",
    }
    return render(
        request, "settings/tenant.html", context, principal=principal, status_code=status_code
    )


@router.get("/tenant")
def tenant_page(request: Request, principal: UiPrincipal) -> Response:
    principal.require("admin", "change tenant settings")
    form = {name: getattr(principal.tenant, name) for name in LABELS}
    return _page(request, principal, form)


@router.post("/tenant")
def save_tenant(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    principal.require("admin", "change tenant settings")
    priority = form_text(posted, "default_priority")
    changes = {
        "name": form_text(posted, "name"),
        "default_country": form_text(posted, "default_country"),
        "time_zone": form_text(posted, "time_zone"),
        "default_priority": plain_number(priority) or priority,
        # An unticked checkbox is simply absent from the form.
        "personality_insights_enabled": posted.get("personality_insights_enabled") == "on",
    }
    try:
        service.update_settings(
            db=db, tenant=principal.tenant, changes=changes, actor=principal.actor
        )
    except ValidationFailed as exc:
        db.rollback()
        return _page(request, principal, changes, exc.by_field(), 422)
    get_session(request).flash("Workspace settings saved.")
    return RedirectResponse("/settings/tenant", status_code=303)
