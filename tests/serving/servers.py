"""Real `rapport serve` processes for the serving tests: started on free ports, stopped by
SIGTERM the way systemd stops them, and a reader of server-sent events."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

RAPPORT = Path(sys.executable).with_name("rapport")
READY_WITHIN = 120  # seconds; a generous bound on a loaded machine, not a measurement


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    def stop(self) -> int:
        """SIGTERM, then the exit code once it has finished (killed if it hangs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"did not stop on SIGTERM:\n{self.log.read_text()}") from None


# uvicorn finishes its graceful shutdown, then ends by the signal it received.
STOPPED_CLEANLY = (0, -signal.SIGTERM)


def start(database_url: str, log: Path, *args: str, env: dict | None = None) -> Server:
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "RAPPORT_SECRET_KEY": "serving-test-secret-" + "s" * 32,
        "RAPPORT_DATA_DIR": str(log.parent / f"data-{port}"),
        "RAPPORT_ACCESS_LOG": "false",
        **(env or {}),
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(RAPPORT), "serve", "--port", str(port), *args], env=environment,
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", log)
    wait_ready(server.url, server)
    return server


def wait_ready(url: str, server: Server | None = None) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if server is not None and server.process.poll() is not None:
            raise AssertionError(f"rapport serve exited:\n{server.log.read_text()}")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not become ready")


def events(response: httpx.Response) -> Iterator[tuple[str, dict]]:
    """(event, data) of a text/event-stream response, as they arrive."""
    name = None
    for line in response.iter_lines():
        if line.startswith("event:"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("data:") and name:
            yield name, json.loads(line.split(":", 1)[1])
            name = None


def next_event(stream: Iterator[tuple[str, dict]], wanted: str) -> dict:
    """The data of the next `wanted` event (others, e.g. from other tests' work, skipped)."""
    for name, data in stream:
        if name == wanted:
            return data
    raise AssertionError(f"the stream ended before {wanted}")
