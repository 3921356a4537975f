"""FastAPI dependency aliases, defined once: one session per request, the principal."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
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
from rapport.users import service as users_service


async def get_db(request: Request) -> AsyncIterator[Session]:
    """The request's one transaction: committed before the response is sent, or rolled back.

    Async, with one hand-off to the thread pool at the end: opening a session touches no
    database (its connection is taken at the first statement, in the route's thread), so a
    plain generator's two hand-offs per request (open, then commit) would buy nothing."""
    # SQLite: a request that writes takes the write lock up front; upgrading a read transaction
    # later fails at once (whatever busy_timeout says) when another writer committed meanwhile.
    writes = request.method not in ("GET", "HEAD", "OPTIONS")
    options = {"sqlite_begin": "IMMEDIATE"} if writes else {}
    session: Session = request.app.state.session_factory(execution_options=options)
    try:
        yield session
    except BaseException:
        with CancelScope(shield=True):  # a cancelled request still gives its connection back
            await run_in_threadpool(_discard, session)
        raise
    await run_in_threadpool(_finish, session)


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


async def get_api_principal(
    request: Request,
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    background: BackgroundTasks,
) -> Principal:
    # Async: a token verified a moment ago is found without the database, so most requests
    # need no thread-pool hand-off here; only a token checked afresh reads (in the pool).
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send an API token as 'Authorization: Bearer <token>'.")
    secret = credentials.credentials
    found = users_service.recently_verified_token(db=db, secret=secret)
    if found is None:
        found = await run_in_threadpool(users_service.authenticate_token, db=db, secret=secret)
    token, user, tenant = found
    # Recorded after the response, in its own transaction: a read stays a read.
    uses = request.app.state.token_uses
    if uses.note(token, utcnow()):
        background.add_task(uses.flush, request.app.state.session_factory)
    principal = Principal(tenant=tenant, user=user, via="api", token_id=token.id)
    # The session's identity map holds records weakly: keep the tenant and user alive until
    # it closes, so its commit hooks (offers, events) find them there instead of reading them
    # again once the route has returned.
    db.info["rapport.principal"] = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(get_api_principal)]


def get_read_db(
    request: Request, db: DbSession, _principal: CurrentPrincipal
) -> Iterator[Session]:
    """For history, search, the contact list and exports: the replica when one is set, the
    request only reads and the replica is close enough behind; else the request's session."""
    replica: Replica | None = getattr(request.app.state, "replica", None)
    if replica is None or request.method not in ("GET", "HEAD") or wrote(db):
        yield db
        return
    session = replica.open()
    if session is None:
        yield db
        return
    try:
        yield session
    finally:
        session.rollback()  # read only: nothing to keep
        session.close()


ReadDbSession = Annotated[Session, Depends(get_read_db, scope="function")]


def read_session_factory(request: Request) -> Callable[[], Session]:
    """The session factory for a read that runs after the request (a streamed export)."""
    replica: Replica | None = getattr(request.app.state, "replica", None)
    primary = request.app.state.session_factory
    return primary if replica is None else replica.factory_or(primary)
