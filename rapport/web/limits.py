"""What every request must respect before a route sees it: a body of bounded size that
arrives in bounded time, JSON as the standard defines it, and storable query strings."""

from __future__ import annotations

import asyncio
import email.message
from functools import lru_cache

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rapport.core.errors import FieldError, ValidationFailed
from rapport.core.inputs import MAX_QUERY_TEXT, JsonRefused, strict_json
from rapport.core.text import unstorable_reason


@lru_cache(maxsize=256)  # a few distinct values in practice; parsing one is not free
def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


class RequestGuard:
    """Pure ASGI middleware: 413 past `max_body` bytes (announced or streamed), 408 when the
    body stalls for `read_timeout` seconds (a slow client holds no worker for long), 422 for
    a JSON body with NaN, 1e400, text a database cannot store or nesting without end."""

    def __init__(self, app: ASGIApp, max_body: int, read_timeout: float) -> None:
        self.app = app
        self.max_body = max_body
        self.read_timeout = read_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = content_type = None
        chunked = False
        for name, value in scope["headers"]:  # only the three it needs, not a dict of all
            name = name.lower()
            if name == b"content-length":
                length = value.decode("latin-1")
            elif name == b"content-type":
                content_type = value.decode("latin-1")
            elif name == b"transfer-encoding":
                chunked = True
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._too_large()(scope, receive, send)
            return
        received, body_done = 0, False

        async def bounded_receive() -> Message:
            nonlocal received, body_done
            if body_done:
                # Once the body is in, a receive waits for the client to go away (an event
                # stream listens for that for hours): no time limit applies to it.
                return await receive()
            try:
                async with asyncio.timeout(self.read_timeout):  # no task per receive
                    message = await receive()
            except TimeoutError:
                raise HTTPException(408, "The request body did not arrive in time.") from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise HTTPException(413, self._limit_text())
                body_done = not message.get("more_body", False)
            return message

        # Without a length or chunks a request has no body (RFC 9112, 6.3), whatever type it
        # names (clients send a JSON type on GETs too): nothing to read ahead and check.
        if not _is_json(content_type) or (length is None and not chunked):
            await self.app(scope, bounded_receive, send)
            return
        try:
            body = await self._read_all(bounded_receive)
        except HTTPException as exc:
            await JSONResponse({"detail": exc.detail}, exc.status_code)(scope, receive, send)
            return
        if body:
            try:
                strict_json(body)
            except JsonRefused as exc:
                detail = [{"type": "json_invalid", "loc": ["body", *exc.path], "msg": exc.reason}]
                await JSONResponse({"detail": detail}, 422)(scope, receive, send)
                return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _read_all(receive: Receive) -> bytes:
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _limit_text(self) -> str:
        return f"The request is larger than the limit of {self.max_body // (1024 * 1024)} MB."

    def _too_large(self) -> JSONResponse:
        return JSONResponse({"detail": self._limit_text()}, 413, headers={"Connection": "close"})


async def storable_query(request: Request) -> None:
    """Every query-string parameter of every route, declared or not: storable and bounded.

    Async (it only looks at the query string): a plain function would be run in the thread
    pool, a hand-off on every request."""
    errors = []
    for name, value in request.query_params.multi_items():
        if reason := unstorable_reason(name) or unstorable_reason(value):
            errors.append(FieldError(f"query.{name}", reason))
        elif len(value) > MAX_QUERY_TEXT:
            errors.append(FieldError(f"query.{name}", f"must be at most {MAX_QUERY_TEXT} "
                                     f"characters (got {len(value)})"))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
