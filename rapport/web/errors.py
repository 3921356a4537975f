"""Errors on pages: a friendly page instead of JSON, and a redirect when not signed in."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rapport.core.errors import DomainError
from rapport.web.deps import SignInRequired
from rapport.web.templating import render

TITLES = {
    400: "That request did not make sense",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "That cannot be done now",
    412: "Changed meanwhile",
    429: "Too many attempts",
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


def install(app: FastAPI) -> None:
    """One handler per error kind: JSON for the API, a page for everything else."""

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        if is_api(request) or "rapport.session" not in request.scope:
            headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
            return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)
        return error_page(request, exc.status_code, exc.message)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_api(request) or "rapport.session" not in request.scope:
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        message = "There is no page at this address." if exc.status_code == 404 else exc.detail
        return error_page(request, exc.status_code, str(message))

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request) or "rapport.session" not in request.scope:
            from fastapi.exception_handlers import request_validation_exception_handler

            return await request_validation_exception_handler(request, exc)
        # A page address with a malformed id is simply a page that does not exist.
        return error_page(request, 404, "There is no page at this address.")
