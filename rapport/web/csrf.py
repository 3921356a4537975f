"""CSRF protection: every state-changing form carries the session's token in a hidden field.

A page from another site can make the browser post to us (and SameSite=Lax does not cover
every case, e.g. a top-level POST from a subdomain), but it cannot read the token, so a
post without the session's own token is refused with 403 and changes nothing.
"""

from __future__ import annotations

import hmac

from fastapi import Request

from rapport.core.errors import Forbidden
from rapport.web.session import get_session

FIELD_NAME = "csrf_token"
HEADER_NAME = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRejected(Forbidden):
    code = "csrf_rejected"


async def require_csrf(request: Request) -> None:
    """Router dependency: refuse an unsafe request whose token is not the session's."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(HEADER_NAME)
    if sent is None:
        form = await request.form()  # parsed once; the route reads the same cached form
        value = form.get(FIELD_NAME)
        sent = value if isinstance(value, str) else None
    expected = get_session(request).data.get("c")
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise CsrfRejected(
            "This form has expired or did not come from this workspace. "
            "Go back, reload the page and try again."
        )
