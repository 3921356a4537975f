"""A real HTTP receiver on 127.0.0.1 for webhook tests, and the documented way to verify."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret: str, headers, body: bytes, tolerance: int = 300) -> bool:
    """The receiver's check, as docs/webhooks.md shows it."""
    timestamp = headers["Rapport-Timestamp"]
    signature = headers["Rapport-Signature"]
    if abs(time.time() - int(timestamp)) > tolerance:
        return False  # an old request replayed by someone else
    signed = f"{timestamp}.".encode() + body
    expected = "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def event(self) -> dict:
        return json.loads(self.body)


class Receiver:
    """Answers each POST with the next status of `answers` (then 200), records what came."""

    def __init__(self, answers: list[int] | None = None) -> None:
        self.answers = list(answers or [])
        self.received: list[Received] = []
        self.hold: threading.Event | None = None  # when set up, requests wait for it
        self.arrived = threading.Event()
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.arrived.set()
                if receiver.hold is not None:
                    receiver.hold.wait(30)
                with receiver._lock:
                    status = receiver.answers.pop(0) if receiver.answers else 200
                    receiver.received.append(Received(dict(self.headers), body, status))
                self.send_response(status)
                if 300 <= status < 400:  # a redirect somewhere nothing listens
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status < 300 else b"receiver unavailable")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        if self.hold is not None:
            self.hold.set()
        self.server.shutdown()
        self.server.server_close()

    def accepted(self) -> list[Received]:
        return [r for r in self.received if r.answered < 300]


def wait_for(condition: Callable[[], object], step: Callable[[], object] | None = None,
             deadline: float = 20.0) -> None:  # fmt: skip
    """Poll (running `step` between looks) until `condition` holds; fail after `deadline`."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not met before the deadline")
        if step is not None:
            step()
        time.sleep(0.02)


def register(persona, url: str, event_types: list[str]) -> dict:
    answer = persona.client.post("/api/v1/webhooks", json={"url": url, "event_types": event_types})
    assert answer.status_code == 201, answer.text
    return answer.json()
