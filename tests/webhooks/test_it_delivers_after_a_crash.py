"""A server killed (kill -9) while it was delivering an event sends it after its restart:
the event was committed with the contact, so the crash cannot lose it."""

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx

from rapport.core import migrate
from rapport.core.db import make_engine, make_session_factory, transaction
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from rapport.webhooks import service as webhooks_service
from tests.cli.test_it_starts_with_make_run import free_port
from tests.webhooks.receiver import verify, wait_for

RAPPORT = str(Path(sys.executable).parent / "rapport")


def _seed(url: str, receiver_url: str) -> tuple[str, str]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as db:
        tenant = tenants_service.create(db=db, slug="acme", name="Acme Support")
        user = users_service.create(db=db, tenant_id=tenant.id, email="ops@acme.example",
                                    role="admin")  # fmt: skip
        _token, token = users_service.create_token(db=db, user=user, name="crash test")
        endpoint = webhooks_service.create(db=db, tenant_id=tenant.id, values={
            "url": receiver_url, "event_types": ["contact.created"]})  # fmt: skip
        secret = endpoint.secret
    engine.dispose()
    return token, secret


def _serve(tmp_path: Path, env: dict, port: int) -> subprocess.Popen:
    log = (tmp_path / f"serve-{port}.log").open("a")
    process = subprocess.Popen([RAPPORT, "serve"], cwd=tmp_path, env=env, stdout=log,
                               stderr=subprocess.STDOUT)  # fmt: skip
    wait_for(lambda: _ready(port), deadline=60)
    return process


def _ready(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_killed_server_delivers_the_event_after_restart(tmp_path, receiver):
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    token, secret = _seed(url, receiver.url)
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "RAPPORT_PORT": str(port),
        "RAPPORT_SECRET_KEY": "crash-test-secret-" + "c" * 32,
        "RAPPORT_DATA_DIR": str(tmp_path / "data"),
        "RAPPORT_WEBHOOK_BACKOFF_SECONDS": "0.05",
        "RAPPORT_WEBHOOK_POLL_SECONDS": "0.1",
    }
    api = f"http://127.0.0.1:{port}/api/v1"
    headers = {"Authorization": f"Bearer {token}"}
    receiver.hold = threading.Event()  # the first POST hangs until the kill

    server = _serve(tmp_path, env, port)
    try:
        created = httpx.post(f"{api}/contacts", json={"first_name": "Ada"}, headers=headers)
        assert created.status_code == 201, created.text
        assert receiver.arrived.wait(30), "the worker never sent the event"
        server.send_signal(signal.SIGKILL)
        server.wait(30)
    finally:
        if server.poll() is None:
            server.kill()
    receiver.hold.set()
    wait_for(lambda: len(receiver.received) == 1)  # answered, but nobody was left to hear it
    receiver.hold = None

    server = _serve(tmp_path, env, port)
    try:
        wait_for(lambda: len(receiver.received) == 2, deadline=30)
        first, second = receiver.received
        assert first.event["id"] == second.event["id"]  # the same event, sent again
        assert second.event["data"]["id"] == created.json()["id"]
        assert verify(secret, second.headers, second.body)
        endpoint_id = httpx.get(f"{api}/webhooks", headers=headers).json()[0]["id"]
        wait_for(lambda: httpx.get(f"{api}/webhooks/{endpoint_id}/deliveries",
                                   headers=headers).json()[0]["status"] == "delivered")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
