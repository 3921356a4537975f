"""FastAPI dependency aliases, defined once: one session per request, the principal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from anyio import CancelScope
from fastapi import BackgroundTasks, Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from rapport.core.auth import Principal
from rapport.core.db import utcnow
from rapport.core.errors import Unauthorized
from rapport.core.replica import Replica, wrote
from rapport.tenants.models import Tenant
from rapport.users import service as users_service
from rapport.users.models import ApiToken, User


def open_session(request: Request) -> Session:
    # SQLite: a request that writes takes the write lock up front; upgrading a read transaction
    # later fails at once (whatever busy_timeout says) when another writer committed meanwhile.
    writes = request.method not in ("GET", "HEAD", "OPTIONS")
    options = {"sqlite_begin": "IMMEDIATE"} if writes else {}
    return request.app.state.session_factory(execution_options=options)


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request's one transaction: committed before the response is sent, or rolled back.

    Async, with one hand-off to the thread pool at the end: opening a session touches no
    database (its connection is taken at the first statement, in the route's thread), so a
    plain generator's two hand-offs per request (open, then commit) would buy nothing."""
    session = open_session(request)
    try:
        yield session
    except BaseException:
        await close_session(session)
        raise
    if _ended(session):  # the route ended the transaction itself, or never began one
        session.close()
    else:
        await run_in_threadpool(_finish, session)


async def close_session(session: Session) -> None:
    """Give the connection back: at once when the route ended the transaction itself."""
    if _ended(session):
        session.close()
        return
    with CancelScope(shield=True):  # a cancelled request still gives its connection back
        await run_in_threadpool(_discard, session)


def _ended(session: Session) -> bool:
    """No transaction and nothing to write: closing it touches no database."""
    return session.get_transaction() is None and not (
        session.new or session.deleted or session.dirty
    )


def _finish(session: Session) -> None:
    try:
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _discard(session: Session) -> None:
    try:
        session.rollback()
    finally:
        session.close()


# scope="function": commit before the response goes out, so a failed commit is a failed request.
DbSession = Annotated[Session, Depends(get_db, scope="function")]


_bearer = HTTPBearer(auto_error=False, description="An API token created by an administrator.")


def bearer_secret(credentials: HTTPAuthorizationCredentials | None) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send an API token as 'Authorization: Bearer <token>'.")
    return credentials.credentials


def note_use(request: Request, background: BackgroundTasks, token: ApiToken) -> None:
    """Recorded after the response, in its own transaction: a read stays a read."""
    uses = request.app.state.token_uses
    if uses.note(token, utcnow()):
        background.add_task(uses.flush, request.app.state.session_factory)


Bearer = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def get_api_principal(
    request: Request,
    db: DbSession,
    credentials: Bearer,
    background: BackgroundTasks,
) -> Principal:
    # Async: a token verified a moment ago is found without the database, so most requests
    # need no thread-pool hand-off here; only a token checked afresh reads (in the pool).
    secret = bearer_secret(credentials)
    found = users_service.recently_verified_token(db=db, secret=secret)
    if found is None:
        found = await run_in_threadpool(users_service.authenticate_token, db=db, secret=secret)
    token, user, tenant = found
    note_use(request, background, token)
    return api_principal(db, token, user, tenant)


def api_principal(db: Session, token: ApiToken, user: User, tenant: Tenant) -> Principal:
    """Who a token speaks for, kept by the request's session: its identity map holds records
    weakly, so this keeps the tenant and user alive until it closes, and its commit hooks
    (offers, events) find them there instead of reading them again once the route returned."""
    principal = Principal(tenant=tenant, user=user, via="api", token_id=token.id)
    db.info["rapport.principal"] = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_api_principal)]


async def get_read_db(
    request: Request, db: DbSession, _principal: CurrentPrincipal
) -> AsyncIterator[Session]:
    """For history, search, the contact list and exports: the replica when one is set, the
    request only reads and the replica is close enough behind; else the request's session.
    Async: without a replica it is only a choice, no hand-off to the thread pool."""
    replica: Replica | None = getattr(request.app.state, "replica", None)
    if replica is None or request.method not in ("GET", "HEAD") or wrote(db):
        yield db
        return
    session = await run_in_threadpool(replica.open)
    if session is None:
        yield db
        return
    try:
        yield session
    finally:
        await close_session(session)  # read only: nothing to keep


ReadDbSession = Annotated[Session, Depends(get_read_db, scope="function")]


def read_session_factory(request: Request) -> Callable[[], Session]:
    """The session factory for a read that runs after the request (a streamed export)."""
    replica: Replica | None = getattr(request.app.state, "replica", None)
    primary = request.app.state.session_factory
    return primary if replica is None else replica.factory_or(primary)
