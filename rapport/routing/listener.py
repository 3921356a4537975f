"""One PostgreSQL listening connection per server process: events of the other processes.

Queue and interaction events are sent with `pg_notify` in the transaction that made the change
(`rapport.routing.events`); this thread receives them on its own autocommit connection and
hands them to the process's broadcaster, which fans them out to the open event streams. A
thread rather than the event loop: the broadcaster is already safe to publish from any thread,
and a blocking `notifies()` loop keeps the listener out of the request path entirely.

If the connection drops, notifications sent meanwhile are lost; on reconnecting the listener
tells every listening tenant `queue.reordered` (reason `reconnected`), and a workspace
re-reads the queue on any event, so nothing stays stale.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy.engine import Engine

from rapport.routing.events import CHANNEL, broadcaster, origin, read_notification

log = logging.getLogger("rapport.events")
POLL_SECONDS = 0.5  # how soon the thread notices it should stop
RETRY_SECONDS = (0.5, 1, 2, 5)


def conninfo(engine: Engine) -> str:
    """libpq's URI for the engine's database (SQLAlchemy names the driver in the scheme)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


class NotificationListener:
    def __init__(self, engine: Engine) -> None:
        self._conninfo = conninfo(engine)
        self._stop = threading.Event()
        self.listening = threading.Event()  # set while LISTEN is in effect
        self._thread = threading.Thread(target=self._run, name="rapport-events", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=POLL_SECONDS * 4)

    def _run(self) -> None:
        attempt = 0
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.listening.set()
                    if attempt:
                        self._tell_everyone_to_reread()
                    attempt = 0
                    self._receive(connection)
            except psycopg.Error as exc:
                self.listening.clear()
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                log.warning("Event listener lost PostgreSQL (%s); retrying in %ss", exc, delay)
                self._stop.wait(delay)
        self.listening.clear()

    def _receive(self, connection: psycopg.Connection) -> None:
        me = origin()
        while not self._stop.is_set():
            for notify in connection.notifies(timeout=POLL_SECONDS):
                try:
                    sender, tenant_id, type_, data = read_notification(notify.payload)
                except (ValueError, KeyError, TypeError):
                    log.warning("Ignored a malformed event on %s", CHANNEL)
                    continue
                if sender != me:  # our own were published locally after the commit
                    broadcaster.publish(tenant_id, type_, data)

    def _tell_everyone_to_reread(self) -> None:
        for tenant_id in broadcaster.tenants():
            broadcaster.publish(tenant_id, "queue.reordered", {"reason": "reconnected"})


def attach(app) -> None:
    """Listen while the app serves, on PostgreSQL only (SQLite serves one process)."""

    def start() -> None:
        engine = app.state.engine
        if engine.dialect.name == "postgresql":
            app.state.event_listener = NotificationListener(engine)
            app.state.event_listener.start()

    def stop() -> None:
        listener = getattr(app.state, "event_listener", None)
        if listener is not None:
            listener.stop()

    app.router.on_startup.append(start)
    app.router.on_shutdown.append(stop)
