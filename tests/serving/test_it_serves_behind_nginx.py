"""The shipped nginx site (deploy/rapport.nginx) in front of two Rapport processes: API calls
reach both, and a live event stream passes through unbuffered."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.serving.servers import events, free_port, next_event, wait_ready

SITE = Path(__file__).resolve().parents[2] / "deploy" / "rapport.nginx"
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

pytestmark = pytest.mark.skipif(NGINX is None, reason="no nginx (make test installs it)")


def site_for(ports: list[int], listen: int) -> str:
    """The operator's site with this test's ports: its upstream servers and listen port."""
    site = SITE.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in ports)
    site, upstreams = re.subn(r"(    server 127\.0\.0\.1:\d+;\n)+", servers, site)
    ours = f"listen 127.0.0.1:{listen};"
    site, listens = re.subn(r"listen 80;\n\s*listen \[::\]:80;", ours, site)
    assert (upstreams, listens) == (1, 1), "the shipped site changed shape; update this test"
    return site


@pytest.fixture
def proxy(cluster, tmp_path):
    ports = [int(server.url.rsplit(":", 1)[1]) for server in (cluster.a, cluster.b)]
    listen = free_port()
    (tmp_path / "site.conf").write_text(site_for(ports, listen))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must write the temp dirs
    (tmp_path / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp_path}/nginx.pid;\n"
        f"error_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n"
        + "".join(f"  {kind}_temp_path {tmp_path}/{kind};\n"
                  for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + f"  include {tmp_path}/site.conf;\n}}\n"
    )  # fmt: skip
    command = [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_ready(f"http://127.0.0.1:{listen}")
        yield f"http://127.0.0.1:{listen}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_api_calls_and_a_live_stream_pass_through_nginx(cluster, proxy):
    headers = cluster.headers(3)
    with httpx.Client(base_url=proxy, headers=headers, timeout=30) as client:
        me = client.get("/api/v1/me")
        assert me.status_code == 200 and me.json()["tenant"] == "acme"
        assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}).status_code == 401
        with client.stream("GET", "/api/v1/queue/events") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = events(response)
            assert next(stream)[0] == "ready"  # arrives before the stream ends: not buffered
            # Posted to a process directly, heard through nginx from whichever it reached.
            posted = httpx.post(
                f"{cluster.b.url}/api/v1/interactions", headers=headers,
                json={"channel": "chat", "direction": "inbound", "address": "ann@example.com"},
            )  # fmt: skip
            assert posted.status_code == 201, posted.text
            heard = next_event(stream, "interaction.queued")
            assert heard["interaction_id"] == posted.json()["id"]
        item = client.get(f"/api/v1/interactions/{posted.json()['id']}")
        assert item.status_code == 200 and item.json()["channel"] == "chat"
        abandoned = client.post(f"/api/v1/interactions/{posted.json()['id']}/abandon")
        assert abandoned.status_code == 200
