"""A real HTTP server for clients that cannot use TestClient (SDKs, generated clients)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from rapport.users.last_use import LastUseRecorder


class _UsesNotRecorded(LastUseRecorder):
    """A token's use is written after the response, on a session of its own; here every
    session is the test's one connection, which the next request may be using already."""

    def flush(self, session_factory) -> int:
        return 0


@contextmanager
def served(app) -> Iterator[str]:
    """The app on a free localhost port, in a thread; yields its base URL.

    Without the app's lifespan: the background import worker would share the test's one
    database connection with the requests, from another thread. (Small imports finish in
    their request and need no worker.)
    """
    app.state.token_uses = _UsesNotRecorded()
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
