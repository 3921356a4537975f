"""Delivering the outbox: claim due deliveries, POST them signed, record what came back.

A claim marks deliveries 'delivering' with a lease, in a short transaction; on PostgreSQL
the rows are read `FOR UPDATE SKIP LOCKED`, so several server processes (or `rapport webhooks
deliver` beside them) each take different rows and never send one delivery twice at once.
The POST happens outside any transaction; its outcome is written only while the lease is
still this worker's. A worker that dies mid-delivery leaves its rows to be taken again when
their lease runs out (at once on SQLite, which serves one process: see `release_abandoned`).
Delivery is at least once: receivers drop repeats by the event id.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import random
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from rapport.audit import service as audit
from rapport.core.auth import SYSTEM
from rapport.core.db import utcnow
from rapport.core.ids import new_id
from rapport.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

USER_AGENT = "Rapport-Webhooks/1"
MAX_DELAY = timedelta(hours=1)  # backoff grows to this, then the retries go hourly
EXCERPT = 500


@dataclass(frozen=True)
class Policy:
    """How hard to try: timeouts, backoff, and how long failing is tolerated."""

    timeout: float = 10.0
    backoff_seconds: float = 30.0
    retry_window: timedelta = timedelta(days=1)
    batch: int = 20

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=self.timeout * 2 + 30)

    def delay(self, attempts: int) -> timedelta:
        """Exponential backoff with jitter: about base * 2^(n-1), capped, times 0.5 to 1."""
        base = min(self.backoff_seconds * 2 ** min(attempts - 1, 30), MAX_DELAY.total_seconds())
        return timedelta(seconds=base * random.uniform(0.5, 1.0))


@dataclass(frozen=True)
class Claimed:
    tenant_id: uuid.UUID
    id: uuid.UUID
    attempt: int
    url: str
    secret: str
    event_id: uuid.UUID
    event_type: str
    body: bytes


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str | None
    excerpt: str | None
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `Rapport-Signature` value: HMAC-SHA256 of "<timestamp>.<body>" with the secret."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def body_of(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def _due(now: datetime):
    return or_(
        and_(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now),
        and_(WebhookDelivery.status == "delivering", WebhookDelivery.lease_until < now),
    )


def claim(*, session_factory: sessionmaker[Session], policy: Policy) -> list[Claimed]:
    """Take up to `policy.batch` due deliveries of enabled endpoints for this worker."""
    now = utcnow()
    due = (
        select(WebhookDelivery, WebhookEndpoint.url, WebhookEndpoint.secret)
        .join(WebhookEndpoint, and_(WebhookEndpoint.tenant_id == WebhookDelivery.tenant_id,
                                    WebhookEndpoint.id == WebhookDelivery.endpoint_id))
        .where(_due(now), WebhookEndpoint.enabled.is_(True))
    )  # fmt: skip
    with session_factory() as db:  # a cheap look first: an idle worker takes no write lock
        if db.scalar(due.with_only_columns(WebhookDelivery.id).limit(1)) is None:
            return []
    with session_factory(execution_options={"sqlite_begin": "IMMEDIATE"}) as db, db.begin():
        rows = db.execute(
            due.order_by(WebhookDelivery.next_attempt_at)
            .limit(policy.batch)
            .with_for_update(of=WebhookDelivery, skip_locked=True)
        ).all()  # fmt: skip
        claimed = []
        for delivery, url, secret in rows:
            delivery.status = "delivering"
            delivery.lease_until = now + policy.lease
            delivery.attempts += 1
            claimed.append(Claimed(delivery.tenant_id, delivery.id, delivery.attempts, url,
                                   secret, delivery.event_id, delivery.event_type,
                                   body_of(delivery.payload)))  # fmt: skip
    return claimed


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: it is logged like any non-2xx."""

    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(claimed: Claimed, policy: Policy) -> Outcome:
    """Send one delivery; never raises."""
    timestamp = int(time.time())
    request = urllib.request.Request(claimed.url, data=claimed.body, method="POST", headers={
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Rapport-Event-Id": str(claimed.event_id),
        "Rapport-Event-Type": claimed.event_type,
        "Rapport-Delivery-Id": str(claimed.id),
        "Rapport-Timestamp": str(timestamp),
        "Rapport-Signature": sign(claimed.secret, timestamp, claimed.body),
    })  # fmt: skip
    started = time.perf_counter()
    code, error, excerpt = None, None, None
    try:
        with _opener.open(request, timeout=policy.timeout) as response:
            code = response.status
            excerpt = response.read(EXCERPT).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        code = exc.code
        try:
            excerpt = exc.read(EXCERPT).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001 - the code is what matters
            excerpt = None
        error = f"HTTP {exc.code}"
    except Exception as exc:  # noqa: BLE001 - refused, timed out, bad TLS: all are failures
        reason = getattr(exc, "reason", exc)
        error = f"{type(reason).__name__}: {reason}"[:500]
    duration = int((time.perf_counter() - started) * 1000)
    return Outcome(code, error, excerpt, duration)


