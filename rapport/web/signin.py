"""Sign in and sign out of the workspace."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from rapport.core.deps import DbSession
from rapport.core.errors import Unauthorized
from rapport.users import service as users_service
from rapport.users import sessions
from rapport.web.client import client_ip
from rapport.web.deps import CSRF_PROTECTED, PostedForm, form_text
from rapport.web.session import WebSession, get_session
from rapport.web.templating import render
from rapport.web.throttle import LoginThrottle

router = APIRouter(include_in_schema=False, dependencies=CSRF_PROTECTED)


def safe_next(path: str | None) -> str:
    """Only a path of this site: never an open redirect to another one."""
    if path and path.startswith("/") and not path.startswith("//") and "\\" not in path:
        return path
    return "/contacts"


def _throttle(request: Request) -> LoginThrottle:
    return request.app.state.login_throttle


@router.get("/login")
def login_page(request: Request, next: str | None = None, workspace: str | None = None):
    if get_session(request).user_id:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(
        request,
        "signin/login.html",
        {"next": safe_next(next), "workspace": workspace or "", "show_workspace": bool(workspace)},
    )


@router.post("/login")
def login(request: Request, db: DbSession, form: PostedForm) -> Response:
    email = form_text(form, "email") or ""
    password = form.get("password") if isinstance(form.get("password"), str) else ""
    workspace = form_text(form, "workspace")
    next_path = safe_next(form_text(form, "next"))
    address = client_ip(request, request.app.state.settings)
    context = {"email": email, "workspace": workspace or "", "next": next_path}

    wait = _throttle(request).retry_after(email, address)
    if wait:
        minutes = max(1, round(wait / 60))
        context["error"] = (
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' * (minutes > 1)}."
        )
        response = render(request, "signin/login.html", context, status_code=429)
        response.headers["Retry-After"] = str(wait)
        return response
    try:
        user = users_service.authenticate_password(
            db=db, email=email, password=password or "", workspace=workspace
        )
    except users_service.WorkspaceRequired as exc:
        context.update(show_workspace=True, workspace_error=exc.message)
        return render(request, "signin/login.html", context, status_code=400)
    except Unauthorized as exc:
        _throttle(request).record_failure(email, address)
        context.update(error=exc.message, show_workspace=bool(workspace))
        return render(request, "signin/login.html", context, status_code=401)
    _throttle(request).record_success(email, address)
    session = get_session(request)
    _end_server_session(db, session)  # a session signed in again starts afresh
    key = sessions.start(db=db, user=user, max_age=request.app.state.settings.session_max_age)
    session.sign_in(user_id=str(user.id), tenant_id=str(user.tenant_id), key=key)
    return RedirectResponse(next_path, status_code=303)


def _end_server_session(db: DbSession, session: WebSession) -> None:
    if session.key and session.tenant_id:
        try:
            sessions.end(db=db, tenant_id=uuid.UUID(session.tenant_id), key=session.key)
        except ValueError:
            pass  # not a tenant id: there is no such session to end


@router.post("/logout")
def logout(request: Request, db: DbSession) -> Response:
    """Ends the session on the server too: a copy of the cookie no longer signs anyone in."""
    session = get_session(request)
    _end_server_session(db, session)
    session.sign_out()
    return RedirectResponse("/login", status_code=303)
