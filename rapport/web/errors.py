"""Errors on pages: a friendly page instead of JSON, and a redirect when not signed in."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from rapport.core.errors import DomainError, Gone
from rapport.web.deps import SignInRequired
from rapport.web.templating import render

TITLES = {
    400: "That request did not make sense",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "That cannot be done now",
    408: "That took too long",
    412: "Changed meanwhile",
    413: "That is too large",
    422: "That input cannot be used",
    429: "Too many attempts",
    503: "Busy for a moment",
}
# How long a client should wait before trying again when the database was busy.
BUSY_RETRY_AFTER_SECONDS = 1


HTTP_CODES = {
    400: "bad_request",  # e.g. a body that is not valid JSON
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/docs", "/openapi", "/redoc"))


def error_page(request: Request, status_code: int, message: str) -> Response:
    title = TITLES.get(status_code, "Something went wrong")
    return render(
        request,
        "error.html",
        {"title": title, "message": message, "status_code": status_code},
        status_code=status_code,
    )


def merged_contact_page(request: Request, survivor_id: str) -> Response:
    """A merged contact's old address leads to the contact it was merged into: bookmarks and
    links in old notes keep working. A form posted to it is not replayed on the survivor."""
    parts = request.url.path.split("/")
    if request.method == "GET" and len(parts) >= 3 and parts[1] == "contacts":
        parts[2] = survivor_id
        return RedirectResponse("/".join(parts), status_code=303)
    return render(
        request,
        "error.html",
        {
            "title": "Merged into another contact",
            "message": "This contact was merged into another one; nothing was changed.",
            "status_code": 410,
            "link": (f"/contacts/{survivor_id}", "Open the contact it was merged into"),
        },
        status_code=410,
    )


def install(app: FastAPI) -> None:
    """One handler per error kind: JSON for the API, a page for everything else."""

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        if is_api(request) or "rapport.session" not in request.scope:
            headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
            return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)
        if isinstance(exc, Gone) and exc.extra.get("survivor_id"):
            return merged_contact_page(request, exc.extra["survivor_id"])
        return error_page(request, exc.status_code, exc.message)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request) or "rapport.session" not in request.scope:
            # The API's one error shape: `code` too, as on every domain error.
            body = {"detail": exc.detail, "code": HTTP_CODES.get(exc.status_code, "http_error")}
            return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
        message = "There is no page at this address." if exc.status_code == 404 else exc.detail
        return error_page(request, exc.status_code, str(message))

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request) or "rapport.session" not in request.scope:
            from fastapi.exception_handlers import request_validation_exception_handler

            return await request_validation_exception_handler(request, exc)
        errors = exc.errors()
        if any(error["loc"][:1] == ("path",) for error in errors):
            # A page address with a malformed id is simply a page that does not exist.
            return error_page(request, 404, "There is no page at this address.")
        message = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'][1:])}: {error['msg']}" for error in errors
        )
        return error_page(request, 422, message)

    @app.exception_handler(OperationalError)
    async def _database_busy(request: Request, exc: OperationalError) -> Response:
        # SQLite lets one writer at a time; past busy_timeout a request is told to come back
        # shortly rather than that something broke. Anything else is a real failure.
        if "database is locked" not in str(exc.orig):
            raise exc
        message = "The database is busy; try again in a moment."
        headers = {"Retry-After": str(BUSY_RETRY_AFTER_SECONDS)}
        if is_api(request) or "rapport.session" not in request.scope:
            return JSONResponse({"detail": message, "code": "busy"}, 503, headers=headers)
        response = error_page(request, 503, message)
        response.headers.update(headers)
        return response