def record(
    *, session_factory: sessionmaker[Session], claimed: Claimed, outcome: Outcome, policy: Policy
) -> str | None:
    """Write the attempt and what follows from it; None when the lease was lost meanwhile."""
    now = utcnow()
    with session_factory(execution_options={"sqlite_begin": "IMMEDIATE"}) as db, db.begin():
        delivery = db.get(WebhookDelivery, (claimed.tenant_id, claimed.id), with_for_update=True)
        if delivery is None or delivery.status != "delivering" or (
            delivery.attempts != claimed.attempt
        ):
            return None  # taken by another worker after our lease ran out
        db.add(WebhookAttempt(
            tenant_id=delivery.tenant_id, id=new_id(), delivery_id=delivery.id, at=now,
            status_code=outcome.status_code, error=outcome.error,
            duration_ms=outcome.duration_ms, response_excerpt=outcome.excerpt,
        ))  # fmt: skip
        endpoint = db.get(WebhookEndpoint, (delivery.tenant_id, delivery.endpoint_id),
                          with_for_update=True)  # fmt: skip
        delivery.last_status_code, delivery.last_error = outcome.status_code, outcome.error
        delivery.lease_until = None
        if outcome.ok:
            delivery.status, delivery.delivered_at = "delivered", now
            if endpoint is not None:
                endpoint.failing_since = None
            return delivery.status
        if now - delivery.created_at >= policy.retry_window:
            delivery.status = "failed"
        else:
            delivery.status, delivery.next_attempt_at = "pending", now + policy.delay(
                delivery.attempts
            )
        if endpoint is not None:
            _note_failure(db, endpoint, now, policy)
        return delivery.status


def _note_failure(db: Session, endpoint: WebhookEndpoint, now: datetime, policy: Policy) -> None:
    """An endpoint that failed every attempt for the whole retry window is switched off, and
    its administrators are told on the settings page and in the audit trail."""
    endpoint.failing_since = endpoint.failing_since or now
    if not endpoint.enabled or now - endpoint.failing_since < policy.retry_window:
        return
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = (
        f"Every delivery failed since {endpoint.failing_since:%Y-%m-%d %H:%M} UTC; "
        "switched off automatically. Fix the receiver, then switch it on again."
    )
    audit.record(
        db=db, tenant_id=endpoint.tenant_id, actor=SYSTEM, action="disable",
        record_type="webhook_endpoint", record_id=endpoint.id, label=endpoint.url[:320],
        changes={"enabled": [True, False], "reason": [None, endpoint.disabled_reason]},
    )  # fmt: skip


def deliver_due(*, session_factory: sessionmaker[Session], policy: Policy) -> int:
    """One round: claim what is due, send it, record it. How many were attempted."""
    claimed = claim(session_factory=session_factory, policy=policy)
    for one in claimed:
        outcome = post(one, policy)
        record(session_factory=session_factory, claimed=one, outcome=outcome, policy=policy)
    return len(claimed)


def release_abandoned(*, session_factory: sessionmaker[Session]) -> int:
    """SQLite serves one process: at its start, every delivery left 'delivering' was cut off
    by a stop and is due again now."""
    with session_factory() as db, db.begin():
        if db.get_bind().dialect.name != "sqlite":
            return 0
        return db.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.status == "delivering")
            .values(status="pending", lease_until=None, next_attempt_at=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
