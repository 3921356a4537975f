"""A real HTTP server for clients that cannot use TestClient (SDKs, generated clients)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn


def _one_at_a_time(factory):
    """Sessions on the test's one database connection, one at a time.

    The server runs requests and after-response tasks (recording a token's use) in threads
    at once; in production each has its own connection, here they share the test's, which
    must not be used by two threads together."""
    lock = threading.RLock()

    def open_session(**options):
        lock.acquire()
        session = factory(**options)
        close, closed = session.close, []

        def close_once() -> None:
            try:
                close()
            finally:
                if not closed:
                    closed.append(True)
                    lock.release()

        session.close = close_once
        return session

    open_session.kw = factory.kw  # what the import worker reads to find the engine
    return open_session


@contextmanager
def served(app) -> Iterator[str]:
    """The app on a free localhost port, in a thread; yields its base URL.

    Without the app's lifespan: the background import worker would share the test's one
    database connection with the requests, from another thread. (Small imports finish in
    their request and need no worker.)
    """
    app.state.session_factory = _one_at_a_time(app.state.session_factory)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="error", lifespan="off"
    ))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
