"""Administrator settings pages: users and their roles, and API tokens."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.core.errors import Conflict, ValidationFailed
from rapport.users import service
from rapport.users.models import ROLES
from rapport.web.deps import CSRF_PROTECTED, PostedForm, UiPrincipal, form_text
from rapport.web.session import get_session
from rapport.web.templating import render

router = APIRouter(prefix="/settings", include_in_schema=False, dependencies=CSRF_PROTECTED)
USER_LABELS = {"email": "Email", "name": "Name", "role": "Role", "password": "Password"}


def _admin(principal: Principal, action: str) -> Principal:
    principal.require("admin", action)
    return principal


@router.get("")
def settings_home(principal: UiPrincipal) -> Response:
    _admin(principal, "open the settings")
    return RedirectResponse("/settings/users", status_code=303)


def _users_page(
    request: Request,
    db,
    principal: Principal,
    form: dict | None = None,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "users": service.list_users(db=db, tenant_id=principal.tenant_id),
        "roles": ROLES,
        "form": form or {"role": "agent"},
        "errors": errors or {},
        "labels": USER_LABELS,
        "title": "Users",
        "tab": "users",
    }
    return render(
        request, "settings/users.html", context, principal=principal, status_code=status_code
    )


@router.get("/users")
def users_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    _admin(principal, "manage users")
    return _users_page(request, db, principal)


@router.post("/users")
def create_user(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    _admin(principal, "manage users")
    form = {name: form_text(posted, name) or "" for name in USER_LABELS}
    try:
        user = service.create(
            db=db,
            tenant_id=principal.tenant_id,
            email=form["email"],
            role=form["role"],
            name=form["name"],
            password=form["password"] or None,
        )
    except ValidationFailed as exc:
        db.rollback()
        form["password"] = ""
        return _users_page(request, db, principal, form, exc.by_field(), 422)
    except Conflict as exc:
        db.rollback()
        form["password"] = ""
        return _users_page(request, db, principal, form, {"email": exc.message}, 409)
    get_session(request).flash(f"User {user.email} added as {user.role}.")
    return RedirectResponse("/settings/users", status_code=303)


@router.post("/users/{user_id}")
def change_user(
    request: Request,
    user_id: uuid.UUID,
    db: DbSession,
    principal: UiPrincipal,
    posted: PostedForm,
) -> Response:
    """Change a user's role, or deactivate or reactivate them."""
    _admin(principal, "manage users")
    user = service.get(db=db, tenant_id=principal.tenant_id, user_id=user_id)
    changes: dict = {}
    if form_text(posted, "role"):
        changes["role"] = form_text(posted, "role")
    if form_text(posted, "active") in ("0", "1"):
        changes["is_active"] = form_text(posted, "active") == "1"
    email = user.email
    try:
        service.update(db=db, user=user, changes=changes)
    except ValidationFailed as exc:
        db.rollback()
        get_session(request).flash(f"{email}: {exc.message}", "error")
        return RedirectResponse("/settings/users", status_code=303)
    except Conflict as exc:  # the workspace's last administrator
        db.rollback()
        get_session(request).flash(exc.message, "error")
        return RedirectResponse("/settings/users", status_code=303)
    state = "" if user.is_active else " (deactivated)"
    get_session(request).flash(f"{user.email} is now {user.role}{state}.")
    return RedirectResponse("/settings/users", status_code=303)


def _tokens_page(
    request: Request,
    db,
    principal: Principal,
    *,
    created: tuple | None = None,
    errors: dict | None = None,
    status_code: int = 200,
) -> Response:
    users = {u.id: u for u in service.list_users(db=db, tenant_id=principal.tenant_id)}
    tokens = sorted(
        service.list_tokens(db=db, tenant_id=principal.tenant_id),
        key=lambda t: (t.revoked_at is not None, t.created_at),
    )
    context = {
        "tokens": tokens,
        "users": users,
        "created": created,
        "errors": errors or {},
        "title": "API tokens",
        "tab": "tokens",
    }
    response = render(
        request, "settings/tokens.html", context, principal=principal, status_code=status_code
    )
    if created:
        response.headers["Cache-Control"] = "no-store"  # the token must not linger in caches
    return response


@router.get("/tokens")
def tokens_page(request: Request, db: DbSession, principal: UiPrincipal) -> Response:
    _admin(principal, "manage API tokens")
    return _tokens_page(request, db, principal)


@router.post("/tokens")
def create_token(
    request: Request, db: DbSession, principal: UiPrincipal, posted: PostedForm
) -> Response:
    _admin(principal, "manage API tokens")
    owner = principal.user
    chosen = form_text(posted, "user_id")
    if chosen:
        try:
            owner = service.get(db=db, tenant_id=principal.tenant_id, user_id=uuid.UUID(chosen))
        except ValueError:
            owner = principal.user
    try:
        token, secret = service.create_token(db=db, user=owner, name=posted.get("name") or "")
    except ValidationFailed as exc:
        db.rollback()
        return _tokens_page(request, db, principal, errors=exc.by_field(), status_code=422)
    return _tokens_page(request, db, principal, created=(token, secret), status_code=201)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, token_id: uuid.UUID, db: DbSession, principal: UiPrincipal
) -> Response:
    _admin(principal, "manage API tokens")
    token = service.get_token(db=db, tenant_id=principal.tenant_id, token_id=token_id)
    service.revoke_token(db=db, token=token)
    get_session(request).flash(f"Token “{token.name}” revoked; it no longer works.")
    return RedirectResponse("/settings/tokens", status_code=303)
