"""Dependencies of the pages: the signed-in principal, the posted form, the CSRF check."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from rapport.core.auth import Principal
from rapport.core.deps import DbSession
from rapport.users import sessions
from rapport.web.csrf import require_csrf
from rapport.web.session import get_session


class SignInRequired(Exception):
    """Not signed in (or the session ended): the app answers with a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def get_ui_principal(request: Request, db: DbSession) -> Principal:
    session = get_session(request)
    found = None
    try:
        if session.key and session.tenant_id:
            found = sessions.resolve(db=db, tenant_id=uuid.UUID(session.tenant_id), key=session.key)
    except ValueError:
        found = None
    if found is None:
        # A session ended on the server (sign-out elsewhere, a role change, deactivation)
        # is signed out at the next click, not at cookie expiry.
        if session.user_id:
            session.sign_out()
        raise SignInRequired(request.url.path)
    user, tenant = found
    return Principal(tenant=tenant, user=user, via="ui")


async def posted_form(request: Request) -> FormData:
    return await request.form()


UiPrincipal = Annotated[Principal, Depends(get_ui_principal)]
PostedForm = Annotated[FormData, Depends(posted_form)]
CSRF_PROTECTED = [Depends(require_csrf)]


def form_text(form: FormData, name: str) -> str | None:
    """A posted text field; None when absent or blank (the services treat None as cleared)."""
    value = form.get(name)
    if not isinstance(value, str) or not value.strip():
        return None
    return value


def posted_version(form: FormData) -> int | None:
    """The record version a form was rendered from, for optimistic concurrency."""
    value = form_text(form, "version")
    value = value.strip() if value else ""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None
