"""The background delivery worker: a daemon thread started and stopped with the app."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from rapport.core import idempotency
from rapport.core.config import Settings
from rapport.webhooks import delivery, service

log = logging.getLogger(__name__)

HOUSEKEEPING_SECONDS = 3600  # old delivery logs and expired idempotency keys


def policy_from(settings: Settings) -> delivery.Policy:
    return delivery.Policy(
        timeout=settings.webhook_timeout_seconds,
        backoff_seconds=settings.webhook_backoff_seconds,
        retry_window=timedelta(seconds=settings.webhook_retry_window_seconds),
    )


def housekeeping(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as db, db.begin():
        service.remove_old_deliveries(db=db)
        idempotency.remove_expired(db=db)


class DeliveryWorker:
    """Sends due deliveries while the app is up; waits `poll_seconds` when none is due."""

    def __init__(
        self, session_factory: sessionmaker[Session], policy: delivery.Policy,
        poll_seconds: float = 1.0,
    ) -> None:  # fmt: skip
        self.session_factory = session_factory
        self.policy = policy
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        released = delivery.release_abandoned(session_factory=self.session_factory)
        if released:
            log.info("%d webhook deliveries cut off by a stop are due again", released)
        self._thread = threading.Thread(target=self._loop, name="rapport-webhooks", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run(self) -> None:
        """Deliver in the calling thread until stopped (the `rapport webhooks deliver` CLI)."""
        self._loop()

    def _loop(self) -> None:
        last_housekeeping = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() - last_housekeeping > HOUSEKEEPING_SECONDS:
                    housekeeping(self.session_factory)
                    last_housekeeping = time.monotonic()
                if not delivery.deliver_due(session_factory=self.session_factory,
                                            policy=self.policy):  # fmt: skip
                    self._stop.wait(self.poll_seconds)
            except Exception:  # noqa: BLE001 - keep delivering; the log says what went wrong
                log.exception("webhook worker error")
                self._stop.wait(self.poll_seconds)


def attach(app) -> None:
    """Start the worker with the app (unless RAPPORT_WEBHOOK_WORKER=false) and stop it with it."""

    def start() -> None:
        settings = app.state.settings
        if not settings.webhook_worker:
            return
        app.state.webhook_worker = DeliveryWorker(
            app.state.session_factory, policy_from(settings),
            poll_seconds=settings.webhook_poll_seconds,
        )  # fmt: skip
        app.state.webhook_worker.start()

    def stop() -> None:
        worker = getattr(app.state, "webhook_worker", None)
        if worker is not None:
            worker.stop()

    app.router.on_startup.append(start)
    app.router.on_shutdown.append(stop)
