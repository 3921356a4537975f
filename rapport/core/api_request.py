"""One dependency for the routes that carry most of the traffic (a contact read, the list and
look-up, create, intake, accept-next, appends, complete): the request's session and who is
asking, without the chain of
`DbSession` and `CurrentPrincipal` (two generator and two function dependencies to solve
per request), and the route's work, commit and close in one thread-pool hand-off.

A token verified in the last few seconds (`users/token_cache.py`) is used as it is cached:
the tenant and user join the session only when the route asks for `principal`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, ParamSpec, TypeVar

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from rapport.core.auth import Principal
from rapport.core.deps import (
    Bearer,
    api_principal,
    bearer_secret,
    close_session,
    note_use,
    open_session,
)
from rapport.core.replica import Replica
from rapport.tenants.models import Tenant
from rapport.users import service as users_service
from rapport.users.models import ApiToken, User

Result = TypeVar("Result")
Params = ParamSpec("Params")


class ApiRequest:
    def __init__(self, request: Request, db: Session, token: ApiToken, user: User,
                 tenant: Tenant, attached: bool) -> None:  # fmt: skip
        self.request, self.db = request, db
        self._token, self._user, self._tenant = token, user, tenant
        self._principal: Principal | None = None
        if attached:
            self._keep(user, tenant)

    @property
    def tenant_id(self) -> uuid.UUID:
        return self._tenant.id

    @property
    def tenant(self) -> Tenant:
        """The tenant, to read its settings: the cached copy when the token came from the
        cache (no merge into the session). To change it, use `principal.tenant`."""
        return self._tenant if self._principal is None else self._principal.tenant

    @property
    def principal(self) -> Principal:
        """Who is asking, their tenant and user in this request's session."""
        if self._principal is None:
            db = self.db
            self._keep(db.merge(self._user, load=False), db.merge(self._tenant, load=False))
        assert self._principal is not None
        return self._principal

    def _keep(self, user: User, tenant: Tenant) -> None:
        self._principal = api_principal(self.db, self._token, user, tenant)

    async def run(
        self, work: Callable[Params, Result], *args: Params.args, **kwargs: Params.kwargs
    ) -> Result:
        """`work`, then commit (or roll back) and close, in one hand-off: the answer is sent
        only once the commit succeeded."""
        return await run_in_threadpool(_run_and_close, self.db, work, args, kwargs)

    async def run_read(
        self, work: Callable[..., Result], *args: object, **kwargs: object
    ) -> Result:
        """As `run`, `work(session, ...)` on the read replica when one is set and close enough
        behind (see `core/replica.py`), else on the request's session."""
        replica: Replica | None = getattr(self.request.app.state, "replica", None)
        return await run_in_threadpool(_run_and_close, self.db, work, args, kwargs, replica, True)


def _run_and_close(db: Session, work, args, kwargs, replica=None, session_first=False):
    read = replica.open() if replica is not None else None
    try:
        if session_first:
            args = (read or db, *args)
        result = work(*args, **kwargs)
        db.commit()
    except BaseException:
        db.rollback()
        raise
    finally:
        if read is not None:
            read.rollback()  # read only: nothing to keep
            read.close()
        db.close()
    return result


async def api_request(
    request: Request, credentials: Bearer, background: BackgroundTasks
) -> ApiRequest:
    secret = bearer_secret(credentials)
    db = open_session(request)
    # Given back however the request ends (an invalid body, an error, a cancelled client),
    # with less machinery than a generator dependency.
    request.scope["fastapi_function_astack"].push_async_callback(close_session, db)
    found, attached = users_service.recently_verified_detached(secret), False
    if found is None:
        found = await run_in_threadpool(users_service.authenticate_token, db=db, secret=secret)
        attached = True
    token, user, tenant = found
    note_use(request, background, token)
    return ApiRequest(request, db, token, user, tenant, attached)


ApiContext = Annotated[ApiRequest, Depends(api_request)]
