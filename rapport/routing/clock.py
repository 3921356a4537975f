"""The offers' clock: lapses offers whose countdown ended and offers work again.

Deadlines are stored with the offers, so after a restart the clock simply finds them again.
Every server process runs one; on PostgreSQL they share the work without stepping on each
other (rows locked with SKIP LOCKED, one dispatch per tenant at a time). Besides deadlines,
each round offers work to tenants in push mode, which picks up a workitem whose cool-down
for an agent has passed and work recorded by another process.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, sessionmaker

from rapport.core.db import make_session_factory, utcnow
from rapport.interactions.models import Interaction
from rapport.routing import offers
from rapport.routing.service import begin_queue_write
from rapport.tenants.models import Tenant

log = logging.getLogger(__name__)
ROUND_SECONDS = 1.0  # the longest wait between two rounds


def run_round(session_factory: sessionmaker[Session]) -> float:
    """One round; the seconds until the next one is due."""
    now = utcnow()
    with session_factory() as db:
        deadline = offers.next_deadline(db=db)
        push = list(db.scalars(select(Tenant.id).where(
            Tenant.routing_mode == "push",
            exists().where(Interaction.tenant_id == Tenant.id, Interaction.state == "queued"),
        )))  # fmt: skip
    if (deadline is not None and deadline <= now) or push:
        with session_factory() as db:
            begin_queue_write(db)
            offers.lapse_due(db=db, now=now)
            for tenant_id in push:
                tenant = db.get(Tenant, tenant_id)
                offers.dispatch(db=db, tenant=tenant, now=now)
            db.commit()
        with session_factory() as db:
            deadline = offers.next_deadline(db=db)
    if deadline is None:
        return ROUND_SECONDS
    return max(0.05, min(ROUND_SECONDS, (deadline - utcnow()) / timedelta(seconds=1)))


class OfferClock:
    """A daemon thread running rounds while the app is up."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="rapport-offers", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                wait = run_round(self.session_factory)
            except Exception:  # noqa: BLE001 - a failed round must not stop the clock
                log.exception("offers round failed")
                wait = ROUND_SECONDS
            self._stop.wait(wait)


def attach(app) -> None:
    """Start the clock with the app and stop it with the app."""

    def start() -> None:
        # Its own sessions on the engine: the clock runs beside requests, never on their
        # connection (a test app binds requests to one connection it rolls back).
        app.state.offer_clock = OfferClock(make_session_factory(app.state.engine))
        app.state.offer_clock.start()

    def stop() -> None:
        clock = getattr(app.state, "offer_clock", None)
        if clock is not None:
            clock.stop()

    app.router.on_startup.append(start)
    app.router.on_shutdown.append(stop)
