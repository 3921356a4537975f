"""Signed cookie sessions: who is signed in, their CSRF token, and one-shot flash messages.

The cookie is signed with the installation's secret key (itsdangerous) and carries the
tenant and the key of a server-side session row (`rapport.users.sessions`): the row is what
makes a sign-in valid, so sign-out and revocation end it even for a copied cookie. The
signature carries its own timestamp: a cookie older than `session_max_age` is refused even
if a browser keeps sending it, and the row expires at the same moment.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE_NAME = "rapport_session"
SALT = "rapport.web.session"


def serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALT)


def encode(secret_key: str, data: dict[str, Any]) -> str:
    return serializer(secret_key).dumps(data)


def decode(secret_key: str, cookie: str | None, max_age: int) -> dict[str, Any]:
    """The session in a cookie; an empty one when missing, forged or expired."""
    if not cookie:
        return {}
    try:
        data = serializer(secret_key).loads(cookie, max_age=max_age)
    except BadSignature:  # also SignatureExpired, its subclass
        return {}
    if not isinstance(data, dict):
        return {}
    # Re-signing (a flash message, say) renews the cookie's timestamp; the sign-in time
    # does not move, so a session still ends `max_age` after the user signed in.
    if "u" in data and time.time() - data.get("s", 0) > max_age:
        return {}
    return data


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


class WebSession:
    """The request's session; the middleware writes it back only when it changed."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.changed = False
        self.cleared = False

    @property
    def user_id(self) -> str | None:
        return self.data.get("u")

    @property
    def tenant_id(self) -> str | None:
        return self.data.get("t")

    @property
    def key(self) -> str | None:
        """The key of the server-side session row (see rapport.users.sessions)."""
        return self.data.get("k")

    @property
    def csrf_token(self) -> str:
        if "c" not in self.data:
            self.data["c"] = new_csrf_token()
            self.changed = True
        return self.data["c"]

    def sign_in(self, *, user_id: str, tenant_id: str, key: str) -> None:
        # A fresh CSRF token too: nothing learnt before sign-in is valid after it.
        self.data = {
            "u": user_id,
            "t": tenant_id,
            "k": key,
            "c": new_csrf_token(),
            "s": int(time.time()),
        }
        self.changed = True

    def sign_out(self) -> None:
        self.data = {}
        self.cleared = True

    def flash(self, message: str, kind: str = "success") -> None:
        self.data.setdefault("f", []).append([kind, message])
        self.changed = True

    def pop_flashes(self) -> list[tuple[str, str]]:
        flashes = self.data.pop("f", [])
        if flashes:
            self.changed = True
        return [(kind, message) for kind, message in flashes]


def get_session(request: Request) -> WebSession:
    return request.scope["rapport.session"]


class SessionMiddleware:
    """Loads the session cookie into the request scope and writes it back when changed."""

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int) -> None:
        self.app = app
        self.secret_key = secret_key
        self.max_age = max_age

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session = WebSession(
            decode(self.secret_key, request.cookies.get(COOKIE_NAME), self.max_age)
        )
        scope["rapport.session"] = session
        secure = scope.get("scheme") == "https"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = self._cookie_header(session, secure)
                if cookie:
                    message.setdefault("headers", [])
                    message["headers"] = [*message["headers"], (b"set-cookie", cookie)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie_header(self, session: WebSession, secure: bool) -> bytes | None:
        flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        if session.changed and session.data:
            value = encode(self.secret_key, session.data)
            return f"{COOKIE_NAME}={value}; Max-Age={self.max_age}{flags}".encode()
        if session.cleared:
            return f"{COOKIE_NAME}=; Max-Age=0{flags}".encode()
        return None
