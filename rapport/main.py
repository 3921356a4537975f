"""The web application: API routers, pages, error rendering, health checks."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.engine import Engine

from rapport import __version__
from rapport.accounts.api import router as accounts_router
from rapport.audit.api import router as audit_router
from rapport.contacts.api import router as contacts_router
from rapport.core.config import Settings, get_settings
from rapport.core.db import make_engine, make_session_factory
from rapport.core.errors import DomainError
from rapport.duplicates.api import router as duplicates_router
from rapport.interactions.api import router as interactions_router
from rapport.notes.api import router as notes_router
from rapport.routing.api import router as routing_router
from rapport.tenants.api import router as tenants_router
from rapport.users.api import router as users_router

API_DESCRIPTION = """
The Contacts workspace of a contact center: contacts, accounts, notes, interactions and
their transcripts, routing priority and personality insights.

Authenticate with an API token created by an administrator (`rapport token create` or the
Settings page): `Authorization: Bearer <token>`. Every record belongs to the token's tenant;
a record of another tenant answers 404. Invalid input answers 422 with the field (`loc`)
and the reason (`msg`); nothing is changed by a failed request.
"""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url)
    app = FastAPI(title="Rapport", version=__version__, description=API_DESCRIPTION)
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(exc.to_dict(), status_code=exc.status_code, headers=headers)

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    def readyz() -> JSONResponse:
        """The database answers."""
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001 - any failure means not ready
            return JSONResponse({"status": "unavailable", "detail": str(exc)[:200]}, 503)
        return JSONResponse({"status": "ok", "database": engine.dialect.name})

    routers = (
        duplicates_router,  # before contacts: /contacts/merge is not a contact id
        contacts_router,
        accounts_router,
        users_router,
        tenants_router,
        audit_router,
    )
    for router in routers:
        app.include_router(router)
    for router in (interactions_router, notes_router, routing_router):
        app.include_router(router)
    return app
