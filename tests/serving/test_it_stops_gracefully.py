"""Stopping a server (SIGTERM, as systemd does) ends its open event streams instead of
waiting on them, and the process exits cleanly; SQLite refuses more than one process."""

from __future__ import annotations

import os
import signal
import subprocess

import httpx

from rapport.core import migrate
from rapport.core.db import make_engine, make_session_factory, transaction
from rapport.tenants import service as tenants_service
from rapport.users import service as users_service
from tests.serving import servers


def _sqlite_with_a_token(tmp_path) -> tuple[str, str]:
    url = f"sqlite:///{tmp_path / 'serve.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as db:
        tenant = tenants_service.create(db=db, slug="acme", name="Acme", default_country="US")
        user = users_service.create(db=db, tenant_id=tenant.id, email="bob@acme.io", role="agent")
        secret = users_service.create_token(db=db, user=user)[1]
    engine.dispose()
    return url, secret


def test_sigterm_ends_open_event_streams_and_exits_cleanly(tmp_path):
    url, secret = _sqlite_with_a_token(tmp_path)
    server = servers.start(url, tmp_path / "serve.log")
    try:
        with (
            httpx.Client(base_url=server.url, timeout=60) as client,
            client.stream(
                "GET", "/api/v1/queue/events", headers={"Authorization": f"Bearer {secret}"}
            ) as response,
        ):
            stream = servers.events(response)
            assert next(stream)[0] == "ready"
            server.process.send_signal(signal.SIGTERM)
            try:  # returns only once the server has closed the stream
                remaining = list(stream)
            except httpx.RemoteProtocolError:  # closed mid-chunk: EventSource reconnects alike
                remaining = []
        assert remaining == []
    finally:
        code = server.stop()
    log = server.log.read_text()
    assert code in servers.STOPPED_CLEANLY, log
    assert "Application shutdown complete" in log and "Finished server process" in log


def test_sqlite_serves_one_process(tmp_path):
    url, _secret = _sqlite_with_a_token(tmp_path)
    result = subprocess.run(
        [str(servers.RAPPORT), "serve", "--workers", "2"],
        env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "SQLite serves one process" in result.stderr
