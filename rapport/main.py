"""The web application: API routers, pages, error rendering, health checks."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from sqlalchemy.engine import Engine

from rapport import __version__
from rapport import models as _models  # noqa: F401 - every table and domain hook
from rapport.accounts.api import router as accounts_router
from rapport.accounts.views import router as account_pages
from rapport.audit.api import router as audit_router
from rapport.audit.views import router as audit_pages
from rapport.contacts.api import router as contacts_router
from rapport.contacts.views import router as contact_pages
from rapport.core import idempotency, pagination
from rapport.core import openapi as api_description
from rapport.core.config import Settings, get_settings
from rapport.core.db import make_engine, make_session_factory
from rapport.core.replica import Replica
from rapport.core.schemas import NotReadyOut, ReadyOut
from rapport.customfields.api import router as custom_fields_router
from rapport.customfields.views import router as custom_field_pages
from rapport.duplicates.api import router as duplicates_router
from rapport.duplicates.views import router as duplicate_pages
from rapport.exports.api import router as exports_router
from rapport.exports.views import router as export_pages
from rapport.imports import worker as imports_worker
from rapport.imports.api import router as imports_router
from rapport.imports.views import router as import_pages
from rapport.insights.api import router as insights_router
from rapport.insights.views import router as personality_pages
from rapport.insights.watson_api import router as watson_router
from rapport.interactions.api import router as interactions_router
from rapport.interactions.views import router as interaction_pages
from rapport.notes.api import router as notes_router
from rapport.notes.views import router as note_pages
from rapport.privacy.api import router as privacy_router
from rapport.privacy.views import router as privacy_pages
from rapport.routing import clock as offer_clock
from rapport.routing import listener as events_listener
from rapport.routing.api import router as routing_router
from rapport.routing.offers_api import router as offers_router
from rapport.routing.views import router as board_pages
from rapport.search.api import router as search_router
from rapport.search.views import router as search_pages
from rapport.tenants.api import router as tenants_router
from rapport.tenants.views import router as tenant_pages
from rapport.users.api import router as users_router
from rapport.users.last_use import LastUseRecorder
from rapport.users.views import router as settings_pages
from rapport.web import errors as web_errors
from rapport.web.headers import SecurityHeadersMiddleware
from rapport.web.limits import RequestGuard, storable_query
from rapport.web.session import SessionMiddleware
from rapport.web.signin import router as signin_router
from rapport.web.throttle import LoginThrottle
from rapport.webhooks import worker as webhooks_worker
from rapport.webhooks.api import router as webhooks_router
from rapport.webhooks.views import router as webhook_pages
from rapport.workspace.handling import router as workitem_pages
from rapport.workspace.views import router as workspace_pages

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "web" / "static"

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
    app = FastAPI(
        title="Rapport",
        version=__version__,
        description=API_DESCRIPTION,
        dependencies=[Depends(storable_query)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    if settings.database_replica_url:
        app.state.replica = Replica(settings.database_replica_url, settings.replica_max_lag_s)
    app.state.token_uses = LastUseRecorder()
    secret_key = settings.resolved_secret_key()
    pagination.use_secret(secret_key)

    app.state.login_throttle = LoginThrottle()
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret_key,
        max_age=settings.session_max_age,
    )
    app.add_middleware(
        RequestGuard,
        max_body=settings.max_upload_mb * 1024 * 1024,
        read_timeout=settings.body_timeout,
    )
    # Outermost: every answer gets the headers, errors and redirects included.
    app.add_middleware(SecurityHeadersMiddleware)
    web_errors.install(app)
    idempotency.install(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """The process is alive."""
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["health"],
        response_model=None,
        responses={
            200: {"model": ReadyOut, "description": "Ready: the database answers."},
            503: {"model": NotReadyOut, "description": "Not ready: the database is unreachable."},
        },
    )
    def readyz() -> JSONResponse:
        """The database answers."""
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure means not ready
            # The reason goes to the log, not to whoever asks: it may name hosts and users.
            log.exception("readiness check: the database does not answer")
            return JSONResponse({"status": "unavailable"}, 503)
        return JSONResponse({"status": "ok", "database": engine.dialect.name})

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/contacts", status_code=303)

    imports_worker.attach(app)
    events_listener.attach(app)
    offer_clock.attach(app)
    webhooks_worker.attach(app)
    routers = (
        exports_router,  # before contacts: /contacts/export is not a contact id
        imports_router,
        duplicates_router,  # before contacts: /contacts/merge is not a contact id
        contacts_router,
        accounts_router,
        custom_fields_router,
        users_router,
        tenants_router,
        audit_router,
        privacy_router,
        interactions_router,
        notes_router,
        search_router,
        insights_router,
        watson_router,  # IBM Watson Personality Insights v3 clients
        routing_router,
        offers_router,
        webhooks_router,
    )
    for router in routers:
        app.include_router(router)
    pages = (
        export_pages,  # before the contact pages: /contacts/export is not a contact id
        import_pages,  # nor is /contacts/import
        signin_router,
        contact_pages,
        account_pages,
        settings_pages,
        webhook_pages,
        custom_field_pages,
        tenant_pages,
        audit_pages,
        privacy_pages,
        duplicate_pages,
        note_pages,
        interaction_pages,
        search_pages,
        personality_pages,
        workspace_pages,
        workitem_pages,
        board_pages,
    )
    for router in pages:
        app.include_router(router)
    api_description.install(app)
    return app


def app_from_environment() -> FastAPI:
    """The app of one server worker process (`rapport serve --workers N` imports this)."""
    from rapport.core.serving import settle_memory

    app = create_app()
    settle_memory()
    return app
