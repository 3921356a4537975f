"""The sign-in throttle counts the real client: X-Forwarded-For is believed only when it
comes from a configured proxy (RAPPORT_TRUSTED_PROXIES), so a client cannot pick a fresh
address for every guess."""

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from rapport.core.config import Settings, SettingsError, load_settings
from rapport.main import create_app
from rapport.web.client import client_ip
from rapport.web.throttle import MAX_FAILURES
from tests.conftest import make_persona
from tests.web.helpers import csrf_of

PASSWORD = "correct-horse-battery"


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "headers": headers, "client": (peer, 5000)})


def _settings(proxies: str) -> Settings:
    return Settings(RAPPORT_TRUSTED_PROXIES=proxies)


def test_without_trusted_proxies_the_peer_is_the_client():
    assert client_ip(_request("203.0.113.9", "1.2.3.4"), _settings("")) == "203.0.113.9"


def test_a_trusted_proxy_names_the_client_and_a_forged_hop_is_ignored():
    settings = _settings("10.0.0.0/8, 192.168.1.1")
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    request = _request("10.0.0.2", "1.2.3.4, 198.51.100.7")
    assert client_ip(request, settings) == "198.51.100.7"
    chained = _request("10.0.0.2", "198.51.100.7, 192.168.1.1")
    assert client_ip(chained, settings) == "198.51.100.7"
    # Not from a trusted proxy: the header is the client's own words.
    assert client_ip(_request("203.0.113.9", "198.51.100.7"), settings) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2"), settings) == "10.0.0.2"


def test_a_bad_proxy_setting_is_named(monkeypatch):
    monkeypatch.setenv("RAPPORT_TRUSTED_PROXIES", "10.0.0.0/8, not-an-address")
    with pytest.raises(SettingsError) as error:
        load_settings()
    assert "RAPPORT_TRUSTED_PROXIES" in str(error.value)


def _guess_from_many_addresses(app, client: TestClient) -> int:
    token = csrf_of(client.get("/login").text)
    data = {"csrf_token": token, "email": "alice@acme.example"}
    for n in range(MAX_FAILURES):
        headers = {"X-Forwarded-For": f"198.51.100.{n + 1}"}
        wrong = client.post("/login", data={**data, "password": "wrong-password"},
                            headers=headers, follow_redirects=False)  # fmt: skip
        assert wrong.status_code == 401
    headers = {"X-Forwarded-For": "198.51.100.200"}
    return client.post("/login", data={**data, "password": PASSWORD}, headers=headers,
                       follow_redirects=False).status_code  # fmt: skip


def test_a_client_cannot_escape_the_throttle_with_forged_headers(db, app, tenant_a):
    make_persona(db, app, tenant_a, "alice@acme.example", "admin", password=PASSWORD)
    client = TestClient(app, client=("10.0.0.2", 5000))
    assert _guess_from_many_addresses(app, client) == 429


def test_behind_a_trusted_proxy_each_client_is_counted_apart(db, app, engine, tenant_a):
    make_persona(db, app, tenant_a, "alice@acme.example", "admin", password=PASSWORD)
    settings = app.state.settings.model_copy(update={"trusted_proxies": "10.0.0.0/8"})
    proxied = create_app(settings, engine)
    proxied.state.session_factory = app.state.session_factory
    client = TestClient(proxied, client=("10.0.0.2", 5000))
    assert _guess_from_many_addresses(proxied, client) == 303
