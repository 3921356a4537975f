"""Security headers on every answer, pages and API alike.

- Content-Security-Policy: scripts, styles, images and connections from this site only (no
  inline script or style: pages wire their behaviour from /static files by data- attributes),
  and `frame-ancestors 'none'` so no other site can frame a page (clickjacking).
- X-Content-Type-Options: nosniff, so an upload or an export is never run as a script.
- Referrer-Policy: same-origin, so a link in a note does not tell its host which record an
  agent was reading.
- Cache-Control: no-store on everything but static files: pages and API answers hold
  personal data, which must not stay in a shared or browser cache.

The interactive API documentation (/docs, /redoc) is FastAPI's page, which loads Swagger UI
or ReDoc from cdn.jsdelivr.net and starts it with an inline script; it gets a policy of its
own that allows that CDN and exactly those inline scripts (by their SHA-256), nothing else.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
CDN = "https://cdn.jsdelivr.net"
DOCS_PATHS = ("/docs", "/redoc")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.S)

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",  # frame-ancestors for browsers that predate it
}


def _encoded(static: bool) -> list[tuple[bytes, bytes]]:
    values = {"content-security-policy": POLICY, **COMMON}
    if not static:
        values["cache-control"] = "no-store"
    return [(name.encode(), value.encode()) for name, value in values.items()]


# Encoded once: every answer gets them, so they are added as raw pairs (replacing any the
# route set itself) rather than one by one through MutableHeaders.
_ADDED = {False: _encoded(False), True: _encoded(True)}
_REPLACED = {static: {name for name, _ in added} for static, added in _ADDED.items()}


def docs_policy(body: bytes) -> str:
    """The policy of an API documentation page: its CDN and its own inline scripts only."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body)
    )
    return (
        f"default-src 'self'; script-src 'self' {CDN} {hashes}; "
        f"style-src 'self' {CDN} https://fonts.googleapis.com 'unsafe-inline'; "
        "img-src 'self' data: https://fastapi.tiangolo.com; "
        "font-src 'self' https://fonts.gstatic.com; worker-src 'self' blob:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        if path.startswith(DOCS_PATHS):
            await self._docs(scope, receive, send)
            return
        static = path.startswith("/static/")

        added, replaced = _ADDED[static], _REPLACED[static]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [h for h in message.get("headers", ()) if h[0].lower() not in replaced]
                message["headers"] = kept + added
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Hold the (small) page back until its inline scripts are hashed into its policy."""
        start: Message | None = None
        body = b""

        async def buffer(message: Message) -> None:
            nonlocal start, body
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body += message.get("body", b"")
            if message.get("more_body", False):
                return
            headers = MutableHeaders(scope=start)
            _set_common(headers, docs_policy(body))
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffer)


def _set_common(headers: MutableHeaders, policy: str) -> None:
    headers["content-security-policy"] = policy
    for name, value in COMMON.items():
        headers[name] = value
