"""Safe retries: an `Idempotency-Key` on a POST that creates something.

The first request with a key is run as usual and its answer (status, body, ETag and
Location) is stored with the key, per tenant, in the same transaction as what it created.
The same key with the same request within 24 hours answers that stored answer again, with
`Idempotent-Replayed: true`, and creates nothing; the same key with a different request is
refused with 422. Two requests racing with one key cannot both create: the key's row is
written before the work, so the second waits for the first (PostgreSQL's unique index; the
write lock every SQLite write request takes first) and then replays its answer.

A request that fails stores nothing (its transaction is rolled back): retrying it runs it again.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import JSON, ForeignKeyConstraint, Integer, String, Text, Uuid, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from rapport.core.api_request import ApiContext
from rapport.core.db import Base, UTCDateTime, utcnow
from rapport.core.deps import CurrentPrincipal, DbSession
from rapport.core.errors import Conflict, FieldError, ValidationFailed

TTL = timedelta(hours=24)
REPLAYED_HEADERS = ("etag", "location")


class IdempotencyKey(Base):
    """A key a client sent, the request it came with (a fingerprint) and the answer it got."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),)

    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(500))
    status_code: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Replay(Exception):
    """Answer with a stored response instead of running the route again."""

    def __init__(self, stored: IdempotencyKey) -> None:
        super().__init__(stored.key)
        self.status_code = stored.status_code or 200
        self.body = stored.body or "null"
        self.headers = dict(stored.headers or {})


async def fingerprint(request: Request) -> str:
    """What makes two requests the same: method, path and the body's content (JSON compared
    by value; a multipart form by its fields and the bytes of its files)."""
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        for name, value in sorted(form.multi_items(), key=lambda item: item[0]):
            digest.update(f"\n{name}=".encode())
            if isinstance(value, UploadFile):
                content = await value.read()
                await value.seek(0)
                digest.update(f"file:{value.filename}:".encode() + hashlib.sha256(content).digest())
            else:
                digest.update(value.encode())
        return digest.hexdigest()
    raw = await request.body()
    try:
        digest.update(json.dumps(json.loads(raw), sort_keys=True).encode())
    except ValueError:
        digest.update(raw)
    return digest.hexdigest()


class Idempotency:
    """The key of one request, or none; routes call `remember` with the answer they give."""

    def __init__(self, db: Session, row: IdempotencyKey | None) -> None:
        self.db, self.row = db, row

    def remember(self, response: Response, body: BaseModel, status_code: int) -> None:
        if self.row is None:
            return
        self.row.status_code = response.status_code or status_code
        self.row.body = json.dumps(body.model_dump(mode="json", by_alias=True))
        self.row.headers = {
            name: response.headers[name] for name in REPLAYED_HEADERS if name in response.headers
        }


def _check_key(key: str) -> str:
    if not 1 <= len(key) <= 255 or not key.isprintable() or not key.isascii():
        raise ValidationFailed([FieldError(
            "header.Idempotency-Key", "must be 1 to 255 printable ASCII characters"
        )])  # fmt: skip
    return key


def _stored(db: Session, tenant_id: uuid.UUID, key: str, fingerprint_: str) -> bool:
    """Replay the stored answer or refuse a different request; False when none is kept."""
    row = db.get(IdempotencyKey, (tenant_id, key), populate_existing=True)
    if row is None:
        return False
    if row.created_at < utcnow() - TTL:
        db.delete(row)
        db.flush()
        return False
    if row.fingerprint != fingerprint_:
        raise ValidationFailed([FieldError(
            "header.Idempotency-Key",
            f"was used within 24 hours for a different request ({row.method} {row.path} with "
            "another body); use a new key for a new request",
        )])  # fmt: skip
    if row.status_code is None:
        raise Conflict("A request with this Idempotency-Key is still being answered; retry.")
    raise Replay(row)


KeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="Any unique string (a UUID is a good choice). Sending the same key "
        "with the same request within 24 hours returns the first answer and creates "
        "nothing again; the same key with a different request answers 422.",
    ),
]


async def idempotency(
    request: Request, db: DbSession, principal: CurrentPrincipal, idempotency_key: KeyHeader = None
) -> Idempotency:
    return await _claimed(request, db, principal.tenant_id, idempotency_key)


async def idempotency_of(
    request: Request, ctx: ApiContext, idempotency_key: KeyHeader = None
) -> Idempotency:
    """The same, for routes that take their session and principal from `ApiContext`."""
    return await _claimed(request, ctx.db, ctx.tenant_id, idempotency_key)


async def _claimed(
    request: Request, db: Session, tenant_id: uuid.UUID, key: str | None
) -> Idempotency:
    # Async: most requests carry no key and need nothing here (no fingerprint, no thread-pool
    # hand-off: a large upload is not read twice); a key is looked up and written in the pool.
    if key is None:
        return Idempotency(db, None)
    fingerprint_ = await fingerprint(request)
    return await run_in_threadpool(_claim_key, request, db, tenant_id, fingerprint_, key)


def _claim_key(
    request: Request, db: Session, tenant_id: uuid.UUID, fingerprint_: str, idempotency_key: str
) -> Idempotency:
    key = _check_key(idempotency_key)
    _stored(db, tenant_id, key, fingerprint_)
    row = IdempotencyKey(
        tenant_id=tenant_id, key=key, fingerprint=fingerprint_, method=request.method,
        path=request.url.path[:500], created_at=utcnow(),
    )  # fmt: skip
    try:
        with db.begin_nested():
            db.add(row)
            db.flush()
    except IntegrityError:
        # Another request with this key committed while this one waited on it.
        _stored(db, tenant_id, key, fingerprint_)
        raise
    return Idempotency(db, row)


IdempotencyKeyHeader = Annotated[Idempotency, Depends(idempotency)]
RequestIdempotencyKey = Annotated[Idempotency, Depends(idempotency_of)]


def remove_expired(*, db: Session, now: datetime | None = None) -> int:
    cutoff = (now or utcnow()) - TTL
    return db.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount


def _replay(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Replay)
    headers: dict[str, Any] = {**exc.headers, "Idempotent-Replayed": "true"}
    return JSONResponse(json.loads(exc.body), status_code=exc.status_code, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(Replay, _replay)
