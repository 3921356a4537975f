"""`make run`, the README's first command: migrate, load the demo, serve, on a free port."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_make_run_serves_the_demo_tenant(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
        "RAPPORT_PORT": str(port),
        "RAPPORT_SECRET_KEY": "make-run-secret-" + "m" * 32,
    }
    log = tmp_path / "run.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run"], cwd=REPO, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise AssertionError(f"make run did not become ready:\n{log.read_text()}")
        output = log.read_text()
        token = next(line.split()[-1] for line in output.splitlines() if "API token" in line)
        assert "admin@example.com" in output
        me = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200
        assert me.json()["tenant"] == "demo"
        contacts = httpx.get(
            f"{base}/api/v1/contacts", headers={"Authorization": f"Bearer {token}"}
        ).json()
        assert len(contacts["items"]) >= 5
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
